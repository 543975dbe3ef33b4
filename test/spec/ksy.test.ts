// The Kaitai Struct description of a segment (spec/formats/asl_tgk_index_segment.ksy) against a segment
// built here by hand, byte by byte, from DEC-001..DEC-014 alone: no reference writer is involved, so the
// .ksy and the decisions are checked against each other. The filter contents are arbitrary bits (Kaitai
// checks framing and parameters, not that a filter holds its keys: ATXI-FLT-002 is beyond it).
import { describe, expect, it } from "vitest";
import {
  type KAccelBlock,
  type KaitaiParseError,
  type KBloomPayload,
  type KFilter,
  KSY_PATH,
  type KXor8Payload,
  loadKaitaiModule,
  u64,
} from "../../authoring/kaitai/compile.ts";
import { xxh64 } from "../../reference/common/hash.ts";

// --- the hand-built segment -------------------------------------------------------------------------
// Offsets (every section follows the previous with no gap, DEC-003):
//   0   header (64)
//   64  bloom filter: header 16 + payload 19 (m = 20 -> 3 bytes of bits) + padding 5   = 40
//   104 xor8 filter:  header 16 + payload 22 (block_length 2 -> 6 fingerprints) + pad 2 = 40
//   144 unknown filter type 7: header 16 + payload 3 + padding 5                          = 24
//   168 ASL records 2 x 24
//   216 TGK records 2 x 24
//   264 node-edge-ref block: header 16 + 2 refs x 32                                     = 80
//   344 unknown block type 9: header 16 + payload 5 + padding 3                          = 24
//   368 footer (32); segment size 400
const OFF = {
  bloom: 64,
  xor8: 104,
  unknownFilter: 144,
  asl: 168,
  tgk: 216,
  refsBlock: 264,
  unknownBlock: 344,
  footer: 368,
  size: 400,
} as const;

const SEGMENT_ID = 0xdeadbeefcafebaben;
const LOGSEQ_MIN = 3n;
const LOGSEQ_MAX = 0x1_0000_000an; // above 2^32: the hi half matters
const BLOOM_SEED = 0x9e3779b97f4a7c15n;
const BLOOM_BITS = [0b0010_0001, 0b0010_0000, 0b0000_1000]; // bits 0, 5, 13, 19 of m = 20
const XOR8_SEED = 0xa0761d6478bd642fn;
const XOR8_FINGERPRINTS = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66];
const ASL = [
  // tombstone: no tag
  { logseq: 5n, artifactId: 0x1234n, typeTag: 0, hasTypeTag: 0, flags: 1 },
  { logseq: 0x1_0000_0002n, artifactId: 0xfedcba9876543210n, typeTag: 0xcafef00d, hasTypeTag: 1, flags: 0 },
] as const;
const TGK = [
  { logseq: 4n, tgkEdgeId: 0x8000000000000001n, edgeTypeKey: 7, hasEdgeType: 1, role: 3, flags: 0 },
  // tombstone: no edge type, no role
  { logseq: 6n, tgkEdgeId: 0x8000000000000002n, edgeTypeKey: 0, hasEdgeType: 0, role: 0, flags: 1 },
] as const;
const REFS = [
  // edge 0x8000000000000001 (role both) at logseq 4, sorted by (node_id, position, tgk_edge_id, logseq)
  { logseq: 4n, nodeId: 0x11n, tgkEdgeId: 0x8000000000000001n, position: 1 },
  { logseq: 4n, nodeId: 0xfffffffffffffff0n, tgkEdgeId: 0x8000000000000001n, position: 2 },
] as const;

type Mutation = (dv: DataView, bytes: Uint8Array) => void;

