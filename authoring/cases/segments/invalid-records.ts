// The malformed golden vectors of the per-record and per-filter checks of DEC-027 (asl-records,
// tgk-records, logseq-unique, node-refs, filter-contents, filter-completeness): single defects in the "full"
// valid segment, and the boundary cases of those steps (recordBoundaryCases). Rules: ATXI-DEC-001 and the
// rule each defect breaks.
import type { ErrorCode } from "../../../reference/common/errors.ts";
import { bloomProbePositions, buildBloom } from "../../../reference/filters/bloom.ts";
import type { BloomFilter, Xor8Filter } from "../../../reference/filters/filter.ts";
import { filterMayContain } from "../../../reference/filters/filter.ts";
import { xor8Indexes } from "../../../reference/filters/xor8.ts";
import { type DecodedSegment, decodeSegment } from "../../../reference/segment/decode.ts";
import { AR, FR, NR, TR } from "../../../reference/segment/layout.ts";
import type { Frame } from "../../../reference/segment/reader.ts";
import { at, type CaseSpec, type CheckRef, type Edit, u8, u16, u32, u64 } from "./edits.ts";

export interface DraftContext {
  add: (
    base: string,
    name: string,
    code: ErrorCode,
    flags: string[],
    comment: string,
    edits: Edit[],
    reseal?: boolean,
  ) => void;
  full: Uint8Array;
  d: DecodedSegment;
  a: (i: number) => number;
  t: (i: number) => number;
  ref: (i: number) => number;
  fBloom: Frame;
  fXor: Frame;
  tgkTomb: number;
  tgkNoType: number;
  asl: Uint8Array;
}

export function recordAndFilterDrafts(ctx: DraftContext): void {
  const { add, full, d, a, t, ref, fBloom, fXor, tgkTomb, tgkNoType, asl } = ctx;
  add(
    "full",
    "asl-reserved-byte",
    "SEG_RESERVED_NONZERO",
    ["ReservedBits"],
    "an ASL record's reserved byte is 1",
    [u8(a(0) + AR.reserved, 1)],
  );
  add("full", "asl-flag-bit-1", "SEG_RESERVED_NONZERO", ["ReservedBits"], "an ASL record's flag bit 1", [
    u16(a(0) + AR.flags, 2),
  ]);
  add("full", "asl-has-type-tag-2", "SEG_BAD_BOOLEAN", ["Boolean"], "has_type_tag 2", [
    u8(a(0) + AR.hasTypeTag, 2),
  ]);
  add(
    "full",
    "asl-absent-tag-nonzero",
    "SEG_ABSENT_FIELD_NONZERO",
    ["AbsentField"],
    "type_tag 5 with has_type_tag 0",
    [u32(a(1) + AR.typeTag, 5)],
  );
  add(
    "full",
    "asl-tombstone-with-tag",
    "SEG_TOMBSTONE_WITH_PAYLOAD",
    ["Tombstone"],
    "a tombstone with has_type_tag 1",
    [u8(a(3) + AR.hasTypeTag, 1)],
  );
  add(
    "full",
    "asl-logseq-above-max",
    "SEG_LOGSEQ_RANGE",
    ["LogseqRange"],
    "a record's logseq above logseq_max",
    [u64(a(0) + AR.logseq, 101n)],
  );
  add("full", "asl-order-swapped", "SEG_RECORD_ORDER", ["RecordOrder"], "the first two ASL records swapped", [
    { offset: a(0), after: asl.slice(24, 48) },
    { offset: a(1), after: asl.slice(0, 24) },
  ]);
  add(
    "full",
    "asl-duplicate-key",
    "SEG_RECORD_ORDER",
    ["RecordOrder", "Duplicate"],
    "two ASL records with the same (artifact_id, logseq)",
    [{ offset: a(3), after: full.slice(a(2), a(2) + 24) }],
  );
  add("full", "tgk-flag-bit-2", "SEG_RESERVED_NONZERO", ["ReservedBits"], "a TGK record's flag bit 2", [
    u16(t(0) + TR.flags, 4),
  ]);
  add("full", "tgk-has-edge-type-2", "SEG_BAD_BOOLEAN", ["Boolean"], "has_edge_type 2", [
    u8(t(0) + TR.hasEdgeType, 2),
  ]);
  add(
    "full",
    "tgk-absent-edge-type-nonzero",
    "SEG_ABSENT_FIELD_NONZERO",
    ["AbsentField"],
    "edge_type_key 1 with has_edge_type 0",
    [u32(t(tgkNoType) + TR.edgeTypeKey, 1)],
  );
  add("full", "tgk-role-4", "SEG_BAD_ROLE", ["Role"], "role 4", [u8(t(0) + TR.role, 4)]);
  add("full", "tgk-role-255", "SEG_BAD_ROLE", ["Role"], "role 255", [u8(t(0) + TR.role, 255)]);
  add(
    "full",
    "tgk-tombstone-with-role",
    "SEG_TOMBSTONE_WITH_PAYLOAD",
    ["Tombstone"],
    "a tombstone with role 1",
    [u8(t(tgkTomb) + TR.role, 1)],
  );
  add(
    "full",
    "tgk-tombstone-with-edge-type",
    "SEG_TOMBSTONE_WITH_PAYLOAD",
    ["Tombstone"],
    "a tombstone with has_edge_type 1",
    [u8(t(tgkTomb) + TR.hasEdgeType, 1)],
  );
  add(
    "full",
    "tgk-logseq-below-min",
    "SEG_LOGSEQ_RANGE",
    ["LogseqRange"],
    "a TGK record's logseq 0, below logseq_min",
    [u64(t(0) + TR.logseq, 0n)],
  );
  const tgkRaw = full.subarray(t(0), t(0) + 48);
  add("full", "tgk-order-swapped", "SEG_RECORD_ORDER", ["RecordOrder"], "the first two TGK records swapped", [
    { offset: t(0), after: tgkRaw.slice(24, 48) },
    { offset: t(1), after: tgkRaw.slice(0, 24) },
  ]);
  add(
    "full",
    "tgk-logseq-equals-asl-logseq",
    "SEG_DUPLICATE_LOGSEQ",
    ["DuplicateLogseq"],
    "a TGK record takes the logseq of an ASL record",
    [u64(t(tgkTomb) + TR.logseq, d.asl.logseq(0))],
  );
  add(
    "full",
    "node-ref-reserved-byte",
    "SEG_RESERVED_NONZERO",
    ["ReservedBits", "NodeProjections"],
    "a node-edge ref's reserved byte 27",
    [u8(ref(0) + NR.reserved + 2, 1)],
  );
  add("full", "node-ref-position-3", "SEG_BAD_NODE_REF", ["NodeProjections"], "position 3", [
    u8(ref(0) + NR.position, 3),
  ]);
  add(
    "full",
    "node-ref-logseq-above-max",
    "SEG_BAD_NODE_REF",
    ["NodeProjections", "LogseqRange"],
    "a ref's logseq above logseq_max",
    [u64(ref(0) + NR.logseq, 101n)],
  );
  const refRaw = full.subarray(ref(0), ref(0) + 64);
  add(
    "full",
    "node-ref-order-swapped",
    "SEG_BAD_NODE_REF",
    ["NodeProjections", "RecordOrder"],
    "the first two node-edge refs swapped",
    [
      { offset: ref(0), after: refRaw.slice(32, 64) },
      { offset: ref(1), after: refRaw.slice(0, 32) },
    ],
  );
  add(
    "full",
    "node-ref-matches-no-record",
    "SEG_BAD_NODE_REF",
    ["NodeProjections"],
    "a ref's logseq matches no TGK record of its edge",
    [u64(ref(0) + NR.logseq, 99n)],
  );
  const bloom = d.filters[0] as BloomFilter;
  const xor = d.filters[1] as Xor8Filter;
  add("full", "bloom-num-hashes-33", "SEG_BAD_FILTER_PARAMS", ["FilterParams"], "num_hashes 33", [
    u32(fBloom.payloadOffset + 4, 33),
  ]);
  add("full", "bloom-num-bits-0", "SEG_BAD_FILTER_PARAMS", ["FilterParams"], "num_bits 0", [
    u32(fBloom.payloadOffset, 0),
  ]);
  add(
    "full",
    "bloom-size-disagrees",
    "SEG_BAD_FILTER_PARAMS",
    ["FilterParams"],
    "num_bits + 64 while size_bytes stays",
    [u32(fBloom.payloadOffset, bloom.numBits + 64)],
  );
  add("full", "xor8-block-length-0", "SEG_BAD_FILTER_PARAMS", ["FilterParams"], "block_length 0", [
    u32(fXor.payloadOffset + 8, 0),
  ]);
  add(
    "full",
    "xor8-reserved-nonzero",
    "SEG_RESERVED_NONZERO",
    ["FilterParams", "ReservedBits"],
    "the xor8 reserved u32 is 1",
    [u32(fXor.payloadOffset + 12, 1)],
  );
  add("full", "filter-domain-0", "SEG_BAD_FILTER_PARAMS", ["FilterParams"], "a known filter with domain 0", [
    u32(fBloom.offset + FR.flags, 0),
  ]);
  add("full", "filter-flag-bit-2", "SEG_RESERVED_NONZERO", ["ReservedBits"], "a known filter's flag bit 2", [
    u32(fBloom.offset + FR.flags, bloom.domain | 4),
  ]);
  add(
    "full",
    "bloom-unused-bits-set",
    "SEG_RESERVED_NONZERO",
    ["FilterParams", "ReservedBits"],
    "num_bits - 1 leaves the top bit of the last byte unused, and it is set",
    [
      u32(fBloom.payloadOffset, bloom.numBits - 1),
      u8(fBloom.payloadOffset + 16 + bloom.bits.length - 1, bloom.bits[bloom.bits.length - 1]! | 0x80),
    ],
  );
  const k0 = d.asl.id(0);
  const bit = bloomProbePositions(bloom, k0)[0]!;
  const byteAt = fBloom.payloadOffset + 16 + (bit >>> 3);
  add(
    "full",
    "bloom-false-negative",
    "SEG_FILTER_FALSE_NEGATIVE",
    ["FalseNegative"],
    "one bit the first artifact_id probes is cleared",
    [u8(byteAt, full[byteAt]! & ~(1 << (bit & 7)))],
  );
  const [i0] = xor8Indexes(xor, d.tgk.id(0));
  const fpAt = fXor.payloadOffset + 16 + i0;
  add(
    "full",
    "xor8-false-negative",
    "SEG_FILTER_FALSE_NEGATIVE",
    ["FalseNegative"],
    "a fingerprint the first tgk_edge_id reads is changed",
    [u8(fpAt, full[fpAt]! ^ 0x5a)],
  );
}

