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
from asl import segment, tgk  # noqa: E402
from asl.errors import (AslError, U64_MAX, b64, bad, parse_b64, parse_bool, parse_hex32,  # noqa: E402
                        parse_list, parse_opt_u32, parse_u64, parse_uint, require_obj)
from asl.matcache import MaterializationCache  # noqa: E402
from asl.query import SegmentSet, shard  # noqa: E402
from asl.store import Store  # noqa: E402
from asl.structural import StructuralIndex, node_json, parse_node  # noqa: E402

PROTOCOL = "asl-conform/1"
IMPLEMENTATION = {"name": "asl-python-example", "version": "0.1.0", "language": "python"}
CAPABILITIES = [
    "content-index", "store", "segment-decode", "segment-query", "tgk-edges", "node-projections",
    "filter-bloom", "filter-xor", "segment-encode", "sharding", "structural-index",
    "materialization-cache",
]
BATCH_MAX = 10000
FORBIDDEN_IN_BATCH = {"hello", "reset", "batch", "shutdown"}
CI_ARG = "CI_INVALID_ARGUMENT"


def log(*a):
    print("[asl-python]", *a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ argument helpers

def p_at(args):
    at = args.get("at")
    if at is None:
        return None
    require_obj(at, ("snapshot", "position"), ("snapshot", "position"))
    return (parse_hex32(at["snapshot"], "at.snapshot", CI_ARG),
            parse_u64(at["position"], "at.position", CI_ARG))


def p_location(loc):
    require_obj(loc, ("block_id", "offset", "length"), ("block_id", "offset", "length"))
    return tuple(parse_u64(loc[k], "location." + k, CI_ARG) for k in ("block_id", "offset", "length"))


def loc_json(loc):
    return {"block_id": str(loc[0]), "offset": str(loc[1]), "length": str(loc[2])}


def state_json(sid, pos):
    return {"snapshot": sid, "position": str(pos)}


def p_node_arg(v):
    # any malformed node (not an object included) is SI_INVALID_NODE, checked by parse_node
    return v


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
        require_obj(args, ("protocol", "profile", "harness"), ("protocol", "profile", "harness"))
        if args["protocol"] != PROTOCOL:
            raise AslError("PROTO_VERSION_MISMATCH", "this implementation speaks %s only" % PROTOCOL)
        return {"protocol": PROTOCOL, "implementation": dict(IMPLEMENTATION),
                "capabilities": list(CAPABILITIES)}

    def op_reset(self, args):
        require_obj(args, ())
        self._reset()
        return {}

    def op_shutdown(self, args):
        require_obj(args, ())
        return {}

    def op_batch(self, args):
        require_obj(args, ("requests",), ("requests",))
        reqs = parse_list(args["requests"], "requests", BATCH_MAX)
        out = []
        for r in reqs:
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
        """One operation -> {"ok": result} or {"error": {...}}; never raises."""
        fn = OPS.get(op)
        if fn is None:
            return {"error": {"code": "PROTO_NOT_SUPPORTED", "message": "unknown op %r" % (op,)}}
        try:
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
        require_obj(args, ("key", "location", "type_tag"), ("key", "location"))
        key = parse_hex32(args["key"], "key", CI_ARG)
        loc = p_location(args["location"])
        tag = parse_opt_u32(args.get("type_tag"))
        return {"position": str(self.store.ci_put(key, loc, tag))}

    def op_ci_tombstone(self, args):
        require_obj(args, ("key",), ("key",))
        key = parse_hex32(args["key"], "key", CI_ARG)
        return {"position": str(self.store.ci_tombstone(key))}

    def op_ci_lookup(self, args):
        require_obj(args, ("key", "at"), ("key",))
        key = parse_hex32(args["key"], "key", CI_ARG)
        v = self.store.ci.lookup(key, p_at(args))
        if v is None:
            return {"found": False}
        return {"found": True, "location": loc_json(v[0]), "type_tag": v[1]}

    def op_ci_current(self, args):
        require_obj(args, ())
        return state_json(*self.store.ci.current())

    def op_ci_snapshot(self, args):
        require_obj(args, ())
        return state_json(*self.store.ci_snapshot())

    def op_ci_install(self, args):
        require_obj(args, ("snapshot",), ("snapshot",))
        return state_json(*self.store.ci_install(parse_hex32(args["snapshot"], "snapshot", CI_ARG)))

    def op_ci_retire(self, args):
        require_obj(args, ("snapshot",), ("snapshot",))
        self.store.ci_retire(parse_hex32(args["snapshot"], "snapshot", CI_ARG))
        return {}

    def op_ci_digest(self, args):
        require_obj(args, ("at",))
        return {"digest": "%064x" % self.store.ci.digest(p_at(args))}

    # -------------------------------------------------------------- store
    def op_store_put(self, args):
        require_obj(args, ("bytes", "type_tag", "structure"), ("bytes",))
        data = parse_b64(args["bytes"])
        tag = parse_opt_u32(args.get("type_tag"))
        structure = args.get("structure")
        sid = None
        if structure is not None:
            sid = self.si.check(p_node_arg(structure))   # refuse a bad node before storing anything
        key, aid, loc, created, pos = self.store.put(data, tag)
        if structure is not None:
            self.si.register(structure)
            self.mc.record(sid, key)
        return {"key": key, "artifact_id": str(aid), "location": loc_json(loc), "created": created,
                "position": None if pos is None else str(pos), "sid": sid}

    def op_store_get(self, args):
        require_obj(args, ("key", "at"), ("key",))
        key = parse_hex32(args["key"], "key", CI_ARG)
        return {"bytes": b64(self.store.get(key, p_at(args)))}

    def op_store_reopen(self, args):
        require_obj(args, ())
        return state_json(*self.store.reopen())

    # -------------------------------------------------------------- structural index, cache
    def op_si_register(self, args):
        require_obj(args, ("node",), ("node",))
        return {"sid": self.si.register(p_node_arg(args["node"]))}

    def op_si_get(self, args):
        require_obj(args, ("sid",), ("sid",))
        sid = parse_hex32(args["sid"], "sid")
        n = self.si.get(sid)
        return {"found": False} if n is None else {"found": True, "node": node_json(*n)}

    def op_si_entries(self, args):
        require_obj(args, ())
        return {"entries": self.si.entries()}

    def op_si_rebuild(self, args):
        require_obj(args, ("nodes",), ("nodes",))
        nodes = [p_node_arg(n) for n in parse_list(args["nodes"], "nodes")]
        return {"entries": self.si.rebuild(nodes)}

    def op_mc_get(self, args):
        require_obj(args, ("sid",), ("sid",))
        key = self.mc.get(parse_hex32(args["sid"], "sid"))
        return {"found": False} if key is None else {"found": True, "key": key}

    def op_mc_entries(self, args):
        require_obj(args, ())
        return {"entries": self.mc.entries()}

    def op_mc_drop(self, args):
        require_obj(args, ())
        self.mc.drop()
        return {}

    def op_mc_recompute(self, args):
        require_obj(args, ("at",))
        return {"entries": self.mc.recompute(self.si, self.store, p_at(args))}

    # -------------------------------------------------------------- segments
    def op_seg_decode(self, args):
        require_obj(args, ("bytes",), ("bytes",))
        return {"segment": segment.to_json(segment.decode(parse_b64(args["bytes"])), b64)}

    def op_seg_encode(self, args):
        require_obj(args, ("input",), ("input",))
        inp = require_obj(args["input"], ("segment_id", "logseq_min", "logseq_max", "asl_records",
                                          "tgk_records", "edges", "node_projections", "filters"),
                          ("segment_id", "logseq_min", "logseq_max", "asl_records", "tgk_records"))
        seg_id = parse_u64(inp["segment_id"], "segment_id")
        lmin = parse_u64(inp["logseq_min"], "logseq_min")
        lmax = parse_u64(inp["logseq_max"], "logseq_max")
        asl = []
        for r in parse_list(inp["asl_records"], "asl_records"):
            require_obj(r, ("logseq", "artifact_id", "type_tag", "tombstone"),
                        ("logseq", "artifact_id", "type_tag", "tombstone"))
            asl.append((parse_u64(r["logseq"], "logseq"), parse_u64(r["artifact_id"], "artifact_id"),
                        parse_opt_u32(r["type_tag"]), parse_bool(r["tombstone"], "tombstone")))
        recs = []
        for r in parse_list(inp["tgk_records"], "tgk_records"):
            require_obj(r, ("logseq", "tgk_edge_id", "edge_type_key", "role", "tombstone"),
                        ("logseq", "tgk_edge_id", "edge_type_key", "role", "tombstone"))
            recs.append((parse_u64(r["logseq"], "logseq"), parse_u64(r["tgk_edge_id"], "tgk_edge_id"),
                         parse_opt_u32(r["edge_type_key"], "edge_type_key"),
                         parse_uint(r["role"], 8, "role"), parse_bool(r["tombstone"], "tombstone")))
        node_proj = parse_bool(inp.get("node_projections", False), "node_projections")
        edges = {}
        for e in parse_list(inp.get("edges", []), "edges"):
            _et, frm, to = tgk.parse_edge(e)
            edges[tgk.edge_id(frm, to)] = (frm, to)
        fl = []
        for f in parse_list(inp.get("filters", []), "filters"):
            require_obj(f, ("kind", "domain"), ("kind", "domain"))
            if f["kind"] not in ("bloom", "xor8") or f["domain"] not in ("asl", "tgk", "node"):
                raise bad("filter kind is bloom or xor8, domain asl, tgk or node")
            fl.append((f["kind"], f["domain"]))
        data = segment.encode(seg_id, lmin, lmax, asl, recs, edges, node_proj, fl)
        return {"bytes": b64(data)}

    def op_seg_query(self, args):
        require_obj(args, ("segments", "use_filters", "queries"), ("segments", "use_filters", "queries"))
        blobs = [parse_b64(s, "segment") for s in parse_list(args["segments"], "segments")]
        use_filters = parse_bool(args["use_filters"], "use_filters")
        queries = []
        for q in parse_list(args["queries"], "queries"):
            if not isinstance(q, dict):
                raise bad("a query is an object")
            kind = q.get("kind")
            if kind == "artifact":
                require_obj(q, ("kind", "artifact_id", "at"), ("kind", "artifact_id", "at"))
                queries.append((kind, parse_u64(q["artifact_id"], "artifact_id"), None,
                                parse_u64(q["at"], "at")))
            elif kind == "edge":
                require_obj(q, ("kind", "tgk_edge_id", "at"), ("kind", "tgk_edge_id", "at"))
                queries.append((kind, parse_u64(q["tgk_edge_id"], "tgk_edge_id"), None,
                                parse_u64(q["at"], "at")))
            elif kind == "incident":
                require_obj(q, ("kind", "node_id", "role", "at"), ("kind", "node_id", "role", "at"))
                if q["role"] not in ("from", "to", "any"):
                    raise bad("role is from, to or any")
                queries.append((kind, parse_u64(q["node_id"], "node_id"), q["role"],
                                parse_u64(q["at"], "at")))
            else:
                raise bad("query kind is artifact, edge or incident")
        sset = SegmentSet(blobs)
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
        require_obj(args, ("kind", "keys"), ("kind", "keys"))
        if args["kind"] not in ("bloom", "xor8"):
            raise bad("kind is bloom or xor8")
        keys = [parse_u64(k, "key") for k in parse_list(args["keys"], "keys")]
        return {"payload": b64(flt.build(args["kind"], keys))}

    def op_filter_probe(self, args):
        require_obj(args, ("kind", "payload", "keys"), ("kind", "payload", "keys"))
        kind = args["kind"]
        if kind not in ("bloom", "xor8"):
            raise bad("kind is bloom or xor8")
        payload = parse_b64(args["payload"], "payload")
        keys = [parse_u64(k, "key") for k in parse_list(args["keys"], "keys")]
        parsed = flt.parse(kind, payload)
        if parsed is None:
            raise AslError("SEG_BAD_FILTER_PARAMS", "the payload is not a valid %s filter" % kind)
        return {"results": [flt.probe_parsed(kind, parsed, k) for k in keys]}

    def op_tgk_edge_id(self, args):
        require_obj(args, ("edge",), ("edge",))
        _et, frm, to = tgk.parse_edge(args["edge"])
        return {"edge_id": str(tgk.edge_id(frm, to))}

    def op_tgk_project(self, args):
        require_obj(args, ("edge", "logseq"), ("edge", "logseq"))
        _et, frm, to = tgk.parse_edge(args["edge"])
        logseq = parse_u64(args["logseq"], "logseq")
        return {"refs": [{"logseq": str(l), "node_id": str(n), "tgk_edge_id": str(e), "position": p}
                         for (l, n, e, p) in tgk.project(frm, to, logseq)]}

    def op_shard_assign(self, args):
        require_obj(args, ("key", "shards"), ("key", "shards"))
        key = parse_u64(args["key"], "key")
        n = parse_uint(args["shards"], 32, "shards")
        if n < 1:
            raise bad("shards must be >= 1")
        return {"shard": shard(key, n)}


OPS = {
    "hello": Adapter.op_hello, "reset": Adapter.op_reset, "shutdown": Adapter.op_shutdown,
    "batch": Adapter.op_batch,
    "ci.put": Adapter.op_ci_put, "ci.tombstone": Adapter.op_ci_tombstone,
    "ci.lookup": Adapter.op_ci_lookup, "ci.current": Adapter.op_ci_current,
    "ci.snapshot": Adapter.op_ci_snapshot, "ci.install": Adapter.op_ci_install,
    "ci.retire": Adapter.op_ci_retire, "ci.digest": Adapter.op_ci_digest,
    "store.put": Adapter.op_store_put, "store.get": Adapter.op_store_get,
    "store.reopen": Adapter.op_store_reopen,
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
    if isinstance(rid, bool) or not isinstance(rid, int) or rid < 1:
        log("request without a positive integer id; cannot answer:", str(line)[:200])
        return None, False
    op = msg.get("op")
    args = msg.get("args")
    if not isinstance(op, str) or not isinstance(args, dict) or set(msg) - {"id", "op", "args"}:
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
