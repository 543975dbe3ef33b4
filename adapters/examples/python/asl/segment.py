"""ENC-ASL-TGK-INDEX segments, profile 1 (DEC-001..DEC-014, DEC-027): reader and writer.

The reader runs the checks of spec/errors.yaml `reader_check_order` in that order and raises the
first failure as AslError(code, offset=byte offset of the defective field, field=name).
"""
import struct

from . import filters as flt
from .errors import AslError
from .tgk import project
from .xxh64 import xxh64

MAGIC = b"ATXI"
HEADER = 64
FOOTER = 32
REC = 24
REF = 32
FILTER_HDR = 16
HAS_NODE_PROJECTIONS = 1
TOMB = 1
NODE_REF_BLOCK = 1
KNOWN_FILTERS = {(1, 1): "bloom", (2, 1): "xor8"}
DOMAIN_ASL, DOMAIN_TGK, DOMAIN_NODE = 1, 2, 3
DOMAINS = {"asl": DOMAIN_ASL, "tgk": DOMAIN_TGK, "node": DOMAIN_NODE}

_ASL = struct.Struct("<QQIBBH")
_TGK = struct.Struct("<QQIBBH")
_REF = struct.Struct("<QQQB")
_FHDR = struct.Struct("<HHIQ")


def _fail(code, offset, field, msg=None):
    raise AslError(code, msg or "%s at offset %d (%s)" % (code, offset, field), offset, field)


def _u16(b, o):
    return struct.unpack_from("<H", b, o)[0]


def _u64(b, o):
    return struct.unpack_from("<Q", b, o)[0]


def checksum_of(b, fo):
    return xxh64(bytes(b[:fo]) + bytes(b[fo + 8:fo + 32]))


def _frames(b, start, end, err_code, what, known_block):
    """Walk [start, end) as framed entries: header 16, payload, zero padding to 8."""
    out = []
    p = start
    while p < end:
        if p + 16 > end:
            _fail(err_code, p, what + ".header", "%s header at %d overruns its area" % (what, p))
        typ, ver, flags, size = _FHDR.unpack_from(b, p)
        pay = p + 16
        if size > end - pay:
            _fail(err_code, p + 8, what + ".size_bytes", "%s payload at %d overruns its area" % (what, p))
        pad = (-size) % 8
        if pad > end - pay - size:
            _fail(err_code, p + 8, what + ".size_bytes", "%s padding at %d overruns its area" % (what, p))
        if known_block and (typ, ver) == (NODE_REF_BLOCK, 1):
            if size % REF:
                _fail("SEG_BAD_ACCEL_BLOCK", p + 8, what + ".size_bytes",
                      "node-edge-ref block size %d is not a multiple of 32" % size)
            if flags:
                _fail("SEG_RESERVED_NONZERO", p + 4, what + ".flags")
        for i in range(pay + size, pay + size + pad):
            if b[i]:
                _fail("SEG_RESERVED_NONZERO", i, what + ".padding")
        out.append((p, typ, ver, flags, pay, size))
        p = pay + size + pad
    return out