const P53 = 1n << 53n;
const P64 = 1n << 64n;

/**
 * The boundary cases of the per-structure steps (asl-records .. filter-completeness): each sub-check just
 * past its limit, on bases that sit exactly at it (valid.ts `inside`); defects only in the high bits of a
 * field; ids and logseqs a double cannot tell apart; and two defects in one structure (different
 * sub-checks) or in two structures where the later one's defect is an earlier sub-check.
 */
export function recordBoundaryCases(valid: ReadonlyMap<string, Uint8Array>): CaseSpec[] {
  const out: CaseSpec[] = [];
  const seg = (name: string) => {
    const b = valid.get(name);
    if (!b) throw new Error(`vectors: no valid segment named ${name}`);
    return { b, d: decodeSegment(b) };
  };
  const one = (
    base: string,
    name: string,
    code: ErrorCode,
    target: CheckRef,
    flags: string[],
    comment: string,
    edits: Edit[],
  ) => out.push({ base, name, code, target, flags, comment, edits });
  const two = (
    base: string,
    name: string,
    code: ErrorCode,
    target: CheckRef,
    flags: string[],
    comment: string,
    first: Edit[],
    second: { edits: Edit[]; code: ErrorCode; target: CheckRef },
    edits?: Edit[],
  ) =>
    out.push({
      base,
      name,
      code,
      target,
      flags: [...flags, "TwoDefects"],
      comment,
      first,
      second,
      ...(edits ? { edits } : {}),
    });

  const { b: full, d } = seg("full");
  const a = (i: number) => d.asl.offsetOf(i);
  const t = (i: number) => d.tgk.offsetOf(i);
  const ref = (i: number) => d.nodeRefs!.offsetOf(i);
  const tgkIndex = (pred: (i: number) => boolean) => [...Array(d.tgk.count).keys()].find(pred)!;
  const tomb = tgkIndex((i) => d.tgk.tombstone(i));
  const noType = tgkIndex((i) => !d.tgk.tombstone(i) && d.tgk.edgeTypeKey(i) === undefined);
  const aslTomb = [...Array(d.asl.count).keys()].find((i) => d.asl.tombstone(i))!;

  // asl-records: one step past each sub-check, high bits, and pairs of sub-checks.
  const ASL = (check: number) => at("asl-records", check);
  one(
    "full",
    "asl-flag-bit-15",
    "SEG_RESERVED_NONZERO",
    ASL(1),
    ["ReservedBits", "HighBits"],
    "an ASL record's flag bit 15 (the high byte of the u16)",
    [u16(a(0) + AR.flags, 0x8000)],
  );
  one(
    "full",
    "asl-absent-tag-high-byte",
    "SEG_ABSENT_FIELD_NONZERO",
    ASL(3),
    ["AbsentField", "HighBits"],
    "type_tag 0x01000000 (only its high byte) with has_type_tag 0",
    [u32(a(1) + AR.typeTag, 0x01000000)],
  );
  const { d: la } = seg("logseq-bounds-asl-at-limits");
  const laAt = (ls: bigint) => [...Array(la.asl.count).keys()].find((i) => la.asl.logseq(i) === ls)!;
  one(
    "logseq-bounds-asl-at-limits",
    "asl-logseq-one-below-min",
    "SEG_LOGSEQ_RANGE",
    ASL(5),
    ["LogseqRange", "OffByOne"],
    "the ASL record at logseq_min (10) moved to 9",
    [u64(la.asl.offsetOf(laAt(10n)) + AR.logseq, 9n)],
  );
  one(
    "logseq-bounds-asl-at-limits",
    "asl-logseq-one-above-max",
    "SEG_LOGSEQ_RANGE",
    ASL(5),
    ["LogseqRange", "OffByOne"],
    "the ASL record at logseq_max (20) moved to 21",
    [u64(la.asl.offsetOf(laAt(20n)) + AR.logseq, 21n)],
  );
  one(
    "logseq-bounds-asl-at-limits",
    "logseq-min-above-lowest-record",
    "SEG_LOGSEQ_RANGE",
    ASL(5),
    ["LogseqRange", "OffByOne"],
    "logseq_min 11, one above the ASL record at 10",
    [u64(16, 11n)],
  );
  one(
    "logseq-bounds-asl-at-limits",
    "logseq-max-below-highest-record",
    "SEG_LOGSEQ_RANGE",
    ASL(5),
    ["LogseqRange", "OffByOne"],
    "logseq_max 19, one below the ASL record at 20",
    [u64(24, 19n)],
  );
  const { d: ux } = seg("u64-extremes");
  one(
    "u64-extremes",
    "asl-logseq-below-min-float64-equal",
    "SEG_LOGSEQ_RANGE",
    ASL(5),
    ["LogseqRange", "Float64Twins"],
    "an ASL record's logseq 2^53 under logseq_min 2^53 + 1: equal as doubles",
    [u64(ux.asl.offsetOf(0) + AR.logseq, P53)],
  );
  const { d: ro } = seg("record-order-adjacent");
  one(
    "record-order-adjacent",
    "asl-equal-key",
    "SEG_RECORD_ORDER",
    ASL(6),
    ["RecordOrder", "Duplicate", "OffByOne"],
    "(5, 4) after (5, 3) becomes (5, 3): equal (artifact_id, logseq), not greater",
    [u64(ro.asl.offsetOf(1) + AR.logseq, ro.asl.logseq(0))],
  );
  one(
    "record-order-adjacent",
    "asl-id-steps-back",
    "SEG_RECORD_ORDER",
    ASL(6),
    ["RecordOrder", "OffByOne"],
    "(6, 1) after (5, 4) becomes (5, 1): the same artifact_id with a smaller logseq",
    [u64(ro.asl.offsetOf(2) + AR.artifactId, ro.asl.id(1))],
  );
  const { d: tw } = seg("u64-float64-twins");
  const twA = (id: bigint, tombstone: boolean) =>
    [...Array(tw.asl.count).keys()].find((i) => tw.asl.id(i) === id && tw.asl.tombstone(i) === tombstone)!;
  one(
    "u64-float64-twins",
    "asl-id-float64-twin-steps-back",
    "SEG_RECORD_ORDER",
    ASL(6),
    ["RecordOrder", "Float64Twins"],
    "the tombstone of artifact 2^53 + 1 (logseq 2^53 + 4) given artifact_id 2^53, after a record of 2^53 + 1: equal as doubles, and its logseq is the greater",
    [u64(tw.asl.offsetOf(twA(P53 + 1n, true)) + AR.artifactId, P53)],
  );
  two(
    "full",
    "asl-reserved-byte-and-boolean",
    "SEG_RESERVED_NONZERO",
    ASL(0),
    ["ReservedBits", "Boolean"],
    "one ASL record with reserved byte 1 and has_type_tag 2: the reserved byte is checked first",
    [u8(a(0) + AR.reserved, 1)],
    { edits: [u8(a(0) + AR.hasTypeTag, 2)], code: "SEG_BAD_BOOLEAN", target: ASL(2) },
  );
  two(
    "full",
    "asl-flag-bit-and-boolean",
    "SEG_RESERVED_NONZERO",
    ASL(1),
    ["ReservedBits", "Boolean"],
    "one ASL record with flag bit 1 and has_type_tag 2: the flags are checked first (offset r + 22, not r + 20)",
    [u16(a(0) + AR.flags, 2)],
    { edits: [u8(a(0) + AR.hasTypeTag, 2)], code: "SEG_BAD_BOOLEAN", target: ASL(2) },
  );
  two(
    "full",
    "asl-tombstone-with-boolean-2",
    "SEG_BAD_BOOLEAN",
    ASL(2),
    ["Boolean", "Tombstone"],
    "a tombstone with has_type_tag 2: not 0 or 1 (SEG_BAD_BOOLEAN) comes before 'a tombstone has no tag'",
    [u8(a(aslTomb) + AR.hasTypeTag, 2)],
    { edits: [u8(a(aslTomb) + AR.hasTypeTag, 1)], code: "SEG_TOMBSTONE_WITH_PAYLOAD", target: ASL(4) },
    [u8(a(aslTomb) + AR.hasTypeTag, 2)],
  );
  two(
    "full",
    "asl-absent-tag-and-logseq",
    "SEG_ABSENT_FIELD_NONZERO",
    ASL(3),
    ["AbsentField", "LogseqRange"],
    "type_tag 5 with has_type_tag 0, and logseq above logseq_max, in one record",
    [u32(a(1) + AR.typeTag, 5)],
    { edits: [u64(a(1) + AR.logseq, 101n)], code: "SEG_LOGSEQ_RANGE", target: ASL(5) },
  );
  two(
    "full",
    "asl-tombstone-tag-and-logseq",
    "SEG_TOMBSTONE_WITH_PAYLOAD",
    ASL(4),
    ["Tombstone", "LogseqRange"],
    "a tombstone with has_type_tag 1 and a logseq above logseq_max",
    [u8(a(aslTomb) + AR.hasTypeTag, 1)],
    { edits: [u64(a(aslTomb) + AR.logseq, 101n)], code: "SEG_LOGSEQ_RANGE", target: ASL(5) },
  );
  two(
    "full",
    "asl-logseq-and-order",
    "SEG_LOGSEQ_RANGE",
    ASL(5),
    ["LogseqRange", "RecordOrder"],
    "the second ASL record's logseq above logseq_max and its artifact_id below the first's: the range is checked before the order",
    [u64(a(1) + AR.logseq, 101n)],
    { edits: [u64(a(1) + AR.artifactId, d.asl.id(0) - 1n)], code: "SEG_RECORD_ORDER", target: ASL(6) },
  );
  two(
    "full",
    "asl-two-records-later-earlier-check",
    "SEG_LOGSEQ_RANGE",
    ASL(5),
    ["LogseqRange", "ReservedBits", "StructureOrder"],
    "the first ASL record's logseq above logseq_max, the second's reserved byte 1 (an earlier sub-check): records are checked one by one",
    [u64(a(0) + AR.logseq, 101n)],
    { edits: [u8(a(1) + AR.reserved, 1)], code: "SEG_RESERVED_NONZERO", target: ASL(0) },
  );

  // tgk-records
  const TGK = (check: number) => at("tgk-records", check);
  one(
    "full",
    "tgk-flag-bit-15",
    "SEG_RESERVED_NONZERO",
    TGK(0),
    ["ReservedBits", "HighBits"],
    "a TGK record's flag bit 15",
    [u16(t(0) + TR.flags, 0x8000)],
  );
  one(
    "full",
    "tgk-absent-edge-type-high-bit",
    "SEG_ABSENT_FIELD_NONZERO",
    TGK(2),
    ["AbsentField", "HighBits"],
    "edge_type_key 0x80000000 (only its top bit) with has_edge_type 0",
    [u32(t(noType) + TR.edgeTypeKey, 0x80000000)],
  );
  const { d: lt } = seg("logseq-bounds-tgk-at-limits");
  const ltAt = (ls: bigint) => [...Array(lt.tgk.count).keys()].find((i) => lt.tgk.logseq(i) === ls)!;
  one(
    "logseq-bounds-tgk-at-limits",
    "tgk-logseq-one-below-min",
    "SEG_LOGSEQ_RANGE",
    TGK(6),
    ["LogseqRange", "OffByOne"],
    "the TGK record at logseq_min (10) moved to 9",
    [u64(lt.tgk.offsetOf(ltAt(10n)) + TR.logseq, 9n)],
  );
  one(
    "logseq-bounds-tgk-at-limits",
    "tgk-logseq-one-above-max",
    "SEG_LOGSEQ_RANGE",
    TGK(6),
    ["LogseqRange", "OffByOne"],
    "the TGK record at logseq_max (20) moved to 21",
    [u64(lt.tgk.offsetOf(ltAt(20n)) + TR.logseq, 21n)],
  );
  one(
    "record-order-adjacent",
    "tgk-equal-key",
    "SEG_RECORD_ORDER",
    TGK(7),
    ["RecordOrder", "Duplicate", "OffByOne"],
    "(100, 8) after (100, 7) becomes (100, 7): equal (tgk_edge_id, logseq)",
    [u64(ro.tgk.offsetOf(1) + TR.logseq, ro.tgk.logseq(0))],
  );
  one(
    "record-order-adjacent",
    "tgk-id-steps-back",
    "SEG_RECORD_ORDER",
    TGK(7),
    ["RecordOrder", "OffByOne"],
    "(101, 5) after (100, 8) becomes (100, 5): the same tgk_edge_id with a smaller logseq",
    [u64(ro.tgk.offsetOf(2) + TR.tgkEdgeId, ro.tgk.id(1))],
  );
  one(
    "u64-float64-twins",
    "tgk-ids-float64-twins-swapped",
    "SEG_RECORD_ORDER",
    TGK(7),
    ["RecordOrder", "Float64Twins"],
    "the tgk_edge_ids 2^53 and 2^53 + 1 of the first two TGK records swapped: equal as doubles, and the logseqs increase",
    [
      u64(tw.tgk.offsetOf(0) + TR.tgkEdgeId, tw.tgk.id(1)),
      u64(tw.tgk.offsetOf(1) + TR.tgkEdgeId, tw.tgk.id(0)),
    ],
  );
  two(
    "full",
    "tgk-flag-bit-and-boolean",
    "SEG_RESERVED_NONZERO",
    TGK(0),
    ["ReservedBits", "Boolean"],
    "one TGK record with flag bit 2 and has_edge_type 2",
    [u16(t(0) + TR.flags, 4)],
    { edits: [u8(t(0) + TR.hasEdgeType, 2)], code: "SEG_BAD_BOOLEAN", target: TGK(1) },
  );
  two(
    "full",
    "tgk-boolean-and-role",
    "SEG_BAD_BOOLEAN",
    TGK(1),
    ["Boolean", "Role"],
    "one TGK record with has_edge_type 2 and role 4",
    [u8(t(0) + TR.hasEdgeType, 2)],
    { edits: [u8(t(0) + TR.role, 4)], code: "SEG_BAD_ROLE", target: TGK(3) },
  );
  two(
    "full",
    "tgk-absent-type-and-role",
    "SEG_ABSENT_FIELD_NONZERO",
    TGK(2),
    ["AbsentField", "Role"],
    "edge_type_key 1 with has_edge_type 0, and role 5, in one record",
    [u32(t(noType) + TR.edgeTypeKey, 1)],
    { edits: [u8(t(noType) + TR.role, 5)], code: "SEG_BAD_ROLE", target: TGK(3) },
  );
  two(
    "full",
    "tgk-tombstone-with-role-4",
    "SEG_BAD_ROLE",
    TGK(3),
    ["Role", "Tombstone"],
    "a tombstone with role 4: not 0..3 (SEG_BAD_ROLE) comes before 'a tombstone has no role'",
    [u8(t(tomb) + TR.role, 4)],
    { edits: [u8(t(tomb) + TR.role, 1)], code: "SEG_TOMBSTONE_WITH_PAYLOAD", target: TGK(5) },
    [u8(t(tomb) + TR.role, 4)],
  );
  two(
    "full",
    "tgk-tombstone-edge-type-and-role",
    "SEG_TOMBSTONE_WITH_PAYLOAD",
    TGK(4),
    ["Tombstone"],
    "a tombstone with has_edge_type 1 and role 1: has_edge_type is reported (r + 20), not the role (r + 21)",
    [u8(t(tomb) + TR.hasEdgeType, 1)],
    { edits: [u8(t(tomb) + TR.role, 1)], code: "SEG_TOMBSTONE_WITH_PAYLOAD", target: TGK(5) },
  );
  one(
    "full",
    "tgk-tombstone-role-3",
    "SEG_TOMBSTONE_WITH_PAYLOAD",
    TGK(5),
    ["Tombstone"],
    "a tombstone with role 3 (a valid role, not allowed on a tombstone)",
    [u8(t(tomb) + TR.role, 3)],
  );
  const tgkSwap: Edit[] = [
    { offset: t(0), after: full.slice(t(1), t(1) + 24) },
    { offset: t(1), after: full.slice(t(0), t(0) + 24) },
  ];
  two(
    "full",
    "tgk-logseq-and-order",
    "SEG_LOGSEQ_RANGE",
    TGK(6),
    ["LogseqRange", "RecordOrder"],
    "the first two TGK records swapped, and the second's logseq above logseq_max: the range is checked before the order",
    [...tgkSwap, u64(t(1) + TR.logseq, 101n)],
    { edits: tgkSwap, code: "SEG_RECORD_ORDER", target: TGK(7) },
    [...tgkSwap, u64(t(1) + TR.logseq, 101n)],
  );
  two(
    "full",
    "tgk-two-records-later-earlier-check",
    "SEG_BAD_ROLE",
    TGK(3),
    ["Role", "ReservedBits", "StructureOrder"],
    "the first TGK record's role 4, the second's flag bit 2 (an earlier sub-check): records are checked one by one",
    [u8(t(0) + TR.role, 4)],
    { edits: [u16(t(1) + TR.flags, 4)], code: "SEG_RESERVED_NONZERO", target: TGK(0) },
  );

  // logseq-unique
  const LU = at("logseq-unique");
  one(
    "full",
    "duplicate-logseq-asl-asl",
    "SEG_DUPLICATE_LOGSEQ",
    LU,
    ["DuplicateLogseq"],
    "two ASL records (different artifacts) share a logseq: the later one is reported",
    [u64(a(1) + AR.logseq, d.asl.logseq(0))],
  );
  one(
    "full",
    "duplicate-logseq-tgk-tgk",
    "SEG_DUPLICATE_LOGSEQ",
    LU,
    ["DuplicateLogseq"],
    "two TGK records (different edges) share a logseq",
    [u64(t(1) + TR.logseq, d.tgk.logseq(0))],
  );
  const twT0 = tw.tgk.offsetOf(0);
  one(
    "u64-float64-twins",
    "duplicate-logseq-wide-range",
    "SEG_DUPLICATE_LOGSEQ",
    LU,
    ["DuplicateLogseq", "U64Above2p53"],
    "a TGK record takes the logseq 2^53 of an ASL record, in a segment whose logseq range spans nearly 2^64",
    [u64(twT0 + TR.logseq, P53)],
  );
  const lastAsl = d.asl.count - 1;
  two(
    "full",
    "duplicate-logseq-asl-before-tgk",
    "SEG_DUPLICATE_LOGSEQ",
    LU,
    ["DuplicateLogseq", "StructureOrder"],
    "the last ASL record repeats logseq 10, and the first TGK record repeats logseq 1: taking the ASL records first, the ASL repeat is reported, though the TGK one has the smaller logseq",
    [u64(a(lastAsl) + AR.logseq, d.asl.logseq(lastAsl - 1))],
    { edits: [u64(t(0) + TR.logseq, d.asl.logseq(0))], code: "SEG_DUPLICATE_LOGSEQ", target: LU },
  );

  // node-refs
  const NRF = (check: number) => at("node-refs", check);
  one(
    "full",
    "node-ref-reserved-last-byte",
    "SEG_RESERVED_NONZERO",
    NRF(0),
    ["ReservedBits", "NodeProjections"],
    "a node-edge ref's last reserved byte (r + 31) is 1",
    [u8(ref(0) + NR.reserved + 6, 1)],
  );
  one(
    "full",
    "node-ref-position-0",
    "SEG_BAD_NODE_REF",
    NRF(1),
    ["NodeProjections", "OffByOne"],
    "position 0",
    [u8(ref(0) + NR.position, 0)],
  );
  const ltRefs = lt.nodeRefs!;
  const ltRef = (ls: bigint) => [...Array(ltRefs.count).keys()].find((i) => ltRefs.logseq(i) === ls)!;
  one(
    "logseq-bounds-tgk-at-limits",
    "node-ref-logseq-one-below-min",
    "SEG_BAD_NODE_REF",
    NRF(2),
    ["NodeProjections", "LogseqRange", "OffByOne"],
    "a ref at logseq_min (10) moved to 9: SEG_BAD_NODE_REF, not SEG_LOGSEQ_RANGE",
    [u64(ltRefs.offsetOf(ltRef(10n)) + NR.logseq, 9n)],
  );
  one(
    "logseq-bounds-tgk-at-limits",
    "node-ref-logseq-one-above-max",
    "SEG_BAD_NODE_REF",
    NRF(2),
    ["NodeProjections", "LogseqRange", "OffByOne"],
    "a ref at logseq_max (20) moved to 21",
    [u64(ltRefs.offsetOf(ltRef(20n)) + NR.logseq, 21n)],
  );
  one(
    "full",
    "node-ref-duplicate",
    "SEG_BAD_NODE_REF",
    NRF(3),
    ["NodeProjections", "RecordOrder", "Duplicate"],
    "the second ref a copy of the first: equal, not greater",
    [{ offset: ref(1), after: full.slice(ref(0), ref(0) + 32) }],
  );
  const refs = d.nodeRefs!;
  const lastRef = refs.count - 1;
  one(
    "full",
    "node-ref-matches-tombstone",
    "SEG_BAD_NODE_REF",
    NRF(4),
    ["NodeProjections", "Tombstone"],
    "the last ref names (tgk_edge_id, logseq) of a TGK tombstone of the segment: it must match a live record",
    [u64(ref(lastRef) + NR.tgkEdgeId, d.tgk.id(tomb)), u64(ref(lastRef) + NR.logseq, d.tgk.logseq(tomb))],
  );
  const { d: tr } = seg("u64-float64-twin-refs");
  const trRefs = tr.nodeRefs!;
  one(
    "u64-float64-twin-refs",
    "node-ref-edge-float64-twin-2p53",
    "SEG_BAD_NODE_REF",
    NRF(4),
    ["NodeProjections", "Float64Twins"],
    "the ref of edge 2^53 at logseq 1 names edge 2^53 + 1, which has no record at logseq 1 (equal to 2^53 as a double)",
    [u64(trRefs.offsetOf(0) + NR.tgkEdgeId, P53 + 1n)],
  );
  one(
    "u64-float64-twin-refs",
    "node-ref-edge-float64-twin-2p64",
    "SEG_BAD_NODE_REF",
    NRF(4),
    ["NodeProjections", "Float64Twins", "U64Max"],
    "the ref of edge 2^64 - 2^10 at logseq 3 names edge 2^64 - 1, which has no record at logseq 3 (equal as doubles)",
    [u64(trRefs.offsetOf(2) + NR.tgkEdgeId, P64 - 1n)],
  );
  two(
    "full",
    "node-ref-reserved-and-position",
    "SEG_RESERVED_NONZERO",
    NRF(0),
    ["ReservedBits", "NodeProjections"],
    "one ref with reserved byte 27 and position 0",
    [u8(ref(0) + NR.reserved + 2, 1)],
    { edits: [u8(ref(0) + NR.position, 0)], code: "SEG_BAD_NODE_REF", target: NRF(1) },
  );
  two(
    "full",
    "node-ref-two-reserved-bytes",
    "SEG_RESERVED_NONZERO",
    NRF(0),
    ["ReservedBits", "NodeProjections"],
    "one ref with reserved bytes 26 and 30 set: the first non-zero one is reported",
    [u8(ref(0) + NR.reserved + 1, 1)],
    { edits: [u8(ref(0) + NR.reserved + 5, 1)], code: "SEG_RESERVED_NONZERO", target: NRF(0) },
  );
  two(
    "full",
    "node-ref-position-and-logseq",
    "SEG_BAD_NODE_REF",
    NRF(1),
    ["NodeProjections", "LogseqRange"],
    "one ref with position 0 and a logseq above logseq_max: position (r + 24) is reported, not the logseq (r + 0)",
    [u8(ref(0) + NR.position, 0)],
    { edits: [u64(ref(0) + NR.logseq, 101n)], code: "SEG_BAD_NODE_REF", target: NRF(2) },
  );
  two(
    "full",
    "node-ref-order-and-match",
    "SEG_BAD_NODE_REF",
    NRF(3),
    ["NodeProjections", "RecordOrder"],
    "the second ref's node_id below the first's and its logseq matching no record: the order (r + 0) is reported, not the match (r + 16)",
    [u64(ref(1) + NR.nodeId, refs.nodeId(0) - 1n)],
    { edits: [u64(ref(1) + NR.logseq, 99n)], code: "SEG_BAD_NODE_REF", target: NRF(4) },
  );
  two(
    "full",
    "node-ref-two-refs-later-earlier-check",
    "SEG_BAD_NODE_REF",
    NRF(4),
    ["NodeProjections", "ReservedBits", "StructureOrder"],
    "the first ref matches no record (its last sub-check), the second has a reserved byte set (the first sub-check): refs are checked one by one",
    [u64(ref(0) + NR.logseq, 99n)],
    { edits: [u8(ref(1) + NR.reserved, 1)], code: "SEG_RESERVED_NONZERO", target: NRF(0) },
  );

  // filter-contents: unknown versions made known, filters at their extreme parameters one step past.
  const FC = (check: number) => at("filter-contents", check);
  const { d: fu } = seg("filter-unknown-versions");
  const made = (
    i: number,
    name: string,
    code: ErrorCode,
    check: number,
    comment: string,
    flags: string[] = [],
  ) =>
    one(
      "filter-unknown-versions",
      name,
      code,
      FC(check),
      ["FilterParams", "UnknownVersion", ...flags],
      comment,
      [u16(fu.filterFrames[i]!.offset + FR.version, 1)],
    );
  made(
    0,
    "bloom-size-15",
    "SEG_BAD_FILTER_PARAMS",
    2,
    "a 15-byte filter of type 1 made version 1: too short for the bloom parameters",
    ["OffByOne"],
  );
  made(
    1,
    "xor8-size-15",
    "SEG_BAD_FILTER_PARAMS",
    2,
    "a 15-byte filter of type 2 made version 1: too short for the xor8 parameters",
    ["OffByOne"],
  );
  made(
    2,
    "bloom-size-16-num-bits-0",
    "SEG_BAD_FILTER_PARAMS",
    3,
    "a 16-byte bloom (room for the parameters, no bits) with num_bits 0: num_bits is reported, not the size",
  );
  made(
    3,
    "xor8-size-16-block-length-0",
    "SEG_BAD_FILTER_PARAMS",
    7,
    "a 16-byte xor8 with block_length 0: block_length is reported, not the size",
  );
  made(
    4,
    "bloom-num-bits-u32-max-in-16-bytes",
    "SEG_BAD_FILTER_PARAMS",
    5,
    "a 16-byte bloom with num_bits 2^32 - 1: ceil(num_bits / 8) computed in 32 bits ((m + 7) >>> 3) is 0, and the size seems right",
    ["ExactArithmetic"],
  );
  made(
    5,
    "bloom-domain-0-made-known",
    "SEG_BAD_FILTER_PARAMS",
    0,
    "a well-formed bloom payload with domain 0, skipped while its version was 2, made version 1",
  );
  const { b: be, d: bx } = seg("bloom-extremes");
  const bf = (i: number) => bx.filterFrames[i]!;
  const [b1, b2] = [bf(1), bf(2)];
  one(
    "bloom-extremes",
    "bloom-num-bits-1-to-0",
    "SEG_BAD_FILTER_PARAMS",
    FC(3),
    ["FilterParams", "OffByOne"],
    "num_bits 1 made 0",
    [u32(b1.payloadOffset, 0)],
  );
  one(
    "bloom-extremes",
    "bloom-num-hashes-1-to-0",
    "SEG_BAD_FILTER_PARAMS",
    FC(4),
    ["FilterParams", "OffByOne"],
    "num_hashes 1 made 0",
    [u32(b1.payloadOffset + 4, 0)],
  );
  one(
    "bloom-extremes",
    "bloom-num-hashes-32-to-33",
    "SEG_BAD_FILTER_PARAMS",
    FC(4),
    ["FilterParams", "OffByOne"],
    "num_hashes 32 made 33",
    [u32(b2.payloadOffset + 4, 33)],
  );
  one(
    "bloom-extremes",
    "bloom-num-hashes-65537",
    "SEG_BAD_FILTER_PARAMS",
    FC(4),
    ["FilterParams", "HighBits"],
    "num_hashes 0x10001: its low 16 bits are 1",
    [u32(b2.payloadOffset + 4, 0x10001)],
  );
  one(
    "bloom-extremes",
    "bloom-num-bits-one-byte-more",
    "SEG_BAD_FILTER_PARAMS",
    FC(5),
    ["FilterParams", "OffByOne"],
    "num_bits 9 made 17: ceil(17 / 8) = 3 payload bytes of bits, the filter has 2",
    [u32(b2.payloadOffset, 17)],
  );
  one(
    "bloom-extremes",
    "bloom-num-bits-one-byte-less",
    "SEG_BAD_FILTER_PARAMS",
    FC(5),
    ["FilterParams", "OffByOne"],
    "num_bits 9 made 8: ceil(8 / 8) = 1 payload byte of bits, the filter has 2",
    [u32(b2.payloadOffset, 8)],
  );
  const lastByte = (f: Frame) => f.payloadOffset + f.sizeBytes - 1;
  one(
    "bloom-extremes",
    "bloom-num-bits-1-first-unused-bit",
    "SEG_RESERVED_NONZERO",
    FC(6),
    ["FilterParams", "ReservedBits", "OffByOne"],
    "num_bits 1: bit 1 of the only byte (the first unused bit) set",
    [u8(lastByte(b1), be[lastByte(b1)]! | 0x02)],
  );
  one(
    "bloom-extremes",
    "bloom-num-bits-1-last-unused-bit",
    "SEG_RESERVED_NONZERO",
    FC(6),
    ["FilterParams", "ReservedBits"],
    "num_bits 1: bit 7 of the only byte (the last unused bit) set",
    [u8(lastByte(b1), be[lastByte(b1)]! | 0x80)],
  );
  one(
    "bloom-extremes",
    "bloom-num-bits-9-first-unused-bit",
    "SEG_RESERVED_NONZERO",
    FC(6),
    ["FilterParams", "ReservedBits", "OffByOne"],
    "num_bits 9: bit 1 of the second byte (position 9, the first unused) set",
    [u8(lastByte(b2), be[lastByte(b2)]! | 0x02)],
  );
  one(
    "bloom-extremes",
    "unknown-bloom-version-made-known",
    "SEG_FILTER_FALSE_NEGATIVE",
    at("filter-completeness"),
    ["FalseNegative", "UnknownVersion"],
    "the all-zero bloom of version 2 before the others made version 1: now the first known filter on artifact_id, and it misses every key",
    [u16(bf(0).offset + FR.version, 1)],
  );
  two(
    "bloom-extremes",
    "bloom-num-bits-and-num-hashes-0",
    "SEG_BAD_FILTER_PARAMS",
    FC(3),
    ["FilterParams"],
    "num_bits 0 and num_hashes 0 in one bloom: num_bits (p + 0) is reported",
    [u32(b1.payloadOffset, 0)],
    { edits: [u32(b1.payloadOffset + 4, 0)], code: "SEG_BAD_FILTER_PARAMS", target: FC(4) },
  );
  two(
    "bloom-extremes",
    "bloom-num-hashes-and-size",
    "SEG_BAD_FILTER_PARAMS",
    FC(4),
    ["FilterParams"],
    "num_hashes 33 and a num_bits that disagrees with size_bytes: num_hashes (p + 4) is reported, not the size (r + 8)",
    [u32(b2.payloadOffset + 4, 33)],
    { edits: [u32(b2.payloadOffset, 17)], code: "SEG_BAD_FILTER_PARAMS", target: FC(5) },
  );
  two(
    "bloom-extremes",
    "bloom-size-and-unused-bits",
    "SEG_BAD_FILTER_PARAMS",
    FC(5),
    ["FilterParams", "ReservedBits"],
    "num_bits 17 (size_bytes wrong) and an unused bit set: the size is reported",
    [u32(b2.payloadOffset, 17)],
    { edits: [u8(lastByte(b2), be[lastByte(b2)]! | 0x02)], code: "SEG_RESERVED_NONZERO", target: FC(6) },
  );
  two(
    "bloom-extremes",
    "filter-domain-0-and-reserved-flag",
    "SEG_BAD_FILTER_PARAMS",
    FC(0),
    ["FilterParams", "ReservedBits"],
    "a bloom's flags 4: domain 0 and reserved bit 2, both at r + 4: the domain is reported (SEG_BAD_FILTER_PARAMS)",
    [u32(b1.offset + FR.flags, 0)],
    { edits: [u32(b1.offset + FR.flags, 1 | 4)], code: "SEG_RESERVED_NONZERO", target: FC(1) },
    [u32(b1.offset + FR.flags, 4)],
  );
  two(
    "bloom-extremes",
    "filter-reserved-flag-and-num-bits",
    "SEG_RESERVED_NONZERO",
    FC(1),
    ["FilterParams", "ReservedBits"],
    "a bloom with flag bit 2 and num_bits 0: the flags (r + 4) are reported",
    [u32(b1.offset + FR.flags, 1 | 4)],
    { edits: [u32(b1.payloadOffset, 0)], code: "SEG_BAD_FILTER_PARAMS", target: FC(3) },
  );
  one(
    "bloom-extremes",
    "filter-flag-bit-31",
    "SEG_RESERVED_NONZERO",
    FC(1),
    ["ReservedBits", "HighBits"],
    "a known filter's flag bit 31",
    [u32(b1.offset + FR.flags, (1 | 0x80000000) >>> 0)],
  );
  two(
    "bloom-extremes",
    "filter-two-filters-later-earlier-check",
    "SEG_BAD_FILTER_PARAMS",
    FC(5),
    ["FilterParams", "StructureOrder"],
    "one bloom's size disagrees with num_bits, a later bloom's domain is 0 (an earlier sub-check): filters are checked one by one",
    [u32(b2.payloadOffset, 17)],
    { edits: [u32(bf(3).offset + FR.flags, 0)], code: "SEG_BAD_FILTER_PARAMS", target: FC(0) },
  );
  const { b: xe, d: xx } = seg("xor8-extremes");
  const [x0, x1] = [xx.filterFrames[0]!, xx.filterFrames[1]!];
  const x3 = xx.filterFrames[3]!;
  one(
    "xor8-extremes",
    "xor8-block-length-1-to-0",
    "SEG_BAD_FILTER_PARAMS",
    FC(7),
    ["FilterParams", "OffByOne"],
    "block_length 1 made 0",
    [u32(x0.payloadOffset + 8, 0)],
  );
  one(
    "xor8-extremes",
    "xor8-block-length-1-to-2",
    "SEG_BAD_FILTER_PARAMS",
    FC(9),
    ["FilterParams", "OffByOne"],
    "block_length 1 made 2: size_bytes 19 is not 16 + 3 x 2",
    [u32(x0.payloadOffset + 8, 2)],
  );
  one(
    "xor8-extremes",
    "xor8-block-length-10-to-9",
    "SEG_BAD_FILTER_PARAMS",
    FC(9),
    ["FilterParams", "OffByOne"],
    "the empty xor8's block_length 10 made 9: size_bytes 46 is not 16 + 3 x 9",
    [u32(x3.payloadOffset + 8, 9)],
  );
  one(
    "xor8-extremes",
    "xor8-reserved-high-bit",
    "SEG_RESERVED_NONZERO",
    FC(8),
    ["FilterParams", "ReservedBits", "HighBits"],
    "the xor8 reserved u32 is 0x80000000",
    [u32(x1.payloadOffset + 12, 0x80000000)],
  );
  one(
    "xor8-extremes",
    "xor8-block-length-1-false-negative",
    "SEG_FILTER_FALSE_NEGATIVE",
    at("filter-completeness"),
    ["FalseNegative", "MinimalFilter"],
    "the block_length 1 xor8's first fingerprint changed: its one key is missed",
    [u8(x0.payloadOffset + 16, xe[x0.payloadOffset + 16]! ^ 1)],
  );
  two(
    "xor8-extremes",
    "xor8-block-length-and-reserved",
    "SEG_BAD_FILTER_PARAMS",
    FC(7),
    ["FilterParams", "ReservedBits"],
    "block_length 0 and the reserved u32 1: block_length (p + 8) is reported",
    [u32(x1.payloadOffset + 8, 0)],
    { edits: [u32(x1.payloadOffset + 12, 1)], code: "SEG_RESERVED_NONZERO", target: FC(8) },
  );
  two(
    "xor8-extremes",
    "xor8-reserved-and-size",
    "SEG_RESERVED_NONZERO",
    FC(8),
    ["FilterParams", "ReservedBits"],
    "the reserved u32 1 and block_length 2 (size_bytes wrong): the reserved word is checked before the size",
    [u32(x1.payloadOffset + 12, 1)],
    { edits: [u32(x1.payloadOffset + 8, 2)], code: "SEG_BAD_FILTER_PARAMS", target: FC(9) },
  );

  // filter-completeness
  const { b: f2b, d: f2d } = seg("filter-two-of-a-domain");
  const ff = (i: number) => f2d.filterFrames[i]!;
  const xorMiss = (i: number, key: bigint): Edit => {
    const x = f2d.filters[i] as Xor8Filter;
    const p = ff(i).payloadOffset + 16 + xor8Indexes(x, key)[0];
    return u8(p, f2b[p]! ^ 0x5a);
  };
  const FCOMP = at("filter-completeness");
  one(
    "filter-two-of-a-domain",
    "second-filter-of-domain-false-negative",
    "SEG_FILTER_FALSE_NEGATIVE",
    FCOMP,
    ["FalseNegative", "SecondFilterOfDomain"],
    "the second known filter on artifact_id (which queries never consult) misses a key",
    [xorMiss(1, f2d.asl.id(0))],
  );
  const live = [...Array(f2d.asl.count).keys()]
    .filter((i) => !f2d.asl.tombstone(i))
    .map((i) => f2d.asl.id(i));
  const tombKey = f2d.asl.id([...Array(f2d.asl.count).keys()].find((i) => f2d.asl.tombstone(i))!);
  const liveOnly = buildBloom(1, live);
  if (
    filterMayContain(liveOnly, tombKey) ||
    liveOnly.bits.length !== (f2d.filters[0] as BloomFilter).bits.length
  )
    throw new Error("vectors: a bloom over the live artifacts alone does not miss the tombstone's");
  one(
    "filter-two-of-a-domain",
    "tombstone-key-missing-from-filter",
    "SEG_FILTER_FALSE_NEGATIVE",
    FCOMP,
    ["FalseNegative", "Tombstone"],
    "the first bloom built over the live artifacts only: it misses the artifact_id of the tombstone",
    [{ offset: ff(0).payloadOffset + 16, after: liveOnly.bits }],
  );
  two(
    "filter-two-of-a-domain",
    "two-filters-false-negative",
    "SEG_FILTER_FALSE_NEGATIVE",
    FCOMP,
    ["FalseNegative", "StructureOrder"],
    "the second filter on artifact_id and the xor8 on node_id both miss a key: the first in file order is reported",
    [xorMiss(1, f2d.asl.id(0))],
    { edits: [xorMiss(3, f2d.nodeRefs!.nodeId(0))], code: "SEG_FILTER_FALSE_NEGATIVE", target: FCOMP },
  );
  const nodeBloom = d.filterFrames[2]!;
  one(
    "full",
    "node-domain-bloom-empty",
    "SEG_FILTER_FALSE_NEGATIVE",
    FCOMP,
    ["FalseNegative", "EveryFilterDomain"],
    "the bloom on node_id with every bit cleared: it misses every node of the node-edge refs",
    [{ offset: nodeBloom.payloadOffset + 16, after: new Uint8Array(nodeBloom.sizeBytes - 16) }],
  );
  return out;
}
