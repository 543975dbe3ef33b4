// The data model of a decoded ENC-ASL-TGK-INDEX segment (sections 4 to 8 and 11, laid out by DEC-002 and
// DEC-003): header and footer fields as bigint (u64) or number (u16/u32), filters and acceleration blocks
// in file order (unknown ones kept verbatim, DEC-011), and the three record kinds. Every u64 keeps all 64
// bits (ATXI-ASL-001, ATXI-TGK-001, ATXI-HDR-007). Rules: ATXI-LAY-001, ATXI-INV-006.
import type { SegmentFilter } from "../filters/filter.ts";
import type { NodeEdgeRef } from "../tgk/edge.ts";
import type { Role } from "./layout.ts";

export type { FilterRequest, SegmentFilter } from "../filters/filter.ts";
export type { NodeEdgeRef } from "../tgk/edge.ts";

export interface SegmentHeader {
  version: number;
  flags: number;
  segmentId: bigint;
  logseqMin: bigint;
  logseqMax: bigint;
  aslRecordCount: bigint;
  tgkRecordCount: bigint;
  recordAreaOffset: bigint;
  footerOffset: bigint;
}

export interface SegmentFooter {
  checksum: bigint;
  aslRecordBytes: bigint;
  tgkRecordBytes: bigint;
  filterBytes: bigint;
}

/** An ASL artifact index record (section 6). typeTag undefined = has_type_tag 0. */
export interface AslRecord {
  logseq: bigint;
  artifactId: bigint;
  typeTag?: number | undefined;
  tombstone: boolean;
}

/** A TGK edge index record (section 7). edgeTypeKey undefined = has_edge_type 0. */
export interface TgkRecord {
  logseq: bigint;
  tgkEdgeId: bigint;
  edgeTypeKey?: number | undefined;
  role: Role;
  tombstone: boolean;
}

/** The node-edge-ref block (type 1, version 1) of the acceleration area. */
export interface NodeRefsBlock {
  kind: "node-refs";
  refs: readonly NodeEdgeRef[];
}

/** An acceleration block of a (type, version) profile 1 does not implement, kept verbatim (DEC-011). */
export interface UnknownAccelBlock {
  kind: "unknown";
  blockType: number;
  version: number;
  flags: number;
  payload: Uint8Array;
}

export type AccelBlock = NodeRefsBlock | UnknownAccelBlock;

/** A fully materialized segment. */
export interface Segment {
  header: SegmentHeader;
  filters: SegmentFilter[];
  aslRecords: AslRecord[];
  tgkRecords: TgkRecord[];
  /** The acceleration blocks in file order; at most one is a node-refs block. */
  accelBlocks: AccelBlock[];
  /** The refs of the node-refs block, or undefined when the segment has no projections. */
  nodeRefs: NodeEdgeRef[] | undefined;
  footer: SegmentFooter;
}
