"""Self-checks of the Python adapter (stdlib unittest).

Run: python3 -m unittest discover -s adapters/examples/python -p 'test_*.py'
"""
import base64
import hashlib
import json
import os
import struct
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from asl import filters as flt  # noqa: E402
from asl import segment, tgk  # noqa: E402
from asl.content_index import ContentIndex, snapshot_id  # noqa: E402
from asl.errors import AslError  # noqa: E402
from asl.query import SegmentSet, shard  # noqa: E402
from asl.store import Store  # noqa: E402
from asl.structural import StructuralIndex  # noqa: E402
from asl.xxh64 import xxh64  # noqa: E402


def key(s):
    return hashlib.sha256(s).hexdigest()


def reseal(b):
    b = bytearray(b)
    fo = struct.unpack_from("<Q", b, 56)[0]
    struct.pack_into("<Q", b, fo, segment.checksum_of(b, fo))
    return bytes(b)


def code_of(b):
    try:
        segment.decode(b)
    except AslError as e:
        return e.code, e.offset
    return None


class Xxh64Test(unittest.TestCase):
    def test_known_values(self):
        self.assertEqual(xxh64(b""), 0xEF46DB3751D8E999)
        self.assertEqual(xxh64(b"abc"), 0x44BC2CF5AD770999)

    def test_long_input_is_stable(self):
        data = bytes(range(256)) * 3
        self.assertEqual(xxh64(data), xxh64(bytearray(data)))


