// The malformed golden vectors of the per-record and per-filter checks of DEC-027 (asl-records,
// tgk-records, logseq-unique, node-refs, filter-contents, filter-completeness), each a single defect in
// the "full" valid segment. Rules: ATXI-DEC-001 and the rule each defect breaks.
import type { ErrorCode } from "../../../reference/common/errors.ts";
import { bloomProbePositions } from "../../../reference/filters/bloom.ts";
import type { BloomFilter, Xor8Filter } from "../../../reference/filters/filter.ts";
import { xor8Indexes } from "../../../reference/filters/xor8.ts";
import type { DecodedSegment } from "../../../reference/segment/decode.ts";
import { AR, FR, NR, TR } from "../../../reference/segment/layout.ts";
import type { Frame } from "../../../reference/segment/reader.ts";
import { type Edit, u8, u16, u32, u64 } from "./edits.ts";

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
