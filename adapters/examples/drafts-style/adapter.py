#!/usr/bin/env python3
"""A content index that behaves the way the ASL-STORE-INDEX draft's own Python sketch behaves, speaking
the asl-conform/1 process protocol (spec/protocol.md) and claiming only the capability `content-index`.

It exists to show that the suite accepts an implementation that follows the drafts without the
profile's extras. Two traits of the sketch are kept on purpose, although the profile does not require
them: a lookup at CURRENT scans the current log backwards (the newest entry decides), and every
snapshot gets a fresh random SnapshotID, so two snapshots of one state carry two different ids.
There is no state digest and no retirement (those operations answer PROTO_NOT_SUPPORTED).

Python 3.11, standard library only. Requests come one JSON object per line on stdin; exactly one
response line per answerable request goes to stdout; notes go to stderr.
"""
import hashlib
import json
import re
import sys
import uuid

PROTOCOL = "asl-conform/1"
PROFILE = "asl-conformance-profile-1"
IMPLEMENTATION = {"name": "drafts-style-content-index", "version": "1.0", "language": "python"}
CAPABILITIES = ["content-index"]

U64_MAX = (1 << 64) - 1
U32_MAX = (1 << 32) - 1
MAX_BATCH = 10000

U64_TEXT = re.compile(r"0|[1-9][0-9]*")
HEX64_TEXT = re.compile(r"[0-9a-f]{64}")

# Every operation name of asl-conform/1; those without a handler below answer PROTO_NOT_SUPPORTED.
PROTOCOL_OPS = {
    "hello", "reset", "shutdown", "batch",
    "ci.put", "ci.tombstone", "ci.lookup", "ci.current", "ci.snapshot", "ci.install", "ci.retire",
    "ci.digest",
    "store.put", "store.get", "store.reopen",
    "si.register", "si.get", "si.entries", "si.rebuild",
    "mc.get", "mc.entries", "mc.drop", "mc.recompute",
    "seg.decode", "seg.encode", "seg.query",
    "filter.build", "filter.probe", "tgk.edge_id", "tgk.project", "shard.assign",
}
NOT_IN_BATCH = {"hello", "reset", "batch", "shutdown"}


def note(*parts):
    print("[drafts-style]", *parts, file=sys.stderr, flush=True)