class FilterTest(unittest.TestCase):
    def test_fmix64(self):
        self.assertEqual(flt.fmix64(0), 0)
        self.assertNotEqual(flt.fmix64(1), 1)

    def test_bloom_params_and_no_false_negative(self):
        keys = list(range(1, 200, 3))
        p = flt.bloom_build(keys + keys)
        m, k, seed = struct.unpack_from("<IIQ", p)
        self.assertEqual((m, k, seed), (704, 7, 0x9E3779B97F4A7C15))   # 10*67=670 -> 704
        self.assertEqual(len(p), 16 + 88)
        parsed = flt.bloom_parse(p)
        self.assertTrue(all(flt.bloom_probe_parsed(parsed, x) for x in keys))

    def test_xor8_params_and_no_false_negative(self):
        keys = [x * 0x9E3779B97F4A7C15 % 2**64 for x in range(1000)]
        p = flt.xor8_build(keys)
        seed, bl, res = struct.unpack_from("<QII", p)
        self.assertEqual(bl, (32 + 1230) // 3)
        self.assertEqual(res, 0)
        self.assertEqual(seed, next(flt.splitmix64_seq()))
        parsed = flt.xor8_parse(p)
        self.assertTrue(all(flt.xor8_probe_parsed(parsed, x) for x in keys))
        self.assertEqual(p, flt.xor8_build(list(reversed(keys))))     # deterministic

    def test_shard_range(self):
        for n in (1, 2, 7, 2**32 - 1):
            self.assertTrue(0 <= shard(2**64 - 1, n) < n)


class SegmentTest(unittest.TestCase):
    def build(self):
        self.e1 = ([10], [11])
        self.e2 = ([12, 10], [10])
        self.id1 = tgk.edge_id(*self.e1)
        self.id2 = tgk.edge_id(*self.e2)
        return segment.encode(
            7, 1, 9,
            [(4, 42, None, True), (1, 42, None, False), (2, 2**64 - 1, 5, False)],
            [(3, self.id1, 7, 3, False), (5, self.id2, None, 0, False), (6, self.id2, None, 0, True)],
            {self.id1: self.e1, self.id2: self.e2}, True,
            [("bloom", "asl"), ("xor8", "tgk"), ("bloom", "node")])

    def test_round_trip(self):
        data = self.build()
        seg = segment.decode(data)
        self.assertEqual(seg["header"]["segment_id"], 7)
        self.assertEqual([(r[0], r[1]) for r in seg["asl"]], [(1, 42), (4, 42), (2, 2**64 - 1)])
        self.assertEqual(len(seg["refs"]), 5)  # e1: 10 from, 11 to; e2 (live at 5): 10, 12 from, 10 to
        j = segment.to_json(seg, lambda b: base64.b64encode(b).decode())
        self.assertEqual(j["asl_records"][2]["artifact_id"], str(2**64 - 1))
        again = segment.encode(7, 1, 9, [(1, 42, None, False), (4, 42, None, True), (2, 2**64 - 1, 5, False)],
                               [(6, self.id2, None, 0, True), (5, self.id2, None, 0, False), (3, self.id1, 7, 3, False)],
                               {self.id1: self.e1, self.id2: self.e2}, True,
                               [("bloom", "asl"), ("xor8", "tgk"), ("bloom", "node")])
        self.assertEqual(data, again)

    def test_reader_check_order(self):
        data = self.build()
        self.assertEqual(code_of(data[:95]), ("SEG_TRUNCATED", 95))
        self.assertEqual(code_of(b"ATXJ" + data[4:]), ("SEG_BAD_MAGIC", 0))
        bad = bytearray(data)
        bad[100] ^= 1
        self.assertEqual(code_of(bytes(bad))[0], "SEG_CHECKSUM_MISMATCH")
        bad = bytearray(data)
        bad[6] = 2
        self.assertEqual(code_of(reseal(bad)), ("SEG_RESERVED_NONZERO", 6))
        rao = segment.decode(data)["header"]["record_area_offset"]
        bad = bytearray(data)
        bad[rao + 20] = 2   # has_type_tag of the first ASL record
        self.assertEqual(code_of(reseal(bad)), ("SEG_BAD_BOOLEAN", rao + 20))

    def test_writer_refuses_bad_input(self):
        with self.assertRaises(AslError) as cm:
            segment.encode(1, 1, 3, [(4, 1, None, False)], [])
        self.assertEqual(cm.exception.code, "SEG_LOGSEQ_RANGE")
        with self.assertRaises(AslError) as cm:
            segment.encode(1, 1, 3, [(1, 1, 9, True)], [])
        self.assertEqual(cm.exception.code, "SEG_TOMBSTONE_WITH_PAYLOAD")

    def test_queries(self):
        data = self.build()
        s = SegmentSet([data])
        self.assertTrue(s.artifact(42, 3, True)["found"])
        self.assertFalse(s.artifact(42, 4, True)["found"])
        self.assertEqual(s.incident(10, "any", 5, True)["edges"],
                         [str(e) for e in sorted([self.id1, self.id2])])
        self.assertEqual(s.incident(10, "to", 5, True)["edges"], [str(self.id2)])
        self.assertEqual(s.artifact(42, 3, True)["record"],
                         {"logseq": "1", "artifact_id": "42", "has_type_tag": 0, "type_tag": 0})
        with self.assertRaises(AslError) as cm:
            SegmentSet([data, data])
        self.assertEqual(cm.exception.code, "QRY_DUPLICATE_SEGMENT_ID")


class ContentIndexTest(unittest.TestCase):
    def test_basics(self):
        ci = ContentIndex()
        k = key(b"a")
        g, p0 = ci.current()
        self.assertEqual(g, snapshot_id(0, 0))
        self.assertEqual(ci.put(k, (0, 0, 1), None), 0)
        s1, p1 = ci.snapshot()
        self.assertEqual(p1, 1)
        self.assertEqual(ci.tombstone(k), 1)
        self.assertIsNone(ci.lookup(k))
        self.assertEqual(ci.lookup(k, (s1, 1)), ((0, 0, 1), None))
        self.assertIsNone(ci.lookup(k, (g, 0)))
        self.assertEqual(ci.digest(), 0)
        with self.assertRaises(AslError) as cm:
            ci.lookup(k, (s1, 3))
        self.assertEqual(cm.exception.code, "CI_POSITION_BEYOND_CURRENT")
        with self.assertRaises(AslError) as cm:
            ci.lookup(k, (s1, 0))
        self.assertEqual(cm.exception.code, "CI_POSITION_BEFORE_SNAPSHOT")
        ci.install(s1)
        self.assertEqual(ci.current(), (s1, 1))
        self.assertEqual(ci.lookup(k), ((0, 0, 1), None))
        with self.assertRaises(AslError) as cm:
            ci.lookup(k, (g, 1))
        self.assertEqual(cm.exception.code, "CI_STATE_NOT_RETAINED")
        with self.assertRaises(AslError) as cm:
            ci.retire(s1)
        self.assertEqual(cm.exception.code, "CI_SNAPSHOT_IN_USE")
        with self.assertRaises(AslError) as cm:
            ci.retire(g)                      # the genesis snapshot can never be retired
        self.assertEqual(cm.exception.code, "CI_SNAPSHOT_IN_USE")
        ci.tombstone(k)
        s2, _ = ci.snapshot()
        ci.retire(s2)
        with self.assertRaises(AslError) as cm:
            ci.retire(s2)                     # already retired before in use
        self.assertEqual(cm.exception.code, "CI_SNAPSHOT_RETIRED")
        with self.assertRaises(AslError) as cm:
            ci.lookup(k, (s2, 2))
        self.assertEqual(cm.exception.code, "CI_SNAPSHOT_RETIRED")

    def test_same_state_same_id(self):
        a, b = ContentIndex(), ContentIndex()
        ka, kb = key(b"a"), key(b"b")
        a.put(ka, (0, 0, 1), 3)
        a.put(kb, (0, 1, 1), None)
        b.put(kb, (0, 1, 1), None)
        b.put(ka, (0, 9, 9), None)
        b.put(ka, (0, 0, 1), 3)
        b.tombstone(key(b"zzz"))
        self.assertEqual(a.digest(), b.digest())
        self.assertNotEqual(a.snapshot()[0], b.snapshot()[0])   # positions 2 and 4 differ


class StoreTest(unittest.TestCase):
    def test_put_get_reopen(self):
        st = Store()
        try:
            k, aid, loc, created, pos = st.put(b"hello", 1)
            self.assertTrue(created)
            self.assertEqual(pos, 0)
            self.assertEqual(aid, int(k[:16], 16))
            self.assertEqual(st.put(b"hello", 2)[3:], (False, 1))   # CURRENT's position
            snap = st.ci_snapshot()
            st.ci_tombstone(k)
            self.assertEqual(st.put(b"hello", None)[4], 2)
            cur = st.ci.current()
            self.assertEqual(st.reopen(), cur)
            self.assertEqual(st.get(k), b"hello")
            self.assertEqual(st.get(k, snap), b"hello")
            with self.assertRaises(AslError) as cm:
                st.get(key(b"other"))
            self.assertEqual(cm.exception.code, "STORE_NOT_FOUND")
        finally:
            st.destroy()


class DurableStoreTest(unittest.TestCase):
    """store.open's directory (DEC-041): what was answered survives, a torn tail is dropped."""

    def test_torn_tail_dropped_and_acknowledged_kept(self):
        import tempfile
        d = tempfile.mkdtemp(prefix="asl-python-durable-")
        s = Store.open_dir(d)
        key, _, _, created, _ = s.put(b"kept", None)
        self.assertTrue(created)
        s.close()
        with open(os.path.join(d, "journal.log"), "ab") as f:
            f.write(b"0123456789abcdef {\"op\":\"pu")        # a line cut by a crash
        with open(os.path.join(d, "blocks.bin"), "ab") as f:
            f.write(b"bytes no line names")                     # a PUT whose line never landed
        s = Store.open_dir(d)
        self.assertEqual(s.get(key), b"kept")
        self.assertEqual(s.ci.current()[1], 1)
        key2, _, _, _, _ = s.put(b"after", None)                # new PUTs are taken, after the kept bytes
        s.close()
        s = Store.open_dir(d)
        self.assertEqual(s.get(key2), b"after")
        with open(os.path.join(d, "journal.log"), "rb") as f:
            self.assertTrue(f.read().endswith(b"\n"))
        s.destroy()                                             # the harness's directory stays
        self.assertTrue(os.path.isdir(d))


class StructuralTest(unittest.TestCase):
    def test_register(self):
        si = StructuralIndex()
        sid = si.register({"op": "literal", "params": {"hex": "00"}, "inputs": []})
        with self.assertRaises(AslError) as cm:
            si.register({"op": "concat", "params": {}, "inputs": [{"sid": "ab" * 32}]})
        self.assertEqual(cm.exception.code, "SI_UNKNOWN_INPUT")
        sid2 = si.register({"op": "concat", "params": {}, "inputs": [{"sid": sid}, {"artifact": "cd" * 32}]})
        self.assertEqual(len(si.entries()), 2)
        self.assertEqual(si.rebuild([e["node"] for e in si.entries()
                                     if e["sid"] == sid] + [si.entries()[[x["sid"] for x in si.entries()].index(sid2)]["node"]]),
                         si.entries())


import adapter as adapter_mod  # noqa: E402

K = "ab" * 32
GENESIS = snapshot_id(0, 0)


class RequestErrorTest(unittest.TestCase):
    """DEC-033: shape (PROTO_BAD_REQUEST), then values (domain codes), then the operation."""

    def setUp(self):
        self.a = adapter_mod.Adapter()

    def tearDown(self):
        self.a.close()

    def code(self, op, args):
        r = self.a.run(op, args)
        return r["error"]["code"] if "error" in r else "ok"

    def test_shape_before_values(self):
        loc = {"block_id": "0", "offset": "0", "length": "1"}
        self.assertEqual(self.code("ci.put", {"key": K.upper(), "location": loc}), "CI_INVALID_ARGUMENT")
        self.assertEqual(self.code("ci.put", {"key": 1, "location": loc}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("ci.put", {"key": K.upper(), "location": dict(loc, x="1")}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("ci.put", {"key": K, "location": dict(loc, offset="01")}), "CI_INVALID_ARGUMENT")
        self.assertEqual(self.code("ci.put", {"key": K, "location": loc, "type_tag": 2**32}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("ci.lookup", {"key": K}), "ok")
        self.assertEqual(self.code("ci.lookup", {"key": K, "at": {"snapshot": K}}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("ci.lookup", {"key": K, "at": {"snapshot": K, "position": "18446744073709551616"}}),
                         "CI_INVALID_ARGUMENT")
        self.assertEqual(self.code("mc.recompute", {"at": {"snapshot": K, "position": "-1"}}), "CI_INVALID_ARGUMENT")
        self.assertEqual(self.code("mc.recompute", {"at": {"snapshot": K, "position": "1"}}), "CI_UNKNOWN_SNAPSHOT")
        self.assertEqual(self.code("si.get", {"sid": K.upper()}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("mc.get", {"sid": "ab"}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("store.put", {"bytes": "YQ"}), "PROTO_BAD_REQUEST")        # unpadded
        self.assertEqual(self.code("store.put", {"bytes": "Y-=="}), "PROTO_BAD_REQUEST")      # alphabet
        self.assertEqual(self.code("shard.assign", {"key": "01", "shards": 2}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("shard.assign", {"key": "1", "shards": 0}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("filter.build", {"kind": "xor", "keys": []}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("ci.current", {"x": 1}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("no.such", {}), "PROTO_BAD_REQUEST")

    def test_nodes_and_edges(self):
        node = {"op": "concat", "params": {}, "inputs": [{"artifact": K.upper()}]}
        self.assertEqual(self.code("si.register", {"node": node}), "SI_INVALID_NODE")
        self.assertEqual(self.code("si.register", {"node": {"op": "\ud800", "params": {}, "inputs": []}}),
                         "SI_INVALID_NODE")
        self.assertEqual(self.code("si.register", {"node": {"op": "x", "params": {"a": 1}, "inputs": []}}),
                         "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("si.register", {"node": {"op": "x", "params": {}, "inputs": [{"sid": K, "artifact": K}]}}),
                         "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("store.put", {"bytes": "YQ==", "structure": node}), "SI_INVALID_NODE")
        self.assertEqual(self.a.store.ci.tail, 0)                 # nothing stored
        self.assertEqual(self.code("si.rebuild", {"nodes": [{"op": "c", "params": {}, "inputs": [{"sid": K}]}, node]}),
                         "SI_INVALID_NODE")                         # values of every node before inputs
        self.assertEqual(self.code("tgk.edge_id", {"edge": {"from": ["18446744073709551616"], "to": []}}),
                         "TGK_INVALID_EDGE")
        self.assertEqual(self.code("tgk.edge_id", {"edge": {"from": [1], "to": []}}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("tgk.edge_id", {"edge": {"from": ["1", "1"], "to": []}}), "TGK_INVALID_EDGE")
        self.assertEqual(self.code("tgk.project", {"edge": {"from": [], "to": []}, "logseq": "01"}), "PROTO_BAD_REQUEST")
        self.assertEqual(self.code("tgk.project", {"edge": {"from": ["1"], "to": []}, "logseq": "0"}), "ok")

    def test_store_put_and_retire(self):
        r1 = self.a.run("store.put", {"bytes": "YQ=="})["ok"]
        r2 = self.a.run("store.put", {"bytes": "YQ==", "type_tag": 4})["ok"]
        self.assertEqual((r1["created"], r1["position"], r2["created"], r2["position"]), (True, "0", False, "1"))
        self.assertEqual(self.code("ci.retire", {"snapshot": GENESIS}), "CI_SNAPSHOT_IN_USE")
        s = self.a.run("ci.snapshot", {})["ok"]["snapshot"]
        self.a.run("ci.install", {"snapshot": s})
        self.assertEqual(self.code("ci.retire", {"snapshot": GENESIS}), "CI_SNAPSHOT_IN_USE")   # not the base
        self.assertEqual(self.code("ci.retire", {"snapshot": s}), "CI_SNAPSHOT_IN_USE")
        self.a.run("ci.install", {"snapshot": GENESIS})
        self.assertEqual(self.code("ci.retire", {"snapshot": s}), "ok")
        self.assertEqual(self.code("ci.retire", {"snapshot": s}), "CI_SNAPSHOT_RETIRED")
        self.assertEqual(self.code("ci.retire", {"snapshot": K}), "CI_UNKNOWN_SNAPSHOT")
        self.assertEqual(self.code("ci.retire", {"snapshot": K[:-1] + "G"}), "CI_INVALID_ARGUMENT")

    def test_mc_recompute_damage_keeps_cache(self):
        a = hashlib.sha256(b"a").hexdigest()
        self.a.run("store.put", {"bytes": "YQ==", "structure": {"op": "literal", "params": {"hex": "61"}, "inputs": []}})
        before = self.a.run("mc.entries", {})["ok"]
        self.a.run("ci.put", {"key": a, "location": {"block_id": "0", "offset": "99", "length": "1"}})
        self.a.run("si.register", {"node": {"op": "concat", "params": {}, "inputs": [{"artifact": a}]}})
        self.assertEqual(self.code("mc.recompute", {}), "STORE_CORRUPT_BLOCK")
        self.assertEqual(self.a.run("mc.entries", {})["ok"], before)

    def test_filter_probe_refuses_bad_payload(self):
        p = base64.b64decode(self.a.run("filter.build", {"kind": "xor8", "keys": ["1"]})["ok"]["payload"])
        bad_res = p[:12] + b"\1\0\0\0" + p[16:-1]          # reserved word and size both wrong
        r = self.a.run("filter.probe", {"kind": "xor8", "payload": base64.b64encode(bad_res).decode(), "keys": ["1"]})
        self.assertEqual((r["error"]["code"], r["error"]["offset"]), ("SEG_RESERVED_NONZERO", 12))
        r = self.a.run("filter.probe", {"kind": "bloom", "payload": "AAAA", "keys": []})
        self.assertEqual(r["error"]["code"], "SEG_BAD_FILTER_PARAMS")

    def test_seg_encode_edges_and_block(self):
        inp = {"segment_id": "1", "logseq_min": "1", "logseq_max": "3", "asl_records": [], "tgk_records": [],
               "edges": [{"from": [], "to": []}], "node_projections": False}
        self.assertEqual(self.code("seg.encode", {"input": inp}), "ok")           # edges ignored
        self.assertEqual(self.code("seg.encode", {"input": dict(inp, node_projections=True)}), "TGK_INVALID_EDGE")
        ok = self.a.run("seg.encode", {"input": dict(inp, node_projections=True, edges=[])})["ok"]
        seg = segment.decode(base64.b64decode(ok["bytes"]))
        self.assertEqual((seg["header"]["flags"], seg["refs"]), (1, []))          # block and flag, no refs
        rec = {"logseq": "2", "tgk_edge_id": "5", "edge_type_key": None, "role": 0, "tombstone": False}
        self.assertEqual(self.code("seg.encode", {"input": dict(inp, node_projections=True, edges=[],
                                                              tgk_records=[rec])}), "TGK_INVALID_EDGE")
        self.assertEqual(self.code("seg.encode", {"input": dict(inp, tgk_records=[rec])}), "ok")


class ReaderOffsetTest(unittest.TestCase):
    def enc(self, **kw):
        e1 = ([10], [11])
        args = dict(segment_id=1, lmin=1, lmax=9, asl=[(1, 5, None, False), (2, 6, None, False)],
                    tgk=[(3, tgk.edge_id(*e1), None, 1, False)], edges={tgk.edge_id(*e1): e1},
                    node_projections=True, filters=[("xor8", "asl")])
        args.update(kw)
        return bytearray(segment.encode(*args.values()))

    def test_node_ref_offsets(self):
        b = self.enc()
        fo = struct.unpack_from("<Q", b, 56)[0]
        ref0 = fo - 64       # 2 refs of 32 bytes end at the footer
        b2 = bytearray(b)
        struct.pack_into("<Q", b2, ref0 + 16, 7)                 # tgk_edge_id of no record
        self.assertEqual(code_of(reseal(b2)), ("SEG_BAD_NODE_REF", ref0 + 16))
        b2 = bytearray(b)
        struct.pack_into("<Q", b2, ref0, 99)                     # logseq above logseq_max
        self.assertEqual(code_of(reseal(b2)), ("SEG_BAD_NODE_REF", ref0))

    def test_filter_checks_order(self):
        b = self.enc()
        b2 = bytearray(b)
        struct.pack_into("<I", b2, 64 + 4, 4)                    # domain 0 and a reserved bit
        self.assertEqual(code_of(reseal(b2)), ("SEG_BAD_FILTER_PARAMS", 68))
        b2 = bytearray(b)
        struct.pack_into("<I", b2, 64 + 16 + 12, 1)              # xor8 reserved word
        struct.pack_into("<I", b2, 64 + 16 + 8, 1)               # and a block length that breaks the size
        self.assertEqual(code_of(reseal(b2)), ("SEG_RESERVED_NONZERO", 64 + 16 + 12))

    def test_duplicate_logseq_reported_record(self):
        e1 = ([10], [11])
        b = segment.encode(1, 1, 9, [(1, 5, None, False), (2, 6, None, False)],
                           [(3, tgk.edge_id(*e1), None, 1, False)], None, False, [])
        rao = struct.unpack_from("<Q", b, 48)[0]
        b2 = bytearray(b)
        struct.pack_into("<Q", b2, rao + 48, 1)                  # the TGK record repeats logseq 1
        self.assertEqual(code_of(reseal(b2)), ("SEG_DUPLICATE_LOGSEQ", rao + 48))


class ProtocolTest(unittest.TestCase):
    def test_subprocess_framing(self):
        reqs = [
            {"id": 1, "op": "hello", "args": {"protocol": "asl-conform/1", "profile": "asl-conformance-profile-1",
                                              "harness": {"name": "t", "version": "0"}}},
            {"id": 2, "op": "reset", "args": {}},
            {"id": 3, "op": "store.put", "args": {"bytes": base64.b64encode(b"x").decode()}},
            {"id": 4, "op": "batch", "args": {"requests": [{"op": "ci.current", "args": {}},
                                                           {"op": "hello", "args": {}},
                                                           {"op": "no.such", "args": {}}]}},
            {"id": 5, "op": "ci.put", "args": {"key": 1}},
            {"id": 6, "op": "shutdown", "args": {}},
        ]
        text = "".join(json.dumps(r) + "\n" for r in reqs) + "this is not json\n"
        proc = subprocess.run([sys.executable, os.path.join(HERE, "adapter.py")], input=text.encode(),
                              capture_output=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        lines = [json.loads(x) for x in proc.stdout.decode().splitlines()]
        self.assertEqual([x["id"] for x in lines], [1, 2, 3, 4, 5, 6])
        self.assertEqual(lines[0]["ok"]["protocol"], "asl-conform/1")
        self.assertTrue(lines[2]["ok"]["created"])
        batch = lines[3]["ok"]["responses"]
        self.assertEqual(batch[0]["ok"]["position"], "1")
        self.assertEqual(batch[1]["error"]["code"], "PROTO_BAD_REQUEST")
        self.assertEqual(batch[2]["error"]["code"], "PROTO_BAD_REQUEST")   # names no operation
        self.assertEqual(lines[4]["error"]["code"], "PROTO_BAD_REQUEST")

    def test_lines_and_batches(self):
        ad = adapter_mod.Adapter()
        try:
            h = adapter_mod.handle_line
            self.assertEqual(h(ad, '{"op":"ci.current","args":{}}'), (None, False))
            self.assertEqual(h(ad, '{"id":0,"op":"ci.current","args":{}}'), (None, False))
            self.assertEqual(h(ad, '[1]'), (None, False))
            self.assertEqual(h(ad, '{"id":3,"op":"ci.current"}')[0]["error"]["code"], "PROTO_BAD_REQUEST")
            self.assertEqual(h(ad, '{"id":3,"op":"ci.current","args":{},"x":1}')[0]["error"]["code"],
                             "PROTO_BAD_REQUEST")
            hello = {"protocol": "asl-conform/1", "profile": "other", "harness": {"name": "t", "version": "0"}}
            self.assertEqual(ad.run("hello", hello)["error"]["code"], "PROTO_VERSION_MISMATCH")
            self.assertEqual(ad.run("batch", {"requests": 5})["error"]["code"], "PROTO_BAD_REQUEST")
            self.assertEqual(ad.run("batch", {"requests": [{"op": "ci.current", "args": {}}] * 10001})["error"]["code"],
                             "PROTO_BAD_REQUEST")
            out = ad.run("batch", {"requests": [{"op": "ci.current", "args": {}, "id": 1}, {"op": "reset", "args": {}},
                                                {"op": "ci.current", "args": {}}]})["ok"]["responses"]
            self.assertEqual([("ok" if "ok" in r else r["error"]["code"]) for r in out],
                             ["PROTO_BAD_REQUEST", "PROTO_BAD_REQUEST", "ok"])
        finally:
            ad.close()

    def test_version_mismatch(self):
        req = {"id": 9, "op": "hello", "args": {"protocol": "asl-conform/2", "profile": "p",
                                                "harness": {"name": "t", "version": "0"}}}
        proc = subprocess.run([sys.executable, os.path.join(HERE, "adapter.py")],
                              input=(json.dumps(req) + "\n").encode(), capture_output=True, timeout=60)
        self.assertEqual(json.loads(proc.stdout)["error"]["code"], "PROTO_VERSION_MISMATCH")


if __name__ == "__main__":
    unittest.main()
