"""Queries over a set of segments (DEC-029) and shard assignment (DEC-024).

Per id, the records of all segments are merged into one list ascending by logseq; a lookup at S
is a bisect for the last record with logseq <= S (newest logseq wins, a tombstone hides the key).
Filters only let a segment be skipped; a hit always comes from the records (ATXI-VIS-004).
"""
import bisect

from . import filters as flt
from .errors import AslError
from .segment import DOMAIN_ASL, DOMAIN_NODE, DOMAIN_TGK, TOMB, decode


def shard(key, n):
    return ((flt.fmix64(key) >> 32) * n) >> 32


class SegmentSet:
    def __init__(self, blobs):
        self.segs = []
        for i, blob in enumerate(blobs):
            try:
                self.segs.append(decode(blob))
            except AslError as e:
                e.message = "segment %d: %s" % (i, e.message)
                raise
        ids = set()
        for i, s in enumerate(self.segs):
            sid = s["header"]["segment_id"]
            if sid in ids:
                raise AslError("QRY_DUPLICATE_SEGMENT_ID", "segment %d repeats segment_id %d" % (i, sid))
            ids.add(sid)
        seen = {}
        self.asl = {}    # artifact_id -> [(logseq, seg index, record)] ascending
        self.tgk = {}    # tgk_edge_id -> [(logseq, seg index, record)] ascending
        self.refs = {}   # node_id -> [(position, tgk_edge_id, logseq, seg index)]
        for i, s in enumerate(self.segs):
            for r in s["asl"] + s["tgk"]:
                j = seen.get(r[0])
                if j is not None and j != i:
                    raise AslError("QRY_DUPLICATE_LOGSEQ",
                                   "segments %d and %d share logseq %d" % (j, i, r[0]))
                seen[r[0]] = i
            for r in s["asl"]:
                self.asl.setdefault(r[1], []).append((r[0], i, r))
            for r in s["tgk"]:
                self.tgk.setdefault(r[1], []).append((r[0], i, r))
            for (l, nid, e, p) in s["refs"] or ():
                self.refs.setdefault(nid, []).append((p, e, l, i))
        for d in (self.asl, self.tgk):
            for lst in d.values():
                lst.sort(key=lambda t: t[0])
        self.first_filter = []      # per segment: domain -> (kind, parsed) of its first known filter
        self.min_tgk_logseq = []    # per segment: the least logseq of its TGK records (tombstones too)
        for s in self.segs:
            ff = {}
            for kind, dom, parsed in s["parsed_filters"]:
                ff.setdefault(dom, (kind, parsed))
            self.first_filter.append(ff)
            self.min_tgk_logseq.append(min((r[0] for r in s["tgk"]), default=None))
        self._keys = {k: [t[0] for t in v] for k, v in self.asl.items()}
        self._tkeys = {k: [t[0] for t in v] for k, v in self.tgk.items()}

    def _filtered_out(self, i, domain, key):
        """True when the first known filter (file order) of this domain in segment i says `key` is
        absent; the other filters of the domain are not consulted (DEC-029)."""
        f = self.first_filter[i].get(domain)
        return f is not None and not flt.probe_parsed(f[0], f[1], key)

    def _winner(self, table, logseqs, key, s, domain, use_filters):
        lst = table.get(key)
        if not lst:
            return None
        j = bisect.bisect_right(logseqs[key], s) - 1
        while j >= 0:
            logseq, i, rec = lst[j]
            if not (use_filters and self._filtered_out(i, domain, key)):
                return logseq, i, rec
            j -= 1          # never reached for a valid segment: its filters have no false negative
        return None

    def artifact(self, aid, s, use_filters):
        w = self._winner(self.asl, self._keys, aid, s, DOMAIN_ASL, use_filters)
        if w is None or w[2][4] & TOMB:
            return {"found": False}
        logseq, i, (_l, a, tag, has, _f) = w
        return {"found": True, "record": {
            "logseq": str(logseq), "artifact_id": str(a), "has_type_tag": has, "type_tag": tag}}

    def edge(self, eid, s, use_filters):
        w = self._winner(self.tgk, self._tkeys, eid, s, DOMAIN_TGK, use_filters)
        if w is None or w[2][5] & TOMB:
            return {"found": False}
        logseq, i, (_l, e, etk, has, role, _f) = w
        return {"found": True, "record": {
            "logseq": str(logseq), "tgk_edge_id": str(e), "has_edge_type": has, "edge_type_key": etk, "role": role}}

    def incident(self, nid, role, s, use_filters):
        for i, seg in enumerate(self.segs):
            h = seg["header"]
            least = self.min_tgk_logseq[i]
            if h["logseq_min"] <= s and least is not None and least <= s and seg["refs"] is None:
                raise AslError("QRY_NO_PROJECTIONS",
                               "segment %d (id %d) takes part, holds a TGK record with logseq <= %d "
                               "and has no node projections" % (i, h["segment_id"], s))
        want = {"from": (1,), "to": (2,), "any": (1, 2)}[role]
        found = set()
        for (p, e, l, i) in self.refs.get(nid, ()):
            if p not in want or l > s:
                continue
            if use_filters and self._filtered_out(i, DOMAIN_NODE, nid):
                continue
            w = self._winner(self.tgk, self._tkeys, e, s, DOMAIN_TGK, use_filters)
            if w is None or w[2][5] & TOMB or w[0] != l:
                continue
            found.add(e)
        return {"edges": [str(e) for e in sorted(found)]}
