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
};