class Refusal(Exception):
    """An error answer: {"code": ..., "message": ...}."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    def as_json(self):
        return {"code": self.code, "message": self.message}


def bad_request(message):
    return Refusal("PROTO_BAD_REQUEST", message)


def invalid(message):
    return Refusal("CI_INVALID_ARGUMENT", message)


# ====================================================================== the content index
# A value in the index is (location, type_tag): location = (block_id, offset, length) as ints,
# type_tag an int or None.

PUT = "PUT"
TOMBSTONE = "TOMBSTONE"


class Entry:
    """One log entry: PUT key -> (location, type_tag), or TOMBSTONE key."""

    __slots__ = ("position", "op", "key", "value")

    def __init__(self, position, op, key, value=None):
        self.position = position
        self.op = op
        self.key = key
        self.value = value


class Snapshot:
    """An immutable materialized mapping, the position it was taken at, a random id, and the line
    (a counter bumped by every install) it was made on."""

    def __init__(self, mapping, position, line):
        self.id = random_snapshot_id()
        self.mapping = dict(mapping)
        self.position = position
        self.line = line


def random_snapshot_id():
    # Like the sketch: a fresh UUID per snapshot, here hashed to the wire form (64 lowercase hex).
    return hashlib.sha256(uuid.uuid4().bytes).hexdigest()


class Log:
    """Append-only log whose first entry gets position `start`."""

    def __init__(self, start):
        self.start = start
        self.entries = []

    @property
    def tail(self):
        return self.start + len(self.entries)

    def append(self, op, key, value=None):
        position = self.tail
        self.entries.append(Entry(position, op, key, value))
        return position


class ContentIndex:
    def __init__(self):
        self.line = 0
        genesis = Snapshot({}, 0, self.line)
        self.snapshots = {genesis.id: genesis}   # every snapshot ever made (nothing is retired)
        self.base = genesis
        self.log = Log(genesis.position)

    # ------------------------------------------------------------------ appends
    def put(self, key, location, type_tag):
        return self.log.append(PUT, key, (location, type_tag))

    def tombstone(self, key):
        return self.log.append(TOMBSTONE, key)

    # ------------------------------------------------------------------ lookups
    def lookup_current(self, key):
        # The sketch's shadowing: walk the current log from its newest entry back to its oldest;
        # the first entry for the key decides, and a key with no entry falls back to the base.
        for entry in reversed(self.log.entries):
            if entry.key != key:
                continue
            if entry.op == TOMBSTONE:
                return None
            return entry.value
        return self.base.mapping.get(key)

    def lookup_at(self, key, snapshot_id, position):
        snap = self.resolve_state(snapshot_id, position)
        # Replay: start from the snapshot's mapping and apply, oldest first, the entries of the
        # current log from the snapshot's position up to (not including) the requested position.
        value = snap.mapping.get(key)
        if position == snap.position:
            return value
        first = snap.position - self.log.start
        last = position - self.log.start
        for entry in self.log.entries[first:last]:
            if entry.key == key:
                value = entry.value if entry.op == PUT else None
        return value

    def resolve_state(self, snapshot_id, position):
        """The snapshot to replay from for (snapshot_id, position), or the DEC-020 error."""
        snap = self.snapshots.get(snapshot_id)
        if snap is None:
            raise Refusal("CI_UNKNOWN_SNAPSHOT", "no snapshot %s" % snapshot_id)
        if position < snap.position:
            raise Refusal("CI_POSITION_BEFORE_SNAPSHOT",
                          "position %d is before the snapshot's position %d" % (position, snap.position))
        if snap is self.base or snap.line == self.line:
            if position > self.log.tail:
                raise Refusal("CI_POSITION_BEYOND_CURRENT",
                              "position %d is past CURRENT's position %d" % (position, self.log.tail))
        elif position != snap.position:
            raise Refusal("CI_STATE_NOT_RETAINED",
                          "the entries after position %d of snapshot %s were discarded by an install"
                          % (snap.position, snapshot_id))
        return snap

    # ------------------------------------------------------------------ snapshots and CURRENT
    def current(self):
        return self.base.id, self.log.tail

    def snapshot(self):
        # Materialize CURRENT: the base's mapping with the whole current log replayed over it.
        mapping = dict(self.base.mapping)
        for entry in self.log.entries:
            if entry.op == PUT:
                mapping[entry.key] = entry.value
            else:
                mapping.pop(entry.key, None)
        snap = Snapshot(mapping, self.log.tail, self.line)
        self.snapshots[snap.id] = snap
        return snap.id, snap.position

    def install(self, snapshot_id):
        snap = self.snapshots.get(snapshot_id)
        if snap is None:
            raise Refusal("CI_UNKNOWN_SNAPSHOT", "no snapshot %s" % snapshot_id)
        # As in the sketch, the log restarts at the snapshot's position: the old line's entries go.
        self.line += 1
        self.base = snap
        self.log = Log(snap.position)
        return snap.id, snap.position


# ====================================================================== argument checks (DEC-033)
# Shape first (PROTO_BAD_REQUEST): JSON types, required and unknown members, the u32 range of
# type_tag. Then the values of well-typed strings (CI_INVALID_ARGUMENT). Nothing runs before both.

def closed_object(value, path, required=(), optional=()):
    if not isinstance(value, dict):
        raise bad_request("%s must be an object" % path)
    for name in required:
        if name not in value:
            raise bad_request("%s.%s is missing" % (path, name))
    for name in value:
        if name not in required and name not in optional:
            raise bad_request("%s has no member %r" % (path, name))
    return value


def string_member(obj, name, path):
    if not isinstance(obj[name], str):
        raise bad_request("%s.%s must be a string" % (path, name))
    return obj[name]


def shape_location(value, path):
    closed_object(value, path, required=("block_id", "offset", "length"))
    for name in ("block_id", "offset", "length"):
        string_member(value, name, path)


def shape_at(args):
    """`at` is optional and nullable; when given it is {snapshot, position}, both strings."""
    at = args.get("at")
    if at is not None:
        closed_object(at, "args.at", required=("snapshot", "position"))
        string_member(at, "snapshot", "args.at")
        string_member(at, "position", "args.at")
    return at


def shape_type_tag(args):
    tag = args.get("type_tag")
    if tag is None:
        return None
    if isinstance(tag, float) and tag.is_integer():
        tag = int(tag)                     # JSON Schema counts 7.0 as an integer
    if isinstance(tag, bool) or not isinstance(tag, int) or not 0 <= tag <= U32_MAX:
        raise bad_request("args.type_tag must be a u32 number or null")
    return tag


def u64_value(text, what):
    if len(text) > 20 or not U64_TEXT.fullmatch(text) or int(text) > U64_MAX:
        raise invalid("%s is not a u64 decimal string: %r" % (what, text[:40]))
    return int(text)


def hex64_value(text, what):
    if not HEX64_TEXT.fullmatch(text):
        raise invalid("%s is not 64 lowercase hex digits" % what)
    return text


def state_json(snapshot_id, position):
    return {"snapshot": snapshot_id, "position": str(position)}


# ====================================================================== the adapter
class Adapter:
    def __init__(self):
        self.index = ContentIndex()

    # ------------------------------------------------------------------ lifecycle
    def op_hello(self, args):
        closed_object(args, "args", required=("protocol", "profile", "harness"))
        string_member(args, "protocol", "args")
        string_member(args, "profile", "args")
        closed_object(args["harness"], "args.harness", required=("name", "version"))
        string_member(args["harness"], "name", "args.harness")
        string_member(args["harness"], "version", "args.harness")
        if args["protocol"] != PROTOCOL or args["profile"] != PROFILE:
            raise Refusal("PROTO_VERSION_MISMATCH",
                          "this implementation speaks %s with profile %s only" % (PROTOCOL, PROFILE))
        return {"protocol": PROTOCOL, "implementation": dict(IMPLEMENTATION),
                "capabilities": list(CAPABILITIES)}

    def op_reset(self, args):
        closed_object(args, "args")
        self.index = ContentIndex()
        return {}

    def op_shutdown(self, args):
        closed_object(args, "args")
        return {}

    def op_batch(self, args):
        closed_object(args, "args", required=("requests",))
        requests = args["requests"]
        if not isinstance(requests, list):
            raise bad_request("args.requests must be an array")
        if len(requests) > MAX_BATCH:
            raise bad_request("a batch holds at most %d requests" % MAX_BATCH)
        responses = []
        for item in requests:
            if (not isinstance(item, dict) or set(item) != {"op", "args"}
                    or not isinstance(item["op"], str) or not isinstance(item["args"], dict)):
                responses.append({"error": bad_request("a batch item is {op, args}").as_json()})
            elif item["op"] in NOT_IN_BATCH:
                responses.append({"error": bad_request("%s cannot be batched" % item["op"]).as_json()})
            else:
                responses.append(self.run(item["op"], item["args"]))
        return {"responses": responses}

    # ------------------------------------------------------------------ content index
    def op_ci_put(self, args):
        closed_object(args, "args", required=("key", "location"), optional=("type_tag",))
        string_member(args, "key", "args")
        shape_location(args["location"], "args.location")
        tag = shape_type_tag(args)
        key = hex64_value(args["key"], "key")
        location = tuple(u64_value(args["location"][name], "location." + name)
                         for name in ("block_id", "offset", "length"))
        return {"position": str(self.index.put(key, location, tag))}

    def op_ci_tombstone(self, args):
        closed_object(args, "args", required=("key",))
        key = hex64_value(string_member(args, "key", "args"), "key")
        return {"position": str(self.index.tombstone(key))}

    def op_ci_lookup(self, args):
        closed_object(args, "args", required=("key",), optional=("at",))
        string_member(args, "key", "args")
        at = shape_at(args)
        key = hex64_value(args["key"], "key")
        if at is None:
            value = self.index.lookup_current(key)
        else:
            snapshot_id = hex64_value(at["snapshot"], "at.snapshot")
            position = u64_value(at["position"], "at.position")
            value = self.index.lookup_at(key, snapshot_id, position)
        if value is None:
            return {"found": False}
        (block_id, offset, length), tag = value
        return {"found": True,
                "location": {"block_id": str(block_id), "offset": str(offset), "length": str(length)},
                "type_tag": tag}

    def op_ci_current(self, args):
        closed_object(args, "args")
        return state_json(*self.index.current())

    def op_ci_snapshot(self, args):
        closed_object(args, "args")
        return state_json(*self.index.snapshot())

    def op_ci_install(self, args):
        closed_object(args, "args", required=("snapshot",))
        snapshot_id = hex64_value(string_member(args, "snapshot", "args"), "snapshot")
        return state_json(*self.index.install(snapshot_id))

    # ------------------------------------------------------------------ dispatch
    def run(self, op, args):
        """One operation -> {"ok": result} or {"error": {...}}; never raises."""
        if op not in PROTOCOL_OPS:
            return {"error": bad_request("%r is not an operation of %s" % (op, PROTOCOL)).as_json()}
        handler = HANDLERS.get(op)
        if handler is None:
            return {"error": {"code": "PROTO_NOT_SUPPORTED",
                              "message": "%s is not implemented (capability content-index only)" % op}}
        try:
            return {"ok": handler(self, args)}
        except Refusal as refusal:
            return {"error": refusal.as_json()}
        except Exception as exc:  # noqa: BLE001 - answer, never die
            note("INTERNAL in", op, repr(exc))
            return {"error": {"code": "INTERNAL", "message": "%s: %s" % (type(exc).__name__, exc)}}


HANDLERS = {
    "hello": Adapter.op_hello, "reset": Adapter.op_reset, "shutdown": Adapter.op_shutdown,
    "batch": Adapter.op_batch,
    "ci.put": Adapter.op_ci_put, "ci.tombstone": Adapter.op_ci_tombstone,
    "ci.lookup": Adapter.op_ci_lookup, "ci.current": Adapter.op_ci_current,
    "ci.snapshot": Adapter.op_ci_snapshot, "ci.install": Adapter.op_ci_install,
}


def answer(adapter, line):
    """(response or None, stop). None when the line has no usable id and so cannot be answered."""
    try:
        message = json.loads(line)
    except (ValueError, RecursionError) as exc:
        note("not JSON, cannot answer:", str(exc)[:200])
        return None, False
    if not isinstance(message, dict):
        note("not a JSON object, cannot answer")
        return None, False
    rid = message.get("id")
    if isinstance(rid, float) and rid.is_integer():
        rid = int(rid)
    if isinstance(rid, bool) or not isinstance(rid, int) or rid < 1:
        note("no positive integer id, cannot answer:", line[:200])
        return None, False
    op, args = message.get("op"), message.get("args")
    if set(message) != {"id", "op", "args"} or not isinstance(op, str) or not isinstance(args, dict):
        return {"id": rid, "error": bad_request("a request is {id, op, args}").as_json()}, False
    outcome = adapter.run(op, args)
    return dict({"id": rid}, **outcome), (op == "shutdown" and "ok" in outcome)


def main():
    adapter = Adapter()
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="replace").strip()
        if not line:
            continue
        response, stop = answer(adapter, line)
        if response is not None:
            sys.stdout.write(json.dumps(response, separators=(",", ":"), ensure_ascii=True) + "\n")
            sys.stdout.flush()
        if stop:
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
