"""Request shapes (spec/protocol.md section 2, DEC-033 step 3), transcribed from
spec/schemas/protocol.schema.json with every string `pattern` disregarded.

A shape failure is PROTO_BAD_REQUEST: a JSON type, a missing or extra member (every object is
closed), an enum or const value, the range of a JSON-number integer, an array bound, or base64
that is not the standard padded alphabet. What a well-typed string *says* (a u64, a hex key) is
checked afterwards by the operation, with its domain code (DEC-033 step 4).

`check(shape, value)` returns the value with integral JSON floats (1.0) turned into ints, as JSON
Schema counts them integers.
"""
import re

from .errors import bad

_B64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")

U32_MAX = (1 << 32) - 1

# ------------------------------------------------------------------ shape constructors
STR = ("str",)
U64 = STR            # the u64 pattern is a value check
HEX = STR            # the hex32 pattern is a value check
B64 = ("b64",)
BOOL = ("bool",)
ANY = ("any",)


def INT(lo, hi):
    return ("int", lo, hi)


U8, U16, U32 = INT(0, 255), INT(0, 65535), INT(0, U32_MAX)


def OBJ(props, required=()):
    return ("obj", props, frozenset(required))


def ARR(item, max_items=None):
    return ("arr", item, max_items)


def NULLABLE(s):
    return ("nullable", s)


def ENUM(*values):
    return ("enum", values)


def MAP(value):
    return ("map", value)


EMPTY = OBJ({})
AT = NULLABLE(OBJ({"snapshot": HEX, "position": U64}, ("snapshot", "position")))
LOCATION = OBJ({"block_id": U64, "offset": U64, "length": U64}, ("block_id", "offset", "length"))
NODE = OBJ({"op": STR, "params": MAP(STR), "inputs": ARR(("input",))}, ("op", "params", "inputs"))
EDGE = OBJ({"edge_type": NULLABLE(U32), "from": ARR(U64), "to": ARR(U64)}, ("from", "to"))
SEGMENT_INPUT = OBJ({
    "segment_id": U64, "logseq_min": U64, "logseq_max": U64,
    "asl_records": ARR(OBJ({"logseq": U64, "artifact_id": U64, "type_tag": NULLABLE(U32), "tombstone": BOOL},
                           ("logseq", "artifact_id", "type_tag", "tombstone"))),
    "tgk_records": ARR(OBJ({"logseq": U64, "tgk_edge_id": U64, "edge_type_key": NULLABLE(U32), "role": U8,
                            "tombstone": BOOL},
                           ("logseq", "tgk_edge_id", "edge_type_key", "role", "tombstone"))),
    "edges": ARR(EDGE),
    "node_projections": BOOL,
    "filters": ARR(OBJ({"kind": ENUM("bloom", "xor8"), "domain": ENUM("asl", "tgk", "node")}, ("kind", "domain"))),
}, ("segment_id", "logseq_min", "logseq_max", "asl_records", "tgk_records"))
QUERIES = {
    "artifact": OBJ({"kind": STR, "artifact_id": U64, "at": U64}, ("kind", "artifact_id", "at")),
    "edge": OBJ({"kind": STR, "tgk_edge_id": U64, "at": U64}, ("kind", "tgk_edge_id", "at")),
    "incident": OBJ({"kind": STR, "node_id": U64, "role": ENUM("from", "to", "any"), "at": U64},
                    ("kind", "node_id", "role", "at")),
}

