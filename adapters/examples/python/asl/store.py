"""The store: PUT / GET over the content index (DEC-015, DEC-021, DEC-023, DEC-030) and reopen
(STO-REC-*), and the durable store of store.open (DEC-041).

Durable storage is a directory with two files:
  blocks.bin   every artifact's bytes, appended; an ArtifactLocation is (block_id 0, offset, length)
  journal.log  one line per content-index mutation: "<16 hex of sha256(json)> <json>\n"
Reopen drops every in-memory structure and replays the journal into a fresh content index, so
CURRENT, positions, snapshots (their ids are recomputed from the same states) and retirements come
back exactly. A last line without its newline is a torn tail (a crash in the middle of an append):
it is dropped and cut off (STO-REC-002); a complete line whose checksum fails is STORE_CORRUPT_LOG.

The scratch store of `reset` (a temporary directory) flushes each write to the OS before the
operation returns. The store of `store.open` (a directory the harness gives) is durable before it
answers (STO-REC-003): a PUT writes its bytes to blocks.bin and fsyncs it, then writes its journal
line and fsyncs the journal; every other mutation fsyncs its journal line; the files are created
and their directory fsync'd before anything is written to them, and cutting a torn tail is
fsync'd too. A crash between the two fsyncs of a PUT leaves bytes no line names at the end of
blocks.bin: they are kept, and the next PUT appends after them.
"""
import hashlib
import json
import os
import shutil
import tempfile

from .content_index import ContentIndex
from .errors import AslError

BLOCK_ID = 0


def artifact_key(data):
    return hashlib.sha256(data).hexdigest()


