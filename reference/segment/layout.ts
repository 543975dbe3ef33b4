// The byte layout of an ENC-ASL-TGK-INDEX segment, profile 1: every size, offset, magic and flag bit of
// DEC-001 (little-endian, magic 'ATXI'), DEC-002 (exact field offsets), DEC-003 (section placement),
// DEC-012 (flag bits) and DEC-013 (roles, positions). Rules: ATXI-LAY-001, ATXI-HDR-001..003,
// ATXI-ASL-001, ATXI-TGK-001, ATXI-NPR-001, ATXI-FTR-001.

/** 'A' 'T' 'X' 'I' (DEC-001). */
export const MAGIC = Uint8Array.of(0x41, 0x54, 0x58, 0x49);
export const SEGMENT_VERSION = 1;

export const HEADER_SIZE = 64;
export const FOOTER_SIZE = 32;
export const MIN_SEGMENT_SIZE = HEADER_SIZE + FOOTER_SIZE;
export const FRAME_HEADER_SIZE = 16;
export const ASL_RECORD_SIZE = 24;
export const TGK_RECORD_SIZE = 24;
export const NODE_REF_SIZE = 32;
export const ALIGN = 8;

/** Header field offsets (DEC-002). */
export const H = {
  magic: 0,
  version: 4,
  flags: 6,
  segmentId: 8,
  logseqMin: 16,
  logseqMax: 24,
  aslRecordCount: 32,
  tgkRecordCount: 40,
  recordAreaOffset: 48,
  footerOffset: 56,
} as const;

/** Footer field offsets, relative to footer_offset (DEC-002). */
export const F = { checksum: 0, aslRecordBytes: 8, tgkRecordBytes: 16, filterBytes: 24 } as const;

/** Filter / acceleration block header offsets, relative to the frame (DEC-002). */
export const FR = { type: 0, version: 2, flags: 4, sizeBytes: 8 } as const;

/** ASL record offsets (DEC-002). */
export const AR = { logseq: 0, artifactId: 8, typeTag: 16, hasTypeTag: 20, reserved: 21, flags: 22 } as const;
/** TGK record offsets (DEC-002). */
export const TR = { logseq: 0, tgkEdgeId: 8, edgeTypeKey: 16, hasEdgeType: 20, role: 21, flags: 22 } as const;
/** Node-edge ref offsets (DEC-002). */
export const NR = { logseq: 0, nodeId: 8, tgkEdgeId: 16, position: 24, reserved: 25 } as const;
export const NODE_REF_RESERVED_BYTES = 7;

/** Header flags (DEC-012). */
export const HEADER_FLAG_HAS_NODE_PROJECTIONS = 0x1;
export const HEADER_FLAGS_RESERVED = 0xfffe;
/** Record flags (DEC-012). */
export const RECORD_FLAG_TOMBSTONE = 0x1;
export const RECORD_FLAGS_RESERVED = 0xfffe;

/** Acceleration block type 1, version 1: node-edge refs (DEC-003). */
export const BLOCK_TYPE_NODE_REFS = 1;
export const BLOCK_VERSION_NODE_REFS = 1;

/** TGK record role (DEC-013). */
export type Role = 0 | 1 | 2 | 3;
export const ROLE_NONE: Role = 0;
export const ROLE_FROM: Role = 1;
export const ROLE_TO: Role = 2;
export const ROLE_BOTH: Role = 3;

export function pad8(n: number): number {
  return n + ((8 - (n % 8)) % 8);
}
