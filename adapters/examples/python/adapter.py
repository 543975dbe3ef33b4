#!/usr/bin/env python3
"""asl-conform/1 process adapter (spec/protocol.md): newline-delimited JSON on stdin/stdout.

Standard library only. Logs go to stderr; stdout carries exactly one response line per request.
"""
import json
import os
import sys
import traceback

sys.dont_write_bytecode = True   # leave no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from asl import filters as flt  # noqa: E402
from asl import segment, shapes, tgk  # noqa: E402
from asl.errors import AslError, b64, bad, parse_b64, parse_hex32, parse_u64  # noqa: E402
from asl.matcache import MaterializationCache  # noqa: E402
from asl.query import SegmentSet, shard  # noqa: E402
from asl.store import Store  # noqa: E402
from asl.structural import StructuralIndex, node_json, parse_node  # noqa: E402

PROTOCOL = "asl-conform/1"
PROFILE = "asl-conformance-profile-1"
IMPLEMENTATION = {"name": "asl-python-example", "version": "0.2.0", "language": "python"}
CAPABILITIES = [
    "content-index", "state-digest", "snapshot-retire", "store", "segment-decode", "segment-query",
    "tgk-edges", "node-projections", "filter-bloom", "filter-xor", "segment-encode", "sharding",
    "structural-index", "materialization-cache", "durability",
]
FORBIDDEN_IN_BATCH = {"hello", "reset", "batch", "shutdown"}
CI_ARG = "CI_INVALID_ARGUMENT"


