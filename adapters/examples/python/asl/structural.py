"""Structural index: SID -> DAG node (ASL/INDEXES/1 2.2, DEC-017). Reads no stored bytes (IDX-DEP-002)."""
import hashlib
import re
import struct

from .errors import AslError

_HEX32 = re.compile(r"^[0-9a-f]{64}$")
SID_TAG = 0
ARTIFACT_TAG = 1


def _utf8(s, what):
    if not isinstance(s, str):
        raise AslError("SI_INVALID_NODE", "%s is not a string" % what)
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        raise AslError("SI_INVALID_NODE", "%s is not valid UTF-8" % what)


def parse_node(node):
    """A canonical internal node: (op, params dict, inputs [(tag, hex)]); SI_INVALID_NODE when malformed."""
    if not isinstance(node, dict) or set(node) - {"op", "params", "inputs"} or \
            not {"op", "params", "inputs"} <= set(node):
        raise AslError("SI_INVALID_NODE", "a node is {op, params, inputs}")
    op = node["op"]
    _utf8(op, "op")
    params = node["params"]
    if not isinstance(params, dict):
        raise AslError("SI_INVALID_NODE", "params is not an object")
    for k, v in params.items():
        _utf8(k, "param key")
        _utf8(v, "param %r" % k)
    inputs = node["inputs"]
    if not isinstance(inputs, list):
        raise AslError("SI_INVALID_NODE", "inputs is not an array")
    refs = []
    for i, ref in enumerate(inputs):
        if isinstance(ref, dict) and len(ref) == 1:
            (k, v), = ref.items()
            if k in ("sid", "artifact") and isinstance(v, str) and _HEX32.match(v):
                refs.append((SID_TAG if k == "sid" else ARTIFACT_TAG, v))
                continue
        raise AslError("SI_INVALID_NODE", "input %d is neither {sid} nor {artifact}" % i)
    return op, dict(params), refs


def canonical_encoding(op, params, refs):
    def s(x):
        b = x.encode("utf-8")
        return struct.pack("<I", len(b)) + b
    out = [b"ASL-SID/1", s(op), struct.pack("<I", len(params))]
    for k in sorted(params, key=lambda k: k.encode("utf-8")):
        out.append(s(k))
        out.append(s(params[k]))
    out.append(struct.pack("<I", len(refs)))
    for tag, h in refs:
        out.append(bytes([tag]) + bytes.fromhex(h))
    return b"".join(out)


def sid_of(op, params, refs):
    return hashlib.sha256(canonical_encoding(op, params, refs)).hexdigest()


def node_json(op, params, refs):
    # DEC-017: a node is answered with its params in the canonical order (their keys' UTF-8 bytes)
    ordered = {k: params[k] for k in sorted(params, key=lambda k: k.encode("utf-8"))}
    return {"op": op, "params": ordered,
            "inputs": [{"sid": h} if t == SID_TAG else {"artifact": h} for t, h in refs]}


class StructuralIndex:
    def __init__(self):
        self.nodes = {}   # sid -> (op, params, refs)

    def reset(self):
        self.nodes = {}

    @staticmethod
    def _register_into(nodes, node):
        op, params, refs = parse_node(node)
        for t, h in refs:
            if t == SID_TAG and h not in nodes:
                raise AslError("SI_UNKNOWN_INPUT", "input SID %s is not registered" % h)
        sid = sid_of(op, params, refs)
        nodes[sid] = (op, params, refs)
        return sid

    def check(self, node):
        """Validate a node and return its SID without registering it."""
        op, params, refs = parse_node(node)
        for t, h in refs:
            if t == SID_TAG and h not in self.nodes:
                raise AslError("SI_UNKNOWN_INPUT", "input SID %s is not registered" % h)
        return sid_of(op, params, refs)

    def register(self, node):
        return self._register_into(self.nodes, node)

    def get(self, sid):
        return self.nodes.get(sid)

    def entries(self):
        return [{"sid": sid, "node": node_json(*self.nodes[sid])} for sid in sorted(self.nodes)]

    def rebuild(self, nodes):
        """Replace the index by one rebuilt from `nodes` (inputs first); unchanged on error.
        Every node's values are checked (SI_INVALID_NODE) before any input is looked up
        (SI_UNKNOWN_INPUT): value checks come first (DEC-033)."""
        parsed = [parse_node(n) for n in nodes]
        fresh = {}
        for op, params, refs in parsed:
            for t, h in refs:
                if t == SID_TAG and h not in fresh:
                    raise AslError("SI_UNKNOWN_INPUT", "input SID %s is not registered" % h)
            fresh[sid_of(op, params, refs)] = (op, params, refs)
        self.nodes = fresh
        return self.entries()