def decode(data):
    """Decode and validate a segment; returns a dict of Python ints/bytes (see to_json)."""
    b = bytes(data)
    n = len(b)
    # size
    if n < HEADER + FOOTER:
        _fail("SEG_TRUNCATED", n, "segment", "segment of %d bytes is shorter than 96" % n)
    # magic
    if b[0:4] != MAGIC:
        _fail("SEG_BAD_MAGIC", 0, "header.magic")
    # version
    version = _u16(b, 4)
    if version != 1:
        _fail("SEG_UNSUPPORTED_VERSION", 4, "header.version", "version %d is not 1" % version)
    # footer
    fo = _u64(b, 56)
    if fo % 8 or fo < HEADER or fo + FOOTER != n:
        _fail("SEG_BAD_FOOTER_OFFSET", 56, "header.footer_offset")
    # checksum
    checksum = _u64(b, fo)
    if checksum != checksum_of(b, fo):
        _fail("SEG_CHECKSUM_MISMATCH", fo, "footer.checksum")
    # header-flags
    hflags = _u16(b, 6)
    if hflags & 0xFFFE:
        _fail("SEG_RESERVED_NONZERO", 6, "header.flags")
    segment_id, lmin, lmax, na, nt, rao = struct.unpack_from("<6Q", b, 8)
    asl_bytes, tgk_bytes, filter_bytes = struct.unpack_from("<3Q", b, fo + 8)
    # section-bounds
    if rao % 8 or rao < HEADER or rao > fo:
        _fail("SEG_BAD_SECTION_BOUNDS", 48, "header.record_area_offset")
    if filter_bytes != rao - HEADER:
        _fail("SEG_BAD_SECTION_BOUNDS", fo + 24, "footer.filter_bytes")
    # record-counts
    if asl_bytes != REC * na:
        _fail("SEG_BAD_RECORD_COUNT", fo + 8, "footer.asl_record_bytes")
    if tgk_bytes != REC * nt:
        _fail("SEG_BAD_RECORD_COUNT", fo + 16, "footer.tgk_record_bytes")
    if rao + REC * na > fo:
        _fail("SEG_BAD_RECORD_COUNT", 32, "header.asl_record_count")
    if rao + REC * (na + nt) > fo:
        _fail("SEG_BAD_RECORD_COUNT", 40, "header.tgk_record_count")
    tgk_off = rao + REC * na
    accel_off = tgk_off + REC * nt
    # filter-framing
    fframes = _frames(b, HEADER, rao, "SEG_BAD_FILTER_HEADER", "filter", False)
    # accel-framing
    aframes = _frames(b, accel_off, fo, "SEG_BAD_ACCEL_BLOCK", "accel_block", True)
    # projection-flag
    nr_blocks = [f for f in aframes if (f[1], f[2]) == (NODE_REF_BLOCK, 1)]
    if len(nr_blocks) > 1:
        _fail("SEG_BAD_NODE_REF", nr_blocks[1][0], "accel_block",
              "more than one node-edge-ref block")
    if bool(hflags & HAS_NODE_PROJECTIONS) != bool(nr_blocks):
        _fail("SEG_BAD_NODE_REF", 6, "header.flags",
              "HAS_NODE_PROJECTIONS is %s but there are %d node-edge-ref blocks"
              % ("set" if hflags & HAS_NODE_PROJECTIONS else "clear", len(nr_blocks)))
    # logseq-bounds
    if lmin < 1:
        _fail("SEG_LOGSEQ_RANGE", 16, "header.logseq_min")
    if lmin > lmax:
        _fail("SEG_LOGSEQ_RANGE", 24, "header.logseq_max")
    # asl-records
    asl = []
    prev = None
    for i in range(na):
        o = rao + REC * i
        logseq, aid, tag, has, res, flags = _ASL.unpack_from(b, o)
        if res:
            _fail("SEG_RESERVED_NONZERO", o + 21, "asl_record.reserved")
        if flags & 0xFFFE:
            _fail("SEG_RESERVED_NONZERO", o + 22, "asl_record.flags")
        if has > 1:
            _fail("SEG_BAD_BOOLEAN", o + 20, "asl_record.has_type_tag")
        if has == 0 and tag:
            _fail("SEG_ABSENT_FIELD_NONZERO", o + 16, "asl_record.type_tag")
        if flags & TOMB and has:
            _fail("SEG_TOMBSTONE_WITH_PAYLOAD", o + 20, "asl_record.has_type_tag")
        if not lmin <= logseq <= lmax:
            _fail("SEG_LOGSEQ_RANGE", o, "asl_record.logseq")
        if prev is not None and (aid, logseq) <= prev:
            _fail("SEG_RECORD_ORDER", o, "asl_record")
        prev = (aid, logseq)
        asl.append((logseq, aid, tag, has, flags))
    # tgk-records
    tgk = []
    prev = None
    for i in range(nt):
        o = tgk_off + REC * i
        logseq, eid, etk, has, role, flags = _TGK.unpack_from(b, o)
        if flags & 0xFFFE:
            _fail("SEG_RESERVED_NONZERO", o + 22, "tgk_record.flags")
        if has > 1:
            _fail("SEG_BAD_BOOLEAN", o + 20, "tgk_record.has_edge_type")
        if has == 0 and etk:
            _fail("SEG_ABSENT_FIELD_NONZERO", o + 16, "tgk_record.edge_type_key")
        if role > 3:
            _fail("SEG_BAD_ROLE", o + 21, "tgk_record.role")
        if flags & TOMB and has:
            _fail("SEG_TOMBSTONE_WITH_PAYLOAD", o + 20, "tgk_record.has_edge_type")
        if flags & TOMB and role:
            _fail("SEG_TOMBSTONE_WITH_PAYLOAD", o + 21, "tgk_record.role")
        if not lmin <= logseq <= lmax:
            _fail("SEG_LOGSEQ_RANGE", o, "tgk_record.logseq")
        if prev is not None and (eid, logseq) <= prev:
            _fail("SEG_RECORD_ORDER", o, "tgk_record")
        prev = (eid, logseq)
        tgk.append((logseq, eid, etk, has, role, flags))
    # logseq-unique
    seen = set()
    for i, r in enumerate(asl):
        if r[0] in seen:
            _fail("SEG_DUPLICATE_LOGSEQ", rao + REC * i, "asl_record.logseq")
        seen.add(r[0])
    for i, r in enumerate(tgk):
        if r[0] in seen:
            _fail("SEG_DUPLICATE_LOGSEQ", tgk_off + REC * i, "tgk_record.logseq")
        seen.add(r[0])
    # node-refs
    refs = None
    if nr_blocks:
        live = {(r[1], r[0]) for r in tgk if not r[5] & TOMB}
        _p, _t, _v, _f, pay, size = nr_blocks[0]
        refs = []
        prev = None
        for j in range(size // REF):
            o = pay + REF * j
            logseq, nid, eid, pos = _REF.unpack_from(b, o)
            for k in range(o + 25, o + 32):
                if b[k]:
                    _fail("SEG_RESERVED_NONZERO", k, "node_edge_ref.reserved")
            if pos not in (1, 2):
                _fail("SEG_BAD_NODE_REF", o + 24, "node_edge_ref.position")
            if not lmin <= logseq <= lmax:
                _fail("SEG_BAD_NODE_REF", o, "node_edge_ref.logseq")
            key = (nid, pos, eid, logseq)
            if prev is not None and key <= prev:
                _fail("SEG_BAD_NODE_REF", o, "node_edge_ref", "node-edge refs out of order")
            prev = key
            if (eid, logseq) not in live:
                _fail("SEG_BAD_NODE_REF", o + 16, "node_edge_ref.tgk_edge_id",
                      "node-edge ref matches no live TGK record of the segment")
            refs.append((logseq, nid, eid, pos))
    # filter-contents
    parsed_filters = []
    for (p, typ, ver, flags, pay, size) in fframes:
        kind = KNOWN_FILTERS.get((typ, ver))
        if kind is None:
            continue
        if flags & 3 == 0:
            _fail("SEG_BAD_FILTER_PARAMS", p + 4, "filter.flags", "filter domain 0")
        if flags & ~3:
            _fail("SEG_RESERVED_NONZERO", p + 4, "filter.flags")
        parsed = flt.validate(kind, b[pay:pay + size], pay, p + 8)
        parsed_filters.append((p, kind, flags & 3, parsed))
    # filter-completeness
    for (p, kind, dom, parsed) in parsed_filters:
        if dom == DOMAIN_ASL:
            keys = [r[1] for r in asl]
        elif dom == DOMAIN_TGK:
            keys = [r[1] for r in tgk]
        else:
            keys = [r[1] for r in refs] if refs else []
        for x in keys:
            if not flt.probe_parsed(kind, parsed, x):
                _fail("SEG_FILTER_FALSE_NEGATIVE", p, "filter",
                      "filter at %d answers absent for key %d of its segment" % (p, x))
    return {
        "header": {"version": version, "flags": hflags, "segment_id": segment_id,
                   "logseq_min": lmin, "logseq_max": lmax, "asl_record_count": na,
                   "tgk_record_count": nt, "record_area_offset": rao, "footer_offset": fo},
        "filters": [(typ, ver, flags, b[pay:pay + size]) for (p, typ, ver, flags, pay, size) in fframes],
        "parsed_filters": [(kind, dom, parsed) for (_p, kind, dom, parsed) in parsed_filters],
        "asl": asl, "tgk": tgk, "refs": refs,
        "accel": [(typ, ver, flags, b[pay:pay + size]) for (p, typ, ver, flags, pay, size) in aframes
                  if (typ, ver) != (NODE_REF_BLOCK, 1)],
        "footer": {"checksum": checksum, "asl_record_bytes": asl_bytes,
                   "tgk_record_bytes": tgk_bytes, "filter_bytes": filter_bytes},
    }


def to_json(seg, b64):
    h = seg["header"]
    return {
        "header": {k: (v if k in ("version", "flags") else str(v)) for k, v in h.items()},
        "filters": [{"filter_type": t, "version": v, "flags": f, "payload": b64(p)}
                    for (t, v, f, p) in seg["filters"]],
        "asl_records": [{"logseq": str(l), "artifact_id": str(a), "type_tag": t,
                         "has_type_tag": h_, "flags": f} for (l, a, t, h_, f) in seg["asl"]],
        "tgk_records": [{"logseq": str(l), "tgk_edge_id": str(e), "edge_type_key": k,
                         "has_edge_type": h_, "role": r, "flags": f} for (l, e, k, h_, r, f) in seg["tgk"]],
        "node_refs": None if seg["refs"] is None else
        [{"logseq": str(l), "node_id": str(nid), "tgk_edge_id": str(e), "position": p}
         for (l, nid, e, p) in seg["refs"]],
        "accel_blocks": [{"block_type": t, "version": v, "flags": f, "payload": b64(p)}
                         for (t, v, f, p) in seg["accel"]],
        "footer": {k: str(v) for k, v in seg["footer"].items()},
    }


def _framed(typ, ver, flags, payload):
    pad = (-len(payload)) % 8
    return _FHDR.pack(typ, ver, flags, len(payload)) + payload + b"\0" * pad


def encode(segment_id, lmin, lmax, asl, tgk, edges=None, node_projections=False, filters=()):
    """Write a segment. asl: [(logseq, artifact_id, type_tag|None, tombstone)];
    tgk: [(logseq, tgk_edge_id, edge_type_key|None, role, tombstone)];
    edges: {tgk_edge_id: (from, to)}; filters: [(kind, domain name)].
    The writer sorts (DEC-004), derives node refs (DEC-016) and filters (DEC-007..010), then reads
    its own result back: an invalid result is refused with the reader's error and nothing written
    (DEC-035). With node_projections the ref block and the header flag are written even when there
    is no ref; a non-tombstone TGK record whose edge is not in `edges` is TGK_INVALID_EDGE. Without
    it, `edges` is ignored and a node-domain filter is built over no keys."""
    asl_recs = sorted(((l, a, t or 0, 0 if t is None else 1, TOMB if tomb else 0)
                       for (l, a, t, tomb) in asl), key=lambda r: (r[1], r[0]))
    tgk_recs = sorted(((l, e, k or 0, 0 if k is None else 1, role, TOMB if tomb else 0)
                       for (l, e, k, role, tomb) in tgk), key=lambda r: (r[1], r[0]))
    refs = None
    if node_projections:
        refs = []
        for (l, e, _k, _h, _r, f) in tgk_recs:
            if f & TOMB:
                continue
            edge = (edges or {}).get(e)
            if edge is None:
                raise AslError("TGK_INVALID_EDGE",
                               "TGK record (edge %d, logseq %d) names no edge of `edges`" % (e, l),
                               None, "edges")
            refs.extend(project(edge[0], edge[1], l))
        refs.sort(key=lambda r: (r[1], r[3], r[2], r[0]))
    out = bytearray(HEADER)
    for kind, domain in filters:
        dom = DOMAINS[domain]
        if dom == DOMAIN_ASL:
            keys = [r[1] for r in asl_recs]
        elif dom == DOMAIN_TGK:
            keys = [r[1] for r in tgk_recs]
        else:
            keys = [r[1] for r in refs] if refs else []
        out += _framed(1 if kind == "bloom" else 2, 1, dom, flt.build(kind, keys))
    rao = len(out)
    for r in asl_recs:
        out += _ASL.pack(r[0], r[1], r[2] & 0xFFFFFFFF, r[3], 0, r[4])
    for r in tgk_recs:
        out += _TGK.pack(r[0], r[1], r[2] & 0xFFFFFFFF, r[3], r[4] & 0xFF, r[5])
    if refs is not None:
        payload = b"".join(_REF.pack(l, nid, e, p) + b"\0" * 7 for (l, nid, e, p) in refs)
        out += _framed(NODE_REF_BLOCK, 1, 0, payload)
    fo = len(out)
    hflags = HAS_NODE_PROJECTIONS if refs is not None else 0
    out[0:64] = MAGIC + struct.pack("<HH7Q", 1, hflags, segment_id, lmin, lmax, len(asl_recs),
                                    len(tgk_recs), rao, fo)
    out += struct.pack("<4Q", 0, REC * len(asl_recs), REC * len(tgk_recs), rao - HEADER)
    struct.pack_into("<Q", out, fo, checksum_of(out, fo))
    data = bytes(out)
    decode(data)
    return data
