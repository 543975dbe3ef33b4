"""Materialization cache: SID -> ArtifactKey (ASL/INDEXES/1 2.3) and the DEC-028 stand-in ops.

The cache is only a hint: nothing in the store or the content index reads it (IDX-MC-002/004).
"""
import hashlib
import re

from .structural import SID_TAG

_LOWER_HEX = re.compile(r"(?:[0-9a-f]{2})*")


class MaterializationCache:
    def __init__(self):
        self.entries_ = {}

    def reset(self):
        self.entries_ = {}

    def record(self, sid, key):
        self.entries_[sid] = key

    def get(self, sid):
        return self.entries_.get(sid)

    def drop(self):
        self.entries_ = {}

    def entries(self):
        return [{"sid": s, "key": self.entries_[s]} for s in sorted(self.entries_)]

    def recompute(self, si, store, at):
        """DEC-028: check the state first, then evaluate every node of the structural index at
        state `at` (literal: no inputs and an even-length lowercase "hex"; concat: inputs left to
        right, stopping at the first without a result; other ops: no result) and keep SID -> key
        when the result's key is visible there. The cache is replaced only when all went well."""
        line, pos = store.ci.resolve(at)     # state errors first
        lookup = store.ci._lookup_in
        memo = {}

        def evaluate(sid):
            if sid in memo:
                return memo[sid]
            memo[sid] = None                 # a cycle cannot occur (inputs come first); be safe
            node = si.get(sid)
            result = None
            if node is not None:
                op, params, refs = node
                if op == "literal":
                    hx = params.get("hex")
                    if not refs and isinstance(hx, str) and _LOWER_HEX.fullmatch(hx):
                        result = bytes.fromhex(hx)
                elif op == "concat":
                    parts = []
                    for t, h in refs:
                        if t == SID_TAG:
                            b = evaluate(h)
                        else:
                            v = lookup(line, pos, h)
                            # a visible input's bytes are read as store.get reads them; damage
                            # (STORE_CORRUPT_BLOCK) fails the whole recompute, cache untouched
                            b = None if v is None else store.read(h, v[0])
                        if b is None:
                            parts = None
                            break
                        parts.append(b)
                    if parts is not None:
                        result = b"".join(parts)
            memo[sid] = result
            return result

        fresh = {}
        for sid in sorted(si.nodes):
            data = evaluate(sid)
            if data is None:
                continue
            key = hashlib.sha256(data).hexdigest()
            if lookup(line, pos, key) is not None:
                fresh[sid] = key
        self.entries_ = fresh
        return self.entries()
