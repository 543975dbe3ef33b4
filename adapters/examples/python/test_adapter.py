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
                         sorted([{"tgk_edge_id": str(self.id1), "positions": [1]},
                                 {"tgk_edge_id": str(self.id2), "positions": [1, 2]}],
                                key=lambda e: int(e["tgk_edge_id"])))
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
        ci.retire(g)
        with self.assertRaises(AslError) as cm:
            ci.lookup(k, (g, 0))
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
            self.assertEqual(st.put(b"hello", 2)[3:], (False, None))
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
        self.assertEqual(batch[2]["error"]["code"], "PROTO_NOT_SUPPORTED")
        self.assertEqual(lines[4]["error"]["code"], "PROTO_BAD_REQUEST")

    def test_version_mismatch(self):
        req = {"id": 9, "op": "hello", "args": {"protocol": "asl-conform/2", "profile": "p",
                                                "harness": {"name": "t", "version": "0"}}}
        proc = subprocess.run([sys.executable, os.path.join(HERE, "adapter.py")],
                              input=(json.dumps(req) + "\n").encode(), capture_output=True, timeout=60)
        self.assertEqual(json.loads(proc.stdout)["error"]["code"], "PROTO_VERSION_MISMATCH")


if __name__ == "__main__":
    unittest.main()