/** Writes the segment of the table above, applies `mutate`, then seals the checksum (DEC-006). */
function buildSegment(mutate?: Mutation): Uint8Array {
  const bytes = new Uint8Array(OFF.size);
  const dv = new DataView(bytes.buffer);
  const u16 = (o: number, v: number) => dv.setUint16(o, v, true);
  const u32 = (o: number, v: number) => dv.setUint32(o, v, true);
  const u64le = (o: number, v: bigint) => dv.setBigUint64(o, v, true);

  // header (DEC-001, DEC-002)
  bytes.set([0x41, 0x54, 0x58, 0x49], 0);
  u16(4, 1);
  u16(6, 1); // HAS_NODE_PROJECTIONS
  u64le(8, SEGMENT_ID);
  u64le(16, LOGSEQ_MIN);
  u64le(24, LOGSEQ_MAX);
  u64le(32, BigInt(ASL.length));
  u64le(40, BigInt(TGK.length));
  u64le(48, BigInt(OFF.asl));
  u64le(56, BigInt(OFF.footer));

  // bloom filter (DEC-009), domain 1 = ASL artifact_id (DEC-007)
  let o: number = OFF.bloom;
  u16(o, 1);
  u16(o + 2, 1);
  u32(o + 4, 1);
  u64le(o + 8, 16n + 3n);
  u32(o + 16, 20);
  u32(o + 20, 3);
  u64le(o + 24, BLOOM_SEED);
  bytes.set(BLOOM_BITS, o + 32);

  // xor8 filter (DEC-010), domain 2 = TGK tgk_edge_id
  o = OFF.xor8;
  u16(o, 2);
  u16(o + 2, 1);
  u32(o + 4, 2);
  u64le(o + 8, 16n + 6n);
  u64le(o + 16, XOR8_SEED);
  u32(o + 24, 2);
  u32(o + 28, 0);
  bytes.set(XOR8_FINGERPRINTS, o + 32);

  // a filter of a type this profile does not implement (DEC-011): flags are not interpreted
  o = OFF.unknownFilter;
  u16(o, 7);
  u16(o + 2, 1);
  u32(o + 4, 0xffffffff);
  u64le(o + 8, 3n);
  bytes.set([0xaa, 0xbb, 0xcc], o + 16);

  // ASL records (DEC-002)
  ASL.forEach((r, i) => {
    const p = OFF.asl + 24 * i;
    u64le(p, r.logseq);
    u64le(p + 8, r.artifactId);
    u32(p + 16, r.typeTag);
    bytes[p + 20] = r.hasTypeTag;
    bytes[p + 21] = 0;
    u16(p + 22, r.flags);
  });
  // TGK records (DEC-002)
  TGK.forEach((r, i) => {
    const p = OFF.tgk + 24 * i;
    u64le(p, r.logseq);
    u64le(p + 8, r.tgkEdgeId);
    u32(p + 16, r.edgeTypeKey);
    bytes[p + 20] = r.hasEdgeType;
    bytes[p + 21] = r.role;
    u16(p + 22, r.flags);
  });

  // node-edge-ref block (block type 1, version 1; DEC-003)
  o = OFF.refsBlock;
  u16(o, 1);
  u16(o + 2, 1);
  u32(o + 4, 0);
  u64le(o + 8, BigInt(32 * REFS.length));
  REFS.forEach((r, i) => {
    const p = OFF.refsBlock + 16 + 32 * i;
    u64le(p, r.logseq);
    u64le(p + 8, r.nodeId);
    u64le(p + 16, r.tgkEdgeId);
    bytes[p + 24] = r.position;
  });
  // a block of a type this profile does not implement (DEC-011)
  o = OFF.unknownBlock;
  u16(o, 9);
  u16(o + 2, 1);
  u32(o + 4, 0);
  u64le(o + 8, 5n);
  bytes.set([1, 2, 3, 4, 5], o + 16);

  // footer (DEC-002, DEC-003)
  u64le(OFF.footer + 8, 24n * BigInt(ASL.length));
  u64le(OFF.footer + 16, 24n * BigInt(TGK.length));
  u64le(OFF.footer + 24, BigInt(OFF.asl - 64));

  mutate?.(dv, bytes);
  seal(bytes);
  return bytes;
}

