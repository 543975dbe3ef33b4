"""Content index (ASL/INDEXES/1 2.1, ASL-STORE-INDEX, DEC-005, DEC-018..DEC-020, DEC-031).

Model: the index is a tree of *lines*. A line starts at an install (or at reset) on top of a
base snapshot and holds the entries appended while it is CURRENT's line, at positions
start .. tail-1. Every line keeps, per key, the ascending list of positions of its entries
(lookup = bisect, then fall back to the base snapshot's origin), and the state digest after
every entry (digest at any position in O(1)). A snapshot is (position, digest, origin line);
its id is derived from (position, digest) per DEC-018. Lines abandoned by an install are
kept only as the origin of the snapshots made on them (queried at their own position only).
Imports nothing of the structural index or the materialization cache (IDX-DEP-001/003).
"""
import bisect
import hashlib
import struct

from .errors import AslError

PUT = 0
TOMBSTONE = 1
_MOD = 1 << 256
ZERO_ID = "0" * 64


def entry_hash(key_hex, loc, tag):
    """e = SHA-256("ASL-CI-ENTRY/1" || key || block_id || offset || length || has_tag || tag), as an int."""
    block_id, offset, length = loc
    data = (b"ASL-CI-ENTRY/1" + bytes.fromhex(key_hex)
            + struct.pack("<QQQBI", block_id, offset, length, 0 if tag is None else 1, tag or 0))
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


def snapshot_id(position, digest_int):
    data = b"ASL-SNAPSHOT/1" + struct.pack("<Q", position) + digest_int.to_bytes(32, "big")
    return hashlib.sha256(data).hexdigest()


def digest_hex(d):
    return "%064x" % d


class Line:
    __slots__ = ("lid", "start", "base", "entries", "per_key", "digests")

    def __init__(self, lid, start, base, base_digest):
        self.lid = lid
        self.start = start
        self.base = base            # (Line, position) of the base state, or None for the empty state
        self.entries = []           # (op, key, loc, tag), entry i at position start + i
        self.per_key = {}           # key -> ascending absolute positions
        self.digests = [base_digest]  # digests[i] = digest after the first i entries

    @property
    def tail(self):
        return self.start + len(self.entries)


class Snapshot:
    __slots__ = ("sid", "position", "digest", "origin", "lines", "retired")

    def __init__(self, sid, position, digest, origin):
        self.sid = sid
        self.position = position
        self.digest = digest
        self.origin = origin        # (Line, position) whose state the snapshot names
        self.lines = set()          # ids of the lines on which it was made
        self.retired = False


class ContentIndex:
    def __init__(self):
        self.reset()

    # ------------------------------------------------------------ lifecycle
    def reset(self):
        self._next_lid = 0
        genesis_line = self._new_line(0, None, 0)
        gid = snapshot_id(0, 0)
        self.genesis = Snapshot(gid, 0, 0, (genesis_line, 0))
        self.snapshots = {gid: self.genesis}
        self.base = self.genesis
        self.cur = self._new_line(0, None, 0)

    def _new_line(self, start, base, base_digest):
        line = Line(self._next_lid, start, base, base_digest)
        self._next_lid += 1
        return line

    @property
    def tail(self):
        return self.cur.tail

    # ------------------------------------------------------------ reading
    @staticmethod
    def _lookup_in(line, pos, key):
        """Value of key at (line, pos): (loc, tag) or None."""
        while line is not None:
            plist = line.per_key.get(key)
            if plist:
                i = bisect.bisect_left(plist, pos) - 1
                if i >= 0:
                    op, _k, loc, tag = line.entries[plist[i] - line.start]
                    return None if op == TOMBSTONE else (loc, tag)
            if line.base is None:
                return None
            line, pos = line.base
        return None

    def resolve(self, at):
        """(line, position) for an `at` of (snapshot id, position) or None (CURRENT); DEC-020 errors."""
        if at is None:
            return self.cur, self.cur.tail
        sid, pos = at
        snap = self.snapshots.get(sid)
        if snap is None:
            raise AslError("CI_UNKNOWN_SNAPSHOT", "no snapshot %s" % sid)
        if snap.retired:
            raise AslError("CI_SNAPSHOT_RETIRED", "snapshot %s was retired" % sid)
        if pos == snap.position:
            return snap.origin
        if pos < snap.position:
            raise AslError("CI_POSITION_BEFORE_SNAPSHOT",
                           "position %d is before snapshot position %d" % (pos, snap.position))
        if snap is self.base or self.cur.lid in snap.lines:
            if pos > self.cur.tail:
                raise AslError("CI_POSITION_BEYOND_CURRENT",
                               "position %d is beyond CURRENT %d" % (pos, self.cur.tail))
            return self.cur, pos
        raise AslError("CI_STATE_NOT_RETAINED",
                       "the entries after snapshot %s were discarded by an install" % sid)

    def lookup(self, key, at=None):
        line, pos = self.resolve(at)
        return self._lookup_in(line, pos, key)

    def digest(self, at=None):
        line, pos = self.resolve(at)
        return line.digests[pos - line.start]

    def current(self):
        return self.base.sid, self.cur.tail

    # ------------------------------------------------------------ appending
    def _append(self, op, key, loc, tag):
        line = self.cur
        pos = line.tail
        old = self._lookup_in(line, pos, key)
        d = line.digests[-1]
        if old is not None:
            d -= entry_hash(key, old[0], old[1])
        if op == PUT:
            d += entry_hash(key, loc, tag)
        line.entries.append((op, key, loc, tag))
        line.digests.append(d % _MOD)
        line.per_key.setdefault(key, []).append(pos)
        return pos

    def put(self, key, loc, tag=None):
        return self._append(PUT, key, tuple(loc), tag)

    def tombstone(self, key):
        return self._append(TOMBSTONE, key, None, None)

    # ------------------------------------------------------------ snapshots
    def snapshot(self):
        line = self.cur
        pos = line.tail
        d = line.digests[-1]
        sid = snapshot_id(pos, d)
        snap = self.snapshots.get(sid)
        if snap is None:
            snap = Snapshot(sid, pos, d, (line, pos))
            self.snapshots[sid] = snap
        # the same state made again: the same id; a retired one is made anew
        snap.retired = False
        snap.lines.add(line.lid)
        return sid, pos

    def install(self, sid):
        snap = self.snapshots.get(sid)
        if snap is None:
            raise AslError("CI_UNKNOWN_SNAPSHOT", "no snapshot %s" % sid)
        if snap.retired:
            raise AslError("CI_SNAPSHOT_RETIRED", "snapshot %s was retired" % sid)
        self.cur = self._new_line(snap.position, snap.origin, snap.digest)
        self.base = snap
        return snap.sid, snap.position

    def retire(self, sid):
        snap = self.snapshots.get(sid)
        if snap is None:
            raise AslError("CI_UNKNOWN_SNAPSHOT", "no snapshot %s" % sid)
        if snap.retired:
            raise AslError("CI_SNAPSHOT_RETIRED", "snapshot %s is already retired" % sid)
        if snap is self.base:
            raise AslError("CI_SNAPSHOT_IN_USE", "snapshot %s is the base of CURRENT" % sid)
        if snap is self.genesis:
            raise AslError("CI_SNAPSHOT_IN_USE", "the genesis snapshot can never be retired")
        snap.retired = True