ARGS = {
    "hello": OBJ({"protocol": STR, "profile": STR,
                  "harness": OBJ({"name": STR, "version": STR}, ("name", "version"))},
                 ("protocol", "profile", "harness")),
    "reset": EMPTY, "shutdown": EMPTY,
    "batch": OBJ({"requests": ARR(ANY, 10000)}, ("requests",)),
    "ci.put": OBJ({"key": HEX, "location": LOCATION, "type_tag": NULLABLE(U32)}, ("key", "location")),
    "ci.tombstone": OBJ({"key": HEX}, ("key",)),
    "ci.lookup": OBJ({"key": HEX, "at": AT}, ("key",)),
    "ci.current": EMPTY, "ci.snapshot": EMPTY,
    "ci.install": OBJ({"snapshot": HEX}, ("snapshot",)),
    "ci.retire": OBJ({"snapshot": HEX}, ("snapshot",)),
    "ci.digest": OBJ({"at": AT}),
    "store.put": OBJ({"bytes": B64, "type_tag": NULLABLE(U32), "structure": NULLABLE(NODE)}, ("bytes",)),
    "store.get": OBJ({"key": HEX, "at": AT}, ("key",)),
    "store.reopen": EMPTY,
    "store.open": OBJ({"dir": STR}, ("dir",)),
    "si.register": OBJ({"node": NODE}, ("node",)),
    "si.get": OBJ({"sid": HEX}, ("sid",)),
    "si.entries": EMPTY,
    "si.rebuild": OBJ({"nodes": ARR(NODE)}, ("nodes",)),
    "mc.get": OBJ({"sid": HEX}, ("sid",)),
    "mc.entries": EMPTY, "mc.drop": EMPTY,
    "mc.recompute": OBJ({"at": AT}),
    "seg.decode": OBJ({"bytes": B64}, ("bytes",)),
    "seg.encode": OBJ({"input": SEGMENT_INPUT}, ("input",)),
    "seg.query": OBJ({"segments": ARR(B64), "use_filters": BOOL, "queries": ARR(("query",))},
                     ("segments", "use_filters", "queries")),
    "filter.build": OBJ({"kind": ENUM("bloom", "xor8"), "keys": ARR(U64)}, ("kind", "keys")),
    "filter.probe": OBJ({"kind": ENUM("bloom", "xor8"), "payload": B64, "keys": ARR(U64)},
                        ("kind", "payload", "keys")),
    "tgk.edge_id": OBJ({"edge": EDGE}, ("edge",)),
    "tgk.project": OBJ({"edge": EDGE, "logseq": U64}, ("edge", "logseq")),
    "shard.assign": OBJ({"key": U64, "shards": INT(1, U32_MAX)}, ("key", "shards")),
}


def _int(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None


def check(shape, v, path="args"):
    kind = shape[0]
    if kind == "any":
        return v
    if kind == "str":
        if not isinstance(v, str):
            raise bad("%s must be a string" % path)
        return v
    if kind == "b64":
        if not isinstance(v, str) or len(v) % 4 or not _B64.fullmatch(v):
            raise bad("%s must be standard padded base64" % path)
        return v
    if kind == "bool":
        if not isinstance(v, bool):
            raise bad("%s must be a boolean" % path)
        return v
    if kind == "int":
        i = _int(v)
        if i is None or not shape[1] <= i <= shape[2]:
            raise bad("%s must be an integer in %d..%d" % (path, shape[1], shape[2]))
        return i
    if kind == "enum":
        if not any(type(v) is type(e) and v == e for e in shape[1]):
            raise bad("%s must be one of %s" % (path, ", ".join(map(str, shape[1]))))
        return v
    if kind == "nullable":
        return None if v is None else check(shape[1], v, path)
    if kind == "arr":
        if not isinstance(v, list):
            raise bad("%s must be an array" % path)
        if shape[2] is not None and len(v) > shape[2]:
            raise bad("%s has more than %d items" % (path, shape[2]))
        return [check(shape[1], x, "%s[%d]" % (path, i)) for i, x in enumerate(v)]
    if kind == "map":
        if not isinstance(v, dict):
            raise bad("%s must be an object" % path)
        return {k: check(shape[1], x, "%s.%s" % (path, k)) for k, x in v.items()}
    if kind == "obj":
        if not isinstance(v, dict):
            raise bad("%s must be an object" % path)
        props, required = shape[1], shape[2]
        for k in v:
            if k not in props:
                raise bad("%s has no member %r" % (path, k))
        for k in props:
            if k in required and k not in v:
                raise bad("%s lacks member %r" % (path, k))
        return {k: check(props[k], x, "%s.%s" % (path, k)) for k, x in v.items()}
    if kind == "input":           # a node input: {sid: hex} or {artifact: hex}
        if not isinstance(v, dict) or len(v) != 1 or next(iter(v)) not in ("sid", "artifact"):
            raise bad("%s must be {sid} or {artifact}" % path)
        return {k: check(STR, x, path + "." + k) for k, x in v.items()}
    if kind == "query":           # oneOf by the const `kind`
        if not isinstance(v, dict):
            raise bad("%s must be an object" % path)
        qk = v.get("kind")
        if not isinstance(qk, str) or qk not in QUERIES:
            raise bad("%s.kind must be artifact, edge or incident" % path)
        return check(QUERIES[qk], v, path)
    raise AssertionError(kind)