def artifact_id_of(key_hex):
    """DEC-015: the reference store's artifact_id = first 8 bytes of the key, big-endian."""
    return int(key_hex[:16], 16)


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    def __init__(self, directory=None):
        self._own_dir = directory is None
        self.dir = directory or tempfile.mkdtemp(prefix="asl-python-store-")
        self.durable = False
        self.ci = ContentIndex()
        self.ids = {}               # artifact_id -> key (collision detection, DEC-015)
        self._blocks = None
        self._journal = None
        self._open_files(truncate=True)

    @classmethod
    def open_dir(cls, directory):
        """The durable store kept in `directory` (store.open, DEC-041): created when the directory
        holds none, else recovered as after a crash (reopen drops a torn tail)."""
        self = cls.__new__(cls)
        self._own_dir = False
        self.dir = directory
        self.durable = True
        self.ci = ContentIndex()
        self.ids = {}
        self._blocks = self._journal = None
        jpath = os.path.join(directory, "journal.log")
        bpath = os.path.join(directory, "blocks.bin")
        created = False
        for path in (bpath, jpath):   # blocks.bin first: a journal.log means both exist
            if not os.path.exists(path):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
                created = True
        if created:
            _fsync_dir(directory)
        self.reopen()
        return self

    def _sync(self, f):
        f.flush()
        if self.durable:
            os.fsync(f.fileno())

    # ------------------------------------------------------------ files
    def _open_files(self, truncate):
        bpath = os.path.join(self.dir, "blocks.bin")
        jpath = os.path.join(self.dir, "journal.log")
        if truncate:
            open(bpath, "wb").close()
            open(jpath, "wb").close()
        self._blocks = open(bpath, "r+b")
        self._blocks.seek(0, os.SEEK_END)
        self._journal = open(jpath, "ab")

    def close(self):
        for f in (self._blocks, self._journal):
            if f is not None:
                try:
                    f.close()
                except OSError:
                    pass
        self._blocks = self._journal = None

    def destroy(self):
        self.close()
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def _log(self, rec):
        payload = json.dumps(rec, separators=(",", ":"), sort_keys=True).encode()
        line = hashlib.sha256(payload).hexdigest()[:16].encode() + b" " + payload + b"\n"
        self._journal.write(line)
        self._sync(self._journal)

    # ------------------------------------------------------------ journaled content-index ops
    def _apply(self, rec):
        op = rec["op"]
        if op == "put":
            key = rec["key"]
            if rec.get("store"):
                self.ids.setdefault(artifact_id_of(key), key)
            return self.ci.put(key, tuple(rec["loc"]), rec["tag"])
        if op == "tomb":
            return self.ci.tombstone(rec["key"])
        if op == "snap":
            return self.ci.snapshot()
        if op == "install":
            return self.ci.install(rec["sid"])
        if op == "retire":
            return self.ci.retire(rec["sid"])
        raise AslError("STORE_CORRUPT_LOG", "unknown journal op %r" % op)

    def ci_put(self, key, loc, tag, from_store=False):
        rec = {"op": "put", "key": key, "loc": list(loc), "tag": tag}
        if from_store:
            rec["store"] = True
        pos = self._apply(rec)
        self._log(rec)
        return pos

    def ci_tombstone(self, key):
        rec = {"op": "tomb", "key": key}
        pos = self._apply(rec)
        self._log(rec)
        return pos

    def ci_snapshot(self):
        rec = {"op": "snap"}
        res = self._apply(rec)
        self._log(rec)
        return res

    def ci_install(self, sid):
        rec = {"op": "install", "sid": sid}
        res = self._apply(rec)       # raises before anything is journaled
        self._log(rec)
        return res

    def ci_retire(self, sid):
        rec = {"op": "retire", "sid": sid}
        self._apply(rec)
        self._log(rec)

    # ------------------------------------------------------------ PUT / GET
    def put(self, data, tag):
        """(key, artifact_id, location, created, position) per DEC-021. The collision set
        (DEC-015) holds exactly the keys whose bytes a PUT stored (journaled with "store": true, so
        it is rebuilt by reopen); it is checked before visibility."""
        key = artifact_key(data)
        aid = artifact_id_of(key)
        other = self.ids.get(aid)
        if other is not None and other != key:
            raise AslError("STORE_ARTIFACT_ID_COLLISION",
                           "artifact_id %d is already issued to %s" % (aid, other))
        visible = self.ci.lookup(key)
        if visible is not None:
            # nothing appended: the position is CURRENT's, unchanged (DEC-021)
            return key, aid, visible[0], False, self.ci.tail
        self._blocks.seek(0, os.SEEK_END)
        offset = self._blocks.tell()
        self._blocks.write(data)
        self._sync(self._blocks)
        loc = (BLOCK_ID, offset, len(data))
        pos = self.ci_put(key, loc, tag, from_store=True)
        return key, aid, loc, True, pos

    def read(self, key, loc):
        """The bytes at loc, checked against key (STORE_CORRUPT_BLOCK when missing or wrong)."""
        block_id, offset, length = loc
        if length == 0:
            # DEC-021: a location of length 0 misses no byte, whatever block it names
            data = b""
            if artifact_key(data) != key:
                raise AslError("STORE_CORRUPT_BLOCK", "stored bytes do not hash to %s" % key)
            return data
        if block_id != BLOCK_ID:
            raise AslError("STORE_CORRUPT_BLOCK", "no block %d" % block_id)
        self._blocks.seek(0, os.SEEK_END)
        size = self._blocks.tell()
        if offset + length > size:
            raise AslError("STORE_CORRUPT_BLOCK", "location beyond the stored bytes")
        self._blocks.seek(offset)
        data = self._blocks.read(length)
        if artifact_key(data) != key:
            raise AslError("STORE_CORRUPT_BLOCK", "stored bytes do not hash to %s" % key)
        return data

    def get(self, key, at=None):
        v = self.ci.lookup(key, at)
        if v is None:
            raise AslError("STORE_NOT_FOUND", "%s is not visible" % key)
        return self.read(key, v[0])

    # ------------------------------------------------------------ reopen
    def reopen(self):
        self.close()
        jpath = os.path.join(self.dir, "journal.log")
        with open(jpath, "rb") as f:
            raw = f.read()
        lines = raw.split(b"\n")
        torn = lines.pop()          # b"" when the file ends with a newline
        if torn:
            # a partly written last entry: drop it and cut it off the file
            with open(jpath, "r+b") as f:
                f.truncate(len(raw) - len(torn))
                if self.durable:
                    os.fsync(f.fileno())
        self.ci = ContentIndex()
        self.ids = {}
        for i, line in enumerate(lines):
            sep = line.find(b" ")
            payload = line[sep + 1:]
            if sep != 16 or hashlib.sha256(payload).hexdigest()[:16].encode() != line[:16]:
                raise AslError("STORE_CORRUPT_LOG", "journal entry %d is damaged" % i)
            try:
                rec = json.loads(payload)
                self._apply(rec)
            except AslError as e:
                raise AslError("STORE_CORRUPT_LOG", "journal entry %d: %s" % (i, e.message))
            except (ValueError, KeyError, TypeError) as e:
                raise AslError("STORE_CORRUPT_LOG", "journal entry %d: %s" % (i, e))
        self._open_files(truncate=False)
        return self.ci.current()
