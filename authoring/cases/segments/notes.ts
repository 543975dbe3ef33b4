// The notes table of the golden segment vectors (Wycheproof style): every flag a case carries is explained
// once here, with the kind of bug it catches. Rules: ATXI-DEC-001 (the vectors it documents).

export interface VectorNote {
  bugType: "basic" | "edge-case" | "malformed" | "invalid" | "integrity" | "visibility" | "compatibility";
  description: string;
}

export const NOTES: Record<string, VectorNote> = {
  EmptySegment: {
    bugType: "edge-case",
    description: "No filters, records or blocks: a reader must not need any section to be present.",
  },
  TypeTagPresent: { bugType: "basic", description: "has_type_tag 1 and a type tag, 0 and 2^32-1 included." },
  TypeTagAbsent: { bugType: "basic", description: "has_type_tag 0: the tag is absent, not 0." },
  EdgeTypePresent: { bugType: "basic", description: "has_edge_type 1 with an edge_type_key." },
  EdgeTypeAbsent: { bugType: "basic", description: "has_edge_type 0." },
  Tombstone: {
    bugType: "basic",
    description: "Tombstone records: they carry only logseq and id, hide older records, and are filter keys.",
  },
  SeveralVersions: {
    bugType: "visibility",
    description: "Several records of one id: the greatest logseq <= S wins.",
  },
  U64Above2p53: {
    bugType: "edge-case",
    description:
      "64-bit values above 2^53, which a double cannot hold: catches readers that go through floating point.",
  },
  U64Max: { bugType: "edge-case", description: "2^64-1 in u64 fields: catches signed 64-bit handling." },
  EveryRole: { bugType: "basic", description: "TGK roles 0 (none), 1 (from), 2 (to), 3 (both)." },
  NodeProjections: {
    bugType: "basic",
    description: "A node-edge-ref block derived from the edges (DEC-016).",
  },
  NodeInBothLists: {
    bugType: "edge-case",
    description: "A node in both the from and the to list of one edge gets two refs.",
  },
  BloomFilter: {
    bugType: "basic",
    description: "A bloom filter (type 1) built as DEC-009 gives; its bytes must match exactly.",
  },
  Xor8Filter: {
    bugType: "basic",
    description: "An xor8 filter (type 2) built as DEC-010 gives; its bytes must match exactly.",
  },
  EveryFilterDomain: { bugType: "basic", description: "Filters on artifact_id, tgk_edge_id and node_id." },
  UnknownFilter: {
    bugType: "compatibility",
    description: "A well-framed filter of an unknown (type, version) must be skipped, not rejected.",
  },
  UnknownBlock: {
    bugType: "compatibility",
    description: "A well-framed acceleration block of an unknown type must be skipped.",
  },
  Padding: {
    bugType: "edge-case",
    description: "A payload whose length is not a multiple of 8, so zero padding follows it.",
  },
  SetMember: { bugType: "basic", description: "A segment that is a member of a segment-set case." },
  VisibilityBoundary: {
    bugType: "visibility",
    description: "Queries at S equal to a record's logseq (visible) and one below (not).",
  },
  TombstoneAcrossSegments: {
    bugType: "visibility",
    description: "A tombstone in a later segment hides a put in an earlier one.",
  },
  TombstoneAboveS: { bugType: "visibility", description: "A tombstone with logseq > S is ignored." },
  SegmentSkipped: { bugType: "visibility", description: "A segment with logseq_min > S takes no part." },
  TagShadowing: {
    bugType: "visibility",
    description: "A newer record with another type tag shadows the older one (tags are not identity).",
  },
  Truncated: { bugType: "malformed", description: "The file is cut short." },
  Atomicity: { bugType: "integrity", description: "A partly written segment must be rejected whole." },
  BadMagic: { bugType: "malformed", description: "The magic is not 'ATXI'." },
  ByteOrder: {
    bugType: "malformed",
    description: "A value written big-endian where the format is little-endian.",
  },
  Version: { bugType: "malformed", description: "A segment version other than 1." },
  FooterOffset: { bugType: "malformed", description: "footer_offset does not place the footer at the end." },
  Checksum: {
    bugType: "integrity",
    description: "A covered byte changed without re-sealing: the checksum must catch it.",
  },
  ReservedBits: { bugType: "invalid", description: "A reserved bit, byte or field is not zero." },
  SectionBounds: {
    bugType: "malformed",
    description: "record_area_offset or filter_bytes does not bound the filter area.",
  },
  RecordCount: {
    bugType: "malformed",
    description: "A record count disagrees with the footer or overruns the footer.",
  },
  HugeCount: {
    bugType: "malformed",
    description: "A u64 count or size near 2^64: must give an error, never an allocation or a RangeError.",
  },
  FilterFraming: {
    bugType: "malformed",
    description: "A filter header or payload overruns the filter area.",
  },
  AccelFraming: {
    bugType: "malformed",
    description: "An acceleration block overruns its area or has a size its kind cannot have.",
  },
  LogseqRange: {
    bugType: "invalid",
    description: "A logseq bound is zero or out of order, or a logseq lies outside the header's range.",
  },
  Boolean: { bugType: "invalid", description: "A has_* byte is neither 0 nor 1." },
  AbsentField: { bugType: "invalid", description: "A field marked absent is not zero." },
  Role: { bugType: "invalid", description: "A TGK role outside 0..3." },
  RecordOrder: { bugType: "invalid", description: "Records not strictly increasing by their sort key." },
  Duplicate: { bugType: "invalid", description: "Two records with the same key." },
  DuplicateLogseq: { bugType: "invalid", description: "Two records share a logseq." },
  FilterParams: {
    bugType: "invalid",
    description: "A known filter's parameters are out of range or disagree with its size.",
  },
  FalseNegative: {
    bugType: "invalid",
    description: "A filter answers 'absent' for a key its segment holds.",
  },
  DuplicateSegmentId: { bugType: "invalid", description: "Two segments of a set share a segment_id." },
  NoProjections: {
    bugType: "invalid",
    description: "An incidence query meets a taking-part segment without node projections.",
  },
  OffByOne: {
    bugType: "edge-case",
    description:
      "A value exactly at a check's limit (valid) or one step past it (invalid): catches < written for <= and the like.",
  },
  AlignedWrong: {
    bugType: "malformed",
    description:
      "An offset, size or count that is a multiple of 8 and inside the segment, but not the right value: catches readers that check only alignment and range.",
  },
  ExactFit: {
    bugType: "edge-case",
    description:
      "A section or frame that fills its area to the last byte, or a frame of exactly 16 bytes: catches bounds off by one frame.",
  },
  StrayBytes: {
    bugType: "malformed",
    description:
      "Bytes left at the end of an area, too few for a frame header: catches readers that stop early.",
  },
  ExactArithmetic: {
    bugType: "malformed",
    description:
      "A value whose u64 (or u32) arithmetic wraps to a plausible one: catches readers that do not compute header sums and products exactly.",
  },
  HighBits: {
    bugType: "malformed",
    description:
      "A defect only in the high bits of a field: catches readers that read the field narrower than it is (a u8 for a u16, 32 bits of a u64).",
  },
  ChecksumVariant: {
    bugType: "integrity",
    description:
      "A checksum computed the wrong way (other bytes covered, big-endian, another seed): catches readers that hash another range or encoding.",
  },
  TwoDefects: {
    bugType: "edge-case",
    description:
      "Two defects, each alone giving its own error: the one of the earlier check must be reported; catches readers that check in another order.",
  },
  CheckOrder: {
    bugType: "edge-case",
    description:
      "The two defects are in adjacent steps of reader_check_order: catches readers that run those steps the other way round.",
  },
  StructureOrder: {
    bugType: "edge-case",
    description:
      "Defects in two structures (frames, records, refs, filters), the later one's being an earlier sub-check: catches readers that run one sub-check over all structures before the next.",
  },
  Float64Twins: {
    bugType: "edge-case",
    description:
      "Distinct u64 values equal as doubles (2^53 and 2^53+1, 2^64-1 and 2^64-2^10): catches ids, logseqs or segment ids stored or compared as JS numbers.",
  },
  UnknownVersion: {
    bugType: "compatibility",
    description:
      "A known filter or block type with another version: it must be skipped unexamined, whatever its contents; catches readers that look at the type only.",
  },
  EmptyKeyFilter: {
    bugType: "edge-case",
    description: "A known filter over no keys: it answers 'absent' for everything and is valid.",
  },
  MinimalFilter: {
    bugType: "edge-case",
    description:
      "A filter at its least or greatest parameters (num_bits 1, num_hashes 1 and 32, block_length 1): catches range checks off by one.",
  },
  SecondFilterOfDomain: {
    bugType: "invalid",
    description:
      "A later known filter of a domain, which queries never consult, is still checked: catches readers that check only the filter they use.",
  },
  SetOrder: {
    bugType: "visibility",
    description:
      "A set opened in an order other than its logseq order (every order of its members): catches 'the last segment given wins'.",
  },
  LowWordTwins: {
    bugType: "edge-case",
    description:
      "Distinct u64 values (ids, node ids, edge ids, logseqs) with the same low or the same high 32 bits (5 and 2^32+5): catches readers that compare, search or order 64-bit values on one 32-bit word.",
  },
  WideLogseqRange: {
    bugType: "edge-case",
    description:
      "A logseq range far wider than the number of records: catches duplicate-logseq checks that only work for dense logs.",
  },
  OverlappingRanges: {
    bugType: "visibility",
    description:
      "Members whose logseq ranges overlap, one's records between another's: catches readers that order segments by range, not records by logseq.",
  },
};