/** Writes the XXH64 checksum of DEC-006 (every byte but the checksum field) into the footer. */
function seal(bytes: Uint8Array): bigint {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const footer = Number(dv.getBigUint64(56, true));
  const sum = xxh64([bytes.subarray(0, footer), bytes.subarray(footer + 8, footer + 32)]);
  dv.setBigUint64(footer, sum, true);
  return sum;
}

function isBloom(p: KFilter["payload"]): p is KBloomPayload {
  return !(p instanceof Uint8Array) && "numBits" in p;
}
function isXor8(p: KFilter["payload"]): p is KXor8Payload {
  return !(p instanceof Uint8Array) && "blockLength" in p;
}
function refsOf(block: KAccelBlock) {
  if (block.payload instanceof Uint8Array) throw new Error("expected a parsed node-edge-ref block");
  return block.payload.refs;
}

/** Parses and returns the error thrown, failing when none is. */
async function parseError(bytes: Uint8Array): Promise<KaitaiParseError> {
  const { parse } = await loadKaitaiModule();
  try {
    parse(bytes);
  } catch (e) {
    return e as KaitaiParseError;
  }
  throw new Error("the Kaitai parser accepted a segment it should reject");
}

// --- tests ------------------------------------------------------------------------------------------

describe("Kaitai Struct description of a segment (spec/formats/asl_tgk_index_segment.ksy)", () => {
  it("[ATXI-LAY-001] the .ksy compiles with kaitai-struct-compiler to a JavaScript parser", async () => {
    // loadKaitaiModule throws an error naming KSY_PATH and quoting the compiler's message on failure.
    const mod = await loadKaitaiModule();
    expect(mod.source).toContain("AslTgkIndexSegment");
    expect(KSY_PATH).toMatch(/spec\/formats\/asl_tgk_index_segment\.ksy$/);
    console.log(
      `kaitai: compiler load ${mod.compilerLoadMs.toFixed(0)} ms, compile ${mod.compileMs.toFixed(0)} ms, ` +
        `${mod.source.length} chars of JavaScript`,
    );
  });

  it("[ATXI-LAY-001][ATXI-HDR-001][ATXI-HDR-002][ATXI-HDR-003][ATXI-HDR-004][ATXI-HDR-006][ATXI-HDR-007] parses the header of a hand-built segment", async () => {
    const { parse } = await loadKaitaiModule();
    const seg = parse(buildSegment());
    const h = seg.header;
    expect([...h.magic]).toEqual([0x41, 0x54, 0x58, 0x49]);
    expect(h.version).toBe(1);
    expect(h.flags).toBe(1);
    expect(h.hasNodeProjections).toBe(true);
    expect(u64(h.segmentId)).toBe(SEGMENT_ID);
    expect(u64(h.logseqMin)).toBe(LOGSEQ_MIN);
    expect(u64(h.logseqMax)).toBe(LOGSEQ_MAX);
    expect(u64(h.aslRecordCount)).toBe(2n);
    expect(u64(h.tgkRecordCount)).toBe(2n);
    expect(u64(h.recordAreaOffset)).toBe(BigInt(OFF.asl));
    expect(u64(h.footerOffset)).toBe(BigInt(OFF.footer));
    expect(seg.accelAreaOffset).toBe(OFF.refsBlock);
  });

  it("[ATXI-FLT-001][ATXI-FLT-006][ATXI-FLT-007][ATXI-FLT-008][ATXI-FLT-010] parses the filter area: bloom, xor8 and an unknown filter kept raw", async () => {
    const { parse, enums } = await loadKaitaiModule();
    const filters = parse(buildSegment()).filterArea.filters;
    expect(filters).toHaveLength(3);
    const [bloom, xor8, unknown] = filters as [KFilter, KFilter, KFilter];

    expect(bloom.header.filterType).toBe(enums.FilterType["BLOOM"]);
    expect(bloom.header.filterType).toBe(1);
    expect(bloom.header.version).toBe(1);
    expect(bloom.header.flags).toBe(1);
    expect(bloom.header.domain).toBe(enums.FilterDomain["ASL_ARTIFACT_ID"]);
    expect(u64(bloom.header.sizeBytes)).toBe(19n);
    expect(bloom.header.paddingLen).toBe(5);
    expect(bloom.padding).toEqual([0, 0, 0, 0, 0]);
    if (!isBloom(bloom.payload)) throw new Error("bloom payload not parsed");
    expect(bloom.payload.numBits).toBe(20);
    expect(bloom.payload.numHashes).toBe(3);
    expect(u64(bloom.payload.seed)).toBe(BLOOM_SEED);
    expect([...bloom.payload.bits]).toEqual(BLOOM_BITS);

    expect(xor8.header.filterType).toBe(enums.FilterType["XOR8"]);
    expect(xor8.header.filterType).toBe(2);
    expect(xor8.header.domain).toBe(enums.FilterDomain["TGK_EDGE_ID"]);
    expect(u64(xor8.header.sizeBytes)).toBe(22n);
    expect(xor8.padding).toEqual([0, 0]);
    if (!isXor8(xor8.payload)) throw new Error("xor8 payload not parsed");
    expect(u64(xor8.payload.seed)).toBe(XOR8_SEED);
    expect(xor8.payload.blockLength).toBe(2);
    expect(xor8.payload.reserved).toBe(0);
    expect([...xor8.payload.fingerprints]).toEqual(XOR8_FINGERPRINTS);

    expect(unknown.header.filterType).toBe(7);
    expect(unknown.header.isKnown).toBe(false);
    expect(unknown.header.flags).toBe(0xffffffff);
    expect(unknown.payload).toBeInstanceOf(Uint8Array);
    expect([...(unknown.payload as Uint8Array)]).toEqual([0xaa, 0xbb, 0xcc]);
    expect(unknown.padding).toEqual([0, 0, 0, 0, 0]);
  });

  it("[ATXI-ASL-001][ATXI-ASL-002][ATXI-ASL-004][ATXI-ASL-005][ATXI-INV-001] parses ASL records, 64-bit ids above 2^53 exactly", async () => {
    const { parse } = await loadKaitaiModule();
    const recs = parse(buildSegment()).aslRecords;
    expect(recs).toHaveLength(2);
    recs.forEach((r, i) => {
      const want = ASL[i]!;
      expect(u64(r.logseq)).toBe(want.logseq);
      expect(u64(r.artifactId)).toBe(want.artifactId);
      expect(r.typeTag).toBe(want.typeTag);
      expect(r.hasTypeTag).toBe(want.hasTypeTag);
      expect(r.reserved).toBe(0);
      expect(r.flags).toBe(want.flags);
      expect(r.isTombstone).toBe(want.flags === 1);
    });
    // Why the halves: Kaitai's own u8 reading (and `value`) is a JS number and rounds this id.
    const big = recs[1]!.artifactId;
    expect(big.lo).toBe(0x76543210);
    expect(big.hi).toBe(0xfedcba98);
    expect(BigInt(big.value)).not.toBe(0xfedcba9876543210n);
  });

  it("[ATXI-TGK-001][ATXI-TGK-002][ATXI-TGK-003][ATXI-TGK-004][ATXI-TGK-005][ATXI-INV-002] parses TGK records", async () => {
    const { parse, enums } = await loadKaitaiModule();
    const recs = parse(buildSegment()).tgkRecords;
    expect(recs).toHaveLength(2);
    recs.forEach((r, i) => {
      const want = TGK[i]!;
      expect(u64(r.logseq)).toBe(want.logseq);
      expect(u64(r.tgkEdgeId)).toBe(want.tgkEdgeId);
      expect(r.edgeTypeKey).toBe(want.edgeTypeKey);
      expect(r.hasEdgeType).toBe(want.hasEdgeType);
      expect(r.role).toBe(want.role);
      expect(r.flags).toBe(want.flags);
      expect(r.isTombstone).toBe(want.flags === 1);
    });
    expect(recs[0]!.role).toBe(enums.Role["BOTH_SIDES"]);
    expect(recs[1]!.role).toBe(enums.Role["NONE"]);
  });

  it("[ATXI-ACC-001][ATXI-NPR-001][ATXI-NPR-003][ATXI-NPR-004] parses the acceleration area: node-edge refs and an unknown block kept raw", async () => {
    const { parse, enums } = await loadKaitaiModule();
    const blocks = parse(buildSegment()).accelArea.blocks;
    expect(blocks).toHaveLength(2);
    const [refsBlock, unknown] = blocks as [KAccelBlock, KAccelBlock];
    expect(refsBlock.header.blockType).toBe(enums.BlockType["NODE_EDGE_REFS"]);
    expect(refsBlock.header.version).toBe(1);
    expect(refsBlock.header.flags).toBe(0);
    expect(u64(refsBlock.header.sizeBytes)).toBe(64n);
    expect(refsBlock.padding).toEqual([]);
    const refs = refsOf(refsBlock);
    expect(refs).toHaveLength(2);
    refs.forEach((r, i) => {
      const want = REFS[i]!;
      expect(u64(r.logseq)).toBe(want.logseq);
      expect(u64(r.nodeId)).toBe(want.nodeId);
      expect(u64(r.tgkEdgeId)).toBe(want.tgkEdgeId);
      expect(r.position).toBe(want.position);
      expect([...r.reserved]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    });
    expect(refs[0]!.position).toBe(enums.NodePosition["FROM_SIDE"]);
    expect(refs[1]!.position).toBe(enums.NodePosition["TO_SIDE"]);

    expect(unknown.header.blockType).toBe(9);
    expect(unknown.header.isKnown).toBe(false);
    expect([...(unknown.payload as Uint8Array)]).toEqual([1, 2, 3, 4, 5]);
    expect(unknown.padding).toEqual([0, 0, 0]);
  });

  it("[ATXI-FTR-001][ATXI-FTR-002] parses the footer (a lazy pos instance); the checksum is the XXH64 of DEC-006", async () => {
    const { parse } = await loadKaitaiModule();
    const bytes = buildSegment();
    const sum = seal(bytes.slice());
    const f = parse(bytes).footer;
    expect(u64(f.checksum)).toBe(sum);
    expect(u64(f.aslRecordBytes)).toBe(48n);
    expect(u64(f.tgkRecordBytes)).toBe(48n);
    expect(u64(f.filterBytes)).toBe(104n);
  });

  it("[ATXI-FTR-002] Kaitai cannot check the checksum: a wrong checksum still parses", async () => {
    const { parse } = await loadKaitaiModule();
    const bytes = buildSegment();
    bytes[OFF.footer] = bytes[OFF.footer]! ^ 0xff;
    expect(() => parse(bytes)).not.toThrow();
  });

  it("[ATXI-FTR-001] a defect in the lazy footer shows only when the footer is read", async () => {
    const { parse } = await loadKaitaiModule();
    const bytes = buildSegment((dv) => dv.setBigUint64(OFF.footer + 24, 96n, true));
    const lazy = parse(bytes, { eager: false });
    expect(() => lazy.footer).toThrow(/ValidationExprError|not matching the expression/);
    expect(() => parse(bytes)).toThrow(/\/types\/footer\/seq\/3/);
  });

  // --- rejections (Kaitai `valid`) ------------------------------------------------------------------
  // Each mutation re-seals the checksum (DEC-027), so the defect named is the only one in the segment.
  const u8At =
    (offset: number, value: number): Mutation =>
    (_dv, b) => {
      b[offset] = value;
    };
  const rejections: { title: string; mutate: Mutation; error: string; srcPath: string }[] = [
    {
      title: "[ATXI-HDR-001] rejects a wrong magic",
      mutate: u8At(3, 0x4a), // "ATXJ"
      error: "ValidationNotEqualError",
      srcPath: "/types/header/seq/0",
    },
    {
      title: "[ATXI-HDR-002] rejects version 2",
      mutate: (dv) => dv.setUint16(4, 2, true),
      error: "ValidationNotEqualError",
      srcPath: "/types/header/seq/1",
    },
    {
      title: "[ATXI-HDR-003][ATXI-LAY-002] rejects a reserved header flag bit",
      mutate: (dv) => dv.setUint16(6, 0x8001, true),
      error: "ValidationExprError",
      srcPath: "/types/header/seq/2",
    },
    {
      title: "[ATXI-HDR-004] rejects logseq_min 0",
      mutate: (dv) => dv.setBigUint64(16, 0n, true),
      error: "ValidationExprError",
      srcPath: "/types/header/seq/4",
    },
    {
      title: "[ATXI-HDR-004] rejects logseq_min > logseq_max (exact above 2^53)",
      mutate: (dv) => {
        dv.setBigUint64(16, 0x20_0000_0000_0001n, true);
        dv.setBigUint64(24, 0x20_0000_0000_0000n, true); // equal as JS numbers, not as u64
      },
      error: "ValidationExprError",
      srcPath: "/types/header/seq/5",
    },
    {
      title: "[ATXI-HDR-006] rejects a footer_offset that does not end the segment",
      mutate: (dv) => dv.setBigUint64(56, BigInt(OFF.footer - 8), true),
      error: "ValidationExprError",
      srcPath: "/types/header/seq/9",
    },
    {
      title: "[ATXI-FLT-001][ATXI-LAY-002] rejects a non-zero filter padding byte",
      mutate: u8At(OFF.bloom + 16 + 19 + 2, 1),
      error: "ValidationNotEqualError",
      srcPath: "/types/filter/seq/2",
    },
    {
      title: "[ATXI-FLT-010] rejects a known filter with domain 0",
      mutate: (dv) => dv.setUint32(OFF.xor8 + 4, 0, true),
      error: "ValidationExprError",
      srcPath: "/types/filter_header/seq/2",
    },
    {
      title: "[ATXI-FLT-009] rejects a set bloom bit at p >= m",
      mutate: u8At(OFF.bloom + 32 + 2, 0b0001_1000),
      error: "ValidationExprError",
      srcPath: "/types/bloom_payload/seq/3",
    },
    {
      title: "[ATXI-FLT-009] rejects a bloom num_hashes of 33",
      mutate: (dv) => dv.setUint32(OFF.bloom + 20, 33, true),
      error: "ValidationGreaterThanError",
      srcPath: "/types/bloom_payload/seq/1",
    },
    {
      title: "[ATXI-FLT-008][ATXI-LAY-002] rejects a non-zero xor8 reserved field",
      mutate: (dv) => dv.setUint32(OFF.xor8 + 28, 1, true),
      error: "ValidationNotEqualError",
      srcPath: "/types/xor8_payload/seq/2",
    },
    {
      title: "[ATXI-ASL-004][ATXI-LAY-002] rejects a non-zero reserved byte in an ASL record",
      mutate: u8At(OFF.asl + 24 + 21, 1),
      error: "ValidationNotEqualError",
      srcPath: "/types/asl_record/seq/4",
    },
    {
      title: "[ATXI-ASL-002] rejects has_type_tag 2",
      mutate: u8At(OFF.asl + 24 + 20, 2),
      error: "ValidationExprError",
      srcPath: "/types/asl_record/seq/3",
    },
    {
      title: "[ATXI-ASL-002] rejects a type_tag present while has_type_tag is 0",
      mutate: u8At(OFF.asl + 16, 9),
      error: "ValidationExprError",
      srcPath: "/types/asl_record/seq/3",
    },
    {
      title: "[ATXI-ASL-005] rejects an ASL tombstone with a type tag",
      mutate: (dv) => dv.setUint16(OFF.asl + 24 + 22, 1, true),
      error: "ValidationExprError",
      srcPath: "/types/asl_record/seq/5",
    },
    {
      title: "[ATXI-ASL-007] rejects ASL records out of (artifact_id, logseq) order, exactly on 64 bits",
      // 0x1234 -> 0xfedcba9876543211: above the next id by 1, which a JS number cannot see
      mutate: (dv) => dv.setBigUint64(OFF.asl + 8, 0xfedcba9876543211n, true),
      error: "ValidationExprError",
      srcPath: "/types/asl_record/seq/1",
    },
    {
      title: "[ATXI-HDR-004] rejects an ASL record logseq above logseq_max",
      mutate: (dv) => dv.setBigUint64(OFF.asl + 24, LOGSEQ_MAX + 1n, true),
      error: "ValidationExprError",
      srcPath: "/types/asl_record/seq/0",
    },
    {
      title: "[ATXI-TGK-003] rejects role 4",
      mutate: u8At(OFF.tgk + 21, 4),
      error: "ValidationNotInEnumError",
      srcPath: "/types/tgk_record/seq/4",
    },
    {
      title: "[ATXI-TGK-005] rejects a TGK tombstone with a role",
      mutate: u8At(OFF.tgk + 24 + 21, 1),
      error: "ValidationExprError",
      srcPath: "/types/tgk_record/seq/5",
    },
    {
      title: "[ATXI-TGK-004] rejects a reserved TGK flag bit",
      mutate: (dv) => dv.setUint16(OFF.tgk + 22, 2, true),
      error: "ValidationExprError",
      srcPath: "/types/tgk_record/seq/5",
    },
    {
      title: "[ATXI-NPR-001] rejects node ref position 3",
      mutate: u8At(OFF.refsBlock + 16 + 24, 3),
      error: "ValidationExprError",
      srcPath: "/types/node_edge_ref/seq/3",
    },
    {
      title: "[ATXI-NPR-001][ATXI-LAY-002] rejects a non-zero reserved byte in a node-edge ref",
      mutate: u8At(OFF.refsBlock + 16 + 32 + 31, 1),
      error: "ValidationNotEqualError",
      srcPath: "/types/node_edge_ref/seq/4",
    },
    {
      title: "[ATXI-NPR-003] rejects node-edge refs out of order",
      mutate: (dv) => dv.setBigUint64(OFF.refsBlock + 16 + 8, 0xfffffffffffffff1n, true),
      error: "ValidationExprError",
      srcPath: "/types/node_edge_ref/seq/3",
    },
    {
      title: "[ATXI-NPR-004] rejects a node-edge-ref block while HAS_NODE_PROJECTIONS is clear",
      mutate: (dv) => dv.setUint16(6, 0, true),
      error: "ValidationExprError",
      srcPath: "/types/accel_block_header/seq/3",
    },
    {
      title: "[ATXI-ACC-001][ATXI-NPR-001] rejects a node-edge-ref block whose size is not a multiple of 32",
      mutate: (dv) => dv.setBigUint64(OFF.refsBlock + 8, 56n, true), // 16 + 56 + 0 pad: framing still fits
      error: "ValidationExprError",
      srcPath: "/types/accel_block_header/seq/3",
    },
  ];

  for (const c of rejections) {
    it(`${c.title} (${c.error} at ${c.srcPath})`, async () => {
      const err = await parseError(buildSegment(c.mutate));
      expect(err.name).toBe(c.error);
      expect(err.srcPath).toBe(c.srcPath);
      expect(err.message).toContain(c.srcPath);
    });
  }

  it("[ATXI-FLT-001] rejects a filter whose payload overruns the filter area (end of stream)", async () => {
    const err = await parseError(buildSegment((dv) => dv.setBigUint64(OFF.unknownFilter + 8, 20n, true)));
    expect(err.name).toBe("EOFError");
  });

  it("[ATXI-FTR-003] rejects a truncated segment", async () => {
    const err = await parseError(buildSegment().subarray(0, OFF.size - 1));
    expect(err.srcPath).toBe("/types/header/seq/9");
  });

  it("[ATXI-INV-006] parsing leaves the input bytes unchanged", async () => {
    const { parse } = await loadKaitaiModule();
    const bytes = buildSegment();
    const before = bytes.slice();
    parse(bytes);
    expect(bytes).toEqual(before);
  });
});