def log(*a):
    print("[asl-python]", *a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ value helpers (DEC-033 step 4)
# Every handler receives args whose shape asl/shapes.py has already checked (PROTO_BAD_REQUEST);
# these read the values of well-typed strings with the operation's domain code.

def p_at(at):
    """An `at` state (or None = CURRENT); malformed values are CI_INVALID_ARGUMENT everywhere."""
    if at is None:
        return None
    return (parse_hex32(at["snapshot"], "at.snapshot", CI_ARG),
            parse_u64(at["position"], "at.position", CI_ARG))


def p_location(loc):
    return tuple(parse_u64(loc[k], "location." + k, CI_ARG) for k in ("block_id", "offset", "length"))


def p_u64s(values, what):
    return [parse_u64(v, what) for v in values]


def loc_json(loc):
    return {"block_id": str(loc[0]), "offset": str(loc[1]), "length": str(loc[2])}


def state_json(sid, pos):
    return {"snapshot": sid, "position": str(pos)}


class Adapter:
    def __init__(self):
        self.store = None
        self.si = StructuralIndex()
        self.mc = MaterializationCache()
        self._reset()

    def _reset(self):
        if self.store is not None:
            self.store.destroy()
        self.store = Store()
        self.si.reset()
        self.mc.reset()

    def close(self):
        if self.store is not None:
            self.store.destroy()
            self.store = None

    # -------------------------------------------------------------- lifecycle
    def op_hello(self, args):
        if args["protocol"] != PROTOCOL or args["profile"] != PROFILE:
            raise AslError("PROTO_VERSION_MISMATCH",
                           "this implementation speaks %s, profile %s only" % (PROTOCOL, PROFILE))
        return {"protocol": PROTOCOL, "implementation": dict(IMPLEMENTATION),
                "capabilities": list(CAPABILITIES)}

    def op_reset(self, args):
        self._reset()
        return {}

    def op_shutdown(self, args):
        return {}

    def op_batch(self, args):
        out = []
        for r in args["requests"]:       # at most 10,000 (shape)
            if not isinstance(r, dict) or set(r) != {"op", "args"} or not isinstance(r["op"], str) \
                    or not isinstance(r["args"], dict):
                out.append({"error": bad("a batch item is {op, args}").to_json()})
                continue
            if r["op"] in FORBIDDEN_IN_BATCH:
                out.append({"error": bad("%s is not allowed in a batch" % r["op"]).to_json()})
                continue
            out.append(self.run(r["op"], r["args"]))
        return {"responses": out}

    def run(self, op, args):
        """One operation -> {"ok": result} or {"error": {...}}; never raises.
        DEC-033: unknown op, then shape (PROTO_BAD_REQUEST), then values (domain codes, in the
        handler before any effect), then the operation's own errors."""
        fn = OPS.get(op)
        if fn is None:
            return {"error": {"code": "PROTO_BAD_REQUEST", "message": "no operation %r in %s" % (op, PROTOCOL)}}
        try:
            args = shapes.check(shapes.ARGS[op], args)
            return {"ok": fn(self, args)}
        except AslError as e:
            return {"error": e.to_json()}
        except RecursionError as e:
            return {"error": {"code": "INTERNAL", "message": "recursion: %s" % e}}
        except Exception as e:  # noqa: BLE001
            log("INTERNAL in", op, traceback.format_exc())
            return {"error": {"code": "INTERNAL", "message": "%s: %s" % (type(e).__name__, e)}}

    # -------------------------------------------------------------- content index
    def op_ci_put(self, args):
        key = parse_hex32(args["key"], "key", CI_ARG)
        loc = p_location(args["location"])
        return {"position": str(self.store.ci_put(key, loc, args.get("type_tag")))}

    def op_ci_tombstone(self, args):
        key = parse_hex32(args["key"], "key", CI_ARG)
        return {"position": str(self.store.ci_tombstone(key))}

    def op_ci_lookup(self, args):
        key = parse_hex32(args["key"], "key", CI_ARG)
        v = self.store.ci.lookup(key, p_at(args.get("at")))
        if v is None:
            return {"found": False}
        return {"found": True, "location": loc_json(v[0]), "type_tag": v[1]}

    def op_ci_current(self, args):
        return state_json(*self.store.ci.current())

    def op_ci_snapshot(self, args):
        return state_json(*self.store.ci_snapshot())

    def op_ci_install(self, args):
        return state_json(*self.store.ci_install(parse_hex32(args["snapshot"], "snapshot", CI_ARG)))

    def op_ci_retire(self, args):
        self.store.ci_retire(parse_hex32(args["snapshot"], "snapshot", CI_ARG))
        return {}

    def op_ci_digest(self, args):
        return {"digest": "%064x" % self.store.ci.digest(p_at(args.get("at")))}

    # -------------------------------------------------------------- store
    def op_store_put(self, args):
        data = parse_b64(args["bytes"])
        tag = args.get("type_tag")
        structure = args.get("structure")
        sid = None
        if structure is not None:
            parse_node(structure)                 # values: SI_INVALID_NODE
            sid = self.si.check(structure)        # then SI_UNKNOWN_INPUT, before anything is stored
        key, aid, loc, created, pos = self.store.put(data, tag)   # collision, then visibility
        if structure is not None:
            self.si.register(structure)
            self.mc.record(sid, key)
        return {"key": key, "artifact_id": str(aid), "location": loc_json(loc), "created": created,
                "position": str(pos), "sid": sid}

    def op_store_get(self, args):
        key = parse_hex32(args["key"], "key", CI_ARG)
        return {"bytes": b64(self.store.get(key, p_at(args.get("at"))))}

    def op_store_reopen(self, args):
        # DEC-034: only the content index, the stored bytes and the collision set must survive.
        # The structural index and the cache are in memory and start empty again, as after a
        # restart (so what si.* and mc.* show after a reopen is exactly what was added since).
        state = self.store.reopen()
        self.si.reset()
        self.mc.reset()
        return state_json(*state)

    def op_store_open(self, args):
        # DEC-041: the store kept in a directory the harness gives, durable before each answer.
        d = args["dir"]
        if not d.startswith("/"):
            raise AslError(CI_ARG, "dir must be an absolute path", field="dir")
        if not os.path.isdir(d):
            raise AslError(CI_ARG, "%s is not a directory" % d, field="dir")
        store = Store.open_dir(d)
        if self.store is not None:
            self.store.destroy()
        self.store = store
        self.si.reset()
        self.mc.reset()
        return state_json(*self.store.ci.current())

    # -------------------------------------------------------------- structural index, cache
    def op_si_register(self, args):
        return {"sid": self.si.register(args["node"])}

    def op_si_get(self, args):
        n = self.si.get(parse_hex32(args["sid"], "sid"))
        return {"found": False} if n is None else {"found": True, "node": node_json(*n)}

    def op_si_entries(self, args):
        return {"entries": self.si.entries()}

    def op_si_rebuild(self, args):
        return {"entries": self.si.rebuild(args["nodes"])}

    def op_mc_get(self, args):
        key = self.mc.get(parse_hex32(args["sid"], "sid"))
        return {"found": False} if key is None else {"found": True, "key": key}

    def op_mc_entries(self, args):
        return {"entries": self.mc.entries()}

    def op_mc_drop(self, args):
        self.mc.drop()
        return {}

    def op_mc_recompute(self, args):
        return {"entries": self.mc.recompute(self.si, self.store, p_at(args.get("at")))}

    # -------------------------------------------------------------- segments
    def op_seg_decode(self, args):
        return {"segment": segment.to_json(segment.decode(parse_b64(args["bytes"])), b64)}

    def op_seg_encode(self, args):
        inp = args["input"]
        seg_id = parse_u64(inp["segment_id"], "segment_id")
        lmin = parse_u64(inp["logseq_min"], "logseq_min")
        lmax = parse_u64(inp["logseq_max"], "logseq_max")
        asl = [(parse_u64(r["logseq"], "logseq"), parse_u64(r["artifact_id"], "artifact_id"),
                r["type_tag"], r["tombstone"]) for r in inp["asl_records"]]
        recs = [(parse_u64(r["logseq"], "logseq"), parse_u64(r["tgk_edge_id"], "tgk_edge_id"),
                 r["edge_type_key"], r["role"], r["tombstone"]) for r in inp["tgk_records"]]
        node_proj = inp.get("node_projections", False)
        edges = {}
        # The edges' node ids are request values (DEC-033): TGK_INVALID_EDGE even without node_projections,
        # where DEC-035 then leaves the edges unused (not checked against the records).
        values = [tgk.edge_values(e) for e in inp.get("edges", [])]
        if node_proj:
            for v in values:                                                 # then each edge, in order
                _et, frm, to = tgk.check_edge(*v)
                edges.setdefault(tgk.edge_id(frm, to), (frm, to))
        fl = [(f["kind"], f["domain"]) for f in inp.get("filters", [])]
        data = segment.encode(seg_id, lmin, lmax, asl, recs, edges, node_proj, fl)
        return {"bytes": b64(data)}

    def op_seg_query(self, args):
        queries = []
        for q in args["queries"]:
            kind = q["kind"]
            ident = parse_u64(q["artifact_id" if kind == "artifact" else
                                "tgk_edge_id" if kind == "edge" else "node_id"], kind + " id")
            queries.append((kind, ident, q.get("role"), parse_u64(q["at"], "at")))
        blobs = [parse_b64(s, "segment") for s in args["segments"]]
        sset = SegmentSet(blobs)                 # set-level errors answer the whole request
        use_filters = args["use_filters"]
        answers = []
        for kind, ident, role, s in queries:
            try:
                if kind == "artifact":
                    answers.append({"ok": sset.artifact(ident, s, use_filters)})
                elif kind == "edge":
                    answers.append({"ok": sset.edge(ident, s, use_filters)})
                else:
                    answers.append({"ok": sset.incident(ident, role, s, use_filters)})
            except AslError as e:
                answers.append({"error": e.to_json()})
        return {"answers": answers}

    def op_filter_build(self, args):
        keys = p_u64s(args["keys"], "key")
        return {"payload": b64(flt.build(args["kind"], keys))}

    def op_filter_probe(self, args):
        kind = args["kind"]
        payload = parse_b64(args["payload"], "payload")
        keys = p_u64s(args["keys"], "key")
        parsed = flt.validate(kind, payload)     # the reader's filter-contents checks (DEC-035)
        return {"results": [flt.probe_parsed(kind, parsed, k) for k in keys]}

    def op_tgk_edge_id(self, args):
        _et, frm, to = tgk.parse_edge(args["edge"])
        return {"edge_id": str(tgk.edge_id(frm, to))}

    def op_tgk_project(self, args):
        values = tgk.edge_values(args["edge"])
        logseq = parse_u64(args["logseq"], "logseq")
        _et, frm, to = tgk.check_edge(*values)
        return {"refs": [{"logseq": str(l), "node_id": str(n), "tgk_edge_id": str(e), "position": p}
                         for (l, n, e, p) in tgk.project(frm, to, logseq)]}

    def op_shard_assign(self, args):
        return {"shard": shard(parse_u64(args["key"], "key"), args["shards"])}


OPS = {
    "hello": Adapter.op_hello, "reset": Adapter.op_reset, "shutdown": Adapter.op_shutdown,
    "batch": Adapter.op_batch,
    "ci.put": Adapter.op_ci_put, "ci.tombstone": Adapter.op_ci_tombstone,
    "ci.lookup": Adapter.op_ci_lookup, "ci.current": Adapter.op_ci_current,
    "ci.snapshot": Adapter.op_ci_snapshot, "ci.install": Adapter.op_ci_install,
    "ci.retire": Adapter.op_ci_retire, "ci.digest": Adapter.op_ci_digest,
    "store.put": Adapter.op_store_put, "store.get": Adapter.op_store_get,
    "store.reopen": Adapter.op_store_reopen, "store.open": Adapter.op_store_open,
    "si.register": Adapter.op_si_register, "si.get": Adapter.op_si_get,
    "si.entries": Adapter.op_si_entries, "si.rebuild": Adapter.op_si_rebuild,
    "mc.get": Adapter.op_mc_get, "mc.entries": Adapter.op_mc_entries, "mc.drop": Adapter.op_mc_drop,
    "mc.recompute": Adapter.op_mc_recompute,
    "seg.decode": Adapter.op_seg_decode, "seg.encode": Adapter.op_seg_encode,
    "seg.query": Adapter.op_seg_query,
    "filter.build": Adapter.op_filter_build, "filter.probe": Adapter.op_filter_probe,
    "tgk.edge_id": Adapter.op_tgk_edge_id, "tgk.project": Adapter.op_tgk_project,
    "shard.assign": Adapter.op_shard_assign,
}


def handle_line(adapter, line):
    """(response dict or None, stop flag). None when the line names no usable id."""
    try:
        msg = json.loads(line)
    except ValueError as e:
        log("malformed line (not JSON), no id to answer:", str(e)[:200])
        return None, False
    if not isinstance(msg, dict):
        log("malformed line (not an object)")
        return None, False
    rid = msg.get("id")
    if isinstance(rid, float) and rid.is_integer():
        rid = int(rid)
    if isinstance(rid, bool) or not isinstance(rid, int) or rid < 1:
        log("request without a positive integer id; cannot answer:", str(line)[:200])
        return None, False
    op = msg.get("op")
    args = msg.get("args")
    if not isinstance(op, str) or not isinstance(args, dict) or set(msg) != {"id", "op", "args"}:
        return {"id": rid, "error": bad("a request is {id, op, args}").to_json()}, False
    out = adapter.run(op, args)
    out = dict(out)
    out["id"] = rid
    return out, (op == "shutdown" and "ok" in out)


def main():
    sys.setrecursionlimit(10000)
    adapter = Adapter()
    stdout = sys.stdout
    try:
        for raw in sys.stdin.buffer:
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            try:
                resp, stop = handle_line(adapter, line)
            except Exception as e:  # noqa: BLE001  (belt and braces: never crash)
                log("INTERNAL:", traceback.format_exc())
                resp, stop = None, False
                try:
                    rid = json.loads(line).get("id")
                    resp = {"id": rid, "error": {"code": "INTERNAL", "message": str(e)}}
                except Exception:  # noqa: BLE001
                    pass
            if resp is not None:
                # response keys: id first, then ok/error
                ordered = {"id": resp["id"]}
                ordered.update((k, v) for k, v in resp.items() if k != "id")
                stdout.write(json.dumps(ordered, separators=(",", ":"), ensure_ascii=True) + "\n")
                stdout.flush()
            if stop:
                break
    finally:
        adapter.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
