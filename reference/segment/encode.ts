// The reference segment writer (ENC-ASL-TGK-INDEX sections 3 to 11, laid out by DEC-001..DEC-003). It is
// deterministic (DEC-025: the same input gives the same bytes, filters included), sorts records into the
// DEC-004 order itself (unless told not to), derives node projections from edges (DEC-016) and builds the
// filters it is asked for (DEC-007, DEC-009, DEC-010). Before returning it runs the reader's checks on
// what it wrote, so it refuses invalid input with exactly the code a reader would report for the result,
// and returns nothing (ATXI-ENC-001). Rules: ATXI-ENC-001, ATXI-INV-006, ATXI-INV-008, ATXI-FLT-004,
// ATXI-FLT-010, ATXI-NPR-002, ATXI-FTR-002.
import { AslError, isAslError } from "../common/errors.ts";
import { xxh64 } from "../common/hash.ts";
import type { FilterDomain } from "../filters/domain.ts";
import { buildFilter, type FilterRequest, filterFrame, type SegmentFilter } from "../filters/filter.ts";
import { compareNodeRefs, deriveNodeRefs, type Edge, edgesById, type NodeEdgeRef } from "../tgk/edge.ts";
import { runChecks } from "./decode.ts";
import {
  AR,
  ASL_RECORD_SIZE,
  BLOCK_TYPE_NODE_REFS,
  BLOCK_VERSION_NODE_REFS,
  F,
  FOOTER_SIZE,
  FR,
  FRAME_HEADER_SIZE,
  H,
  HEADER_FLAG_HAS_NODE_PROJECTIONS,
  HEADER_SIZE,
  MAGIC,
  NODE_REF_SIZE,
  NR,
  pad8,
  RECORD_FLAG_TOMBSTONE,
  SEGMENT_VERSION,
  TGK_RECORD_SIZE,
  TR,
} from "./layout.ts";
import type { AccelBlock, AslRecord, Segment, TgkRecord } from "./model.ts";
import { SegmentReader } from "./reader.ts";

export interface SegmentInput {
  segmentId: bigint;
  logseqMin: bigint;
  logseqMax: bigint;
  aslRecords?: readonly AslRecord[];
  tgkRecords?: readonly TgkRecord[];
  /**
   * Edges to derive the node projections from (DEC-016), as a list or keyed by tgk_edge_id. The derived
   * refs fill the node-refs block of `accelBlocks` where there is one (its place kept), else a new block
   * placed first in the acceleration area. `nodeRefs`, when given, is used instead.
   */
  edges?: readonly Edge[] | ReadonlyMap<bigint, Edge>;
  /** Explicit node-edge refs for the node-refs block (instead of deriving them). */
  nodeRefs?: readonly NodeEdgeRef[];
  /** Filters in file order: a request builds one from the records (DEC-009/DEC-010); a filter is kept as given. */
  filters?: readonly (FilterRequest | SegmentFilter)[];
  /** Acceleration blocks in file order (unknown ones verbatim, at most one node-refs block). */
  accelBlocks?: readonly AccelBlock[];
  /** Sort records into DEC-004 order (default true). With false, out-of-order input is refused (SEG_RECORD_ORDER). */
  sort?: boolean;
}

const U64_MAX = (1n << 64n) - 1n;

function needU64(v: unknown, what: string): bigint {
  if (typeof v !== "bigint" || v < 0n || v > U64_MAX)
    throw new RangeError(`${what} must be a u64 bigint, got ${String(v)}`);
  return v;
}
function needU32(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new RangeError(`${what} must be a u32, got ${String(v)}`);
  return v;
}

function cmpKey(aId: bigint, aLs: bigint, bId: bigint, bLs: bigint): number {
  if (aId !== bId) return aId < bId ? -1 : 1;
  return aLs === bLs ? 0 : aLs < bLs ? -1 : 1;
}

/** Sorts a copy unless the input is already in order (re-encoding and the common case skip the sort). */
function sortedBy<T>(items: readonly T[], cmp: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < items.length; i++) if (cmp(items[i - 1]!, items[i]!) > 0) return [...items].sort(cmp);
  return items;
}

function isRequest(f: FilterRequest | SegmentFilter): f is FilterRequest {
  return "build" in f;
}

/** Encodes a segment; throws the reader's AslError (and writes nothing) when the result would be invalid. */
export function encodeSegment(input: SegmentInput): Uint8Array {
  const sort = input.sort ?? true;
  needU64(input.segmentId, "segmentId");
  needU64(input.logseqMin, "logseqMin");
  needU64(input.logseqMax, "logseqMax");
  let asl = input.aslRecords ?? [];
  let tgk = input.tgkRecords ?? [];
  asl.forEach((r, i) => {
    needU64(r.logseq, `aslRecords[${i}].logseq`);
    needU64(r.artifactId, `aslRecords[${i}].artifactId`);
    if (r.typeTag !== undefined) needU32(r.typeTag, `aslRecords[${i}].typeTag`);
  });
  tgk.forEach((r, i) => {
    needU64(r.logseq, `tgkRecords[${i}].logseq`);
    needU64(r.tgkEdgeId, `tgkRecords[${i}].tgkEdgeId`);
    if (r.edgeTypeKey !== undefined) needU32(r.edgeTypeKey, `tgkRecords[${i}].edgeTypeKey`);
    if (!Number.isInteger(r.role) || r.role < 0 || r.role > 255) {
      throw new AslError("SEG_BAD_ROLE", `tgkRecords[${i}].role ${String(r.role)} is not 0..3`, {
        field: "tgk_index_record.role",
        rule: "ATXI-TGK-003",
      });
    }
  });
  if (sort) {
    asl = sortedBy(asl, (a, b) => cmpKey(a.artifactId, a.logseq, b.artifactId, b.logseq));
    tgk = sortedBy(tgk, (a, b) => cmpKey(a.tgkEdgeId, a.logseq, b.tgkEdgeId, b.logseq));
  }

  // The acceleration blocks: given ones, plus a node-refs block from nodeRefs or edges.
  const blocks: AccelBlock[] = [...(input.accelBlocks ?? [])];
  let refs: readonly NodeEdgeRef[] | undefined;
  if (input.nodeRefs !== undefined) refs = input.nodeRefs;
  else if (input.edges !== undefined) {
    const byId = input.edges instanceof Map ? input.edges : edgesById(input.edges as readonly Edge[]);
    refs = deriveNodeRefs(tgk, byId);
  }
  if (refs !== undefined) {
    const at = blocks.findIndex((b) => b.kind === "node-refs");
    if (at >= 0) blocks[at] = { kind: "node-refs", refs };
    else blocks.unshift({ kind: "node-refs", refs });
  }
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    if (block.kind === "node-refs") {
      block.refs.forEach((r, i) => {
        needU64(r.logseq, `nodeRefs[${i}].logseq`);
        needU64(r.nodeId, `nodeRefs[${i}].nodeId`);
        needU64(r.tgkEdgeId, `nodeRefs[${i}].tgkEdgeId`);
        if (!Number.isInteger(r.position) || r.position < 0 || r.position > 255)
          throw new RangeError(`nodeRefs[${i}].position must be a u8`);
      });
      if (sort) blocks[b] = { kind: "node-refs", refs: sortedBy(block.refs, compareNodeRefs) };
    }
  }
  const nodeRefs = blocks.find((b) => b.kind === "node-refs")?.refs;

  const keysOf = (domain: FilterDomain): bigint[] =>
    domain === 1
      ? asl.map((r) => r.artifactId)
      : domain === 2
        ? tgk.map((r) => r.tgkEdgeId)
        : (nodeRefs ?? []).map((r) => r.nodeId);
  const filters = (input.filters ?? []).map((f) =>
    filterFrame(isRequest(f) ? buildFilter(f.build, f.domain, keysOf(f.domain)) : f),
  );
  const accel = blocks.map((b) =>
    b.kind === "node-refs"
      ? {
          type: BLOCK_TYPE_NODE_REFS,
          version: BLOCK_VERSION_NODE_REFS,
          flags: 0,
          payload: encodeNodeRefs(b.refs),
        }
      : { type: b.blockType, version: b.version, flags: b.flags, payload: b.payload },
  );

  const filterBytes = filters.reduce((n, f) => n + FRAME_HEADER_SIZE + pad8(f.payload.length), 0);
  const rao = HEADER_SIZE + filterBytes;
  const aslBytes = ASL_RECORD_SIZE * asl.length;
  const tgkBytes = TGK_RECORD_SIZE * tgk.length;
  let fo = rao + aslBytes + tgkBytes;
  for (const b of accel) fo += FRAME_HEADER_SIZE + pad8(b.payload.length);
  const out = new Uint8Array(fo + FOOTER_SIZE);
  const dv = new DataView(out.buffer);

  out.set(MAGIC, H.magic);
  dv.setUint16(H.version, SEGMENT_VERSION, true);
  dv.setUint16(H.flags, nodeRefs !== undefined ? HEADER_FLAG_HAS_NODE_PROJECTIONS : 0, true);
  dv.setBigUint64(H.segmentId, input.segmentId, true);
  dv.setBigUint64(H.logseqMin, input.logseqMin, true);
  dv.setBigUint64(H.logseqMax, input.logseqMax, true);
  dv.setBigUint64(H.aslRecordCount, BigInt(asl.length), true);
  dv.setBigUint64(H.tgkRecordCount, BigInt(tgk.length), true);
  dv.setBigUint64(H.recordAreaOffset, BigInt(rao), true);
  dv.setBigUint64(H.footerOffset, BigInt(fo), true);

  let pos = HEADER_SIZE;
  const frame = (f: { type: number; version: number; flags: number; payload: Uint8Array }) => {
    dv.setUint16(pos + FR.type, needU32(f.type, "frame type") & 0xffff, true);
    dv.setUint16(pos + FR.version, f.version, true);
    dv.setUint32(pos + FR.flags, f.flags >>> 0, true);
    dv.setBigUint64(pos + FR.sizeBytes, BigInt(f.payload.length), true);
    out.set(f.payload, pos + FRAME_HEADER_SIZE);
    pos += FRAME_HEADER_SIZE + pad8(f.payload.length);
  };
  for (const f of filters) frame(f);
  for (const r of asl) {
    dv.setBigUint64(pos + AR.logseq, r.logseq, true);
    dv.setBigUint64(pos + AR.artifactId, r.artifactId, true);
    if (r.typeTag !== undefined) {
      dv.setUint32(pos + AR.typeTag, r.typeTag, true);
      out[pos + AR.hasTypeTag] = 1;
    }
    if (r.tombstone) dv.setUint16(pos + AR.flags, RECORD_FLAG_TOMBSTONE, true);
    pos += ASL_RECORD_SIZE;
  }
  for (const r of tgk) {
    dv.setBigUint64(pos + TR.logseq, r.logseq, true);
    dv.setBigUint64(pos + TR.tgkEdgeId, r.tgkEdgeId, true);
    if (r.edgeTypeKey !== undefined) {
      dv.setUint32(pos + TR.edgeTypeKey, r.edgeTypeKey, true);
      out[pos + TR.hasEdgeType] = 1;
    }
    out[pos + TR.role] = r.role;
    if (r.tombstone) dv.setUint16(pos + TR.flags, RECORD_FLAG_TOMBSTONE, true);
    pos += TGK_RECORD_SIZE;
  }
  for (const b of accel) frame(b);

  dv.setBigUint64(fo + F.aslRecordBytes, BigInt(aslBytes), true);
  dv.setBigUint64(fo + F.tgkRecordBytes, BigInt(tgkBytes), true);
  dv.setBigUint64(fo + F.filterBytes, BigInt(filterBytes), true);
  sealChecksum(out);

  try {
    // The filters built above hold every key by construction: the self-check need not probe them again.
    runChecks(new SegmentReader(out), undefined, { builtFilters: (input.filters ?? []).map(isRequest) });
  } catch (e) {
    if (!isAslError(e)) throw e;
    throw new AslError(
      e.code,
      `writer refuses the input: ${e.message} (offset ${e.offset} of the segment it would write)`,
      {
        offset: e.offset,
        field: e.field,
        rule: e.rule,
      },
    );
  }
  return out;
}

function encodeNodeRefs(refs: readonly NodeEdgeRef[]): Uint8Array {
  const out = new Uint8Array(NODE_REF_SIZE * refs.length);
  const dv = new DataView(out.buffer);
  refs.forEach((r, i) => {
    const o = NODE_REF_SIZE * i;
    dv.setBigUint64(o + NR.logseq, r.logseq, true);
    dv.setBigUint64(o + NR.nodeId, r.nodeId, true);
    dv.setBigUint64(o + NR.tgkEdgeId, r.tgkEdgeId, true);
    out[o + NR.position] = r.position;
  });
  return out;
}

/**
 * Writes the DEC-006 checksum of `bytes` (a segment whose footer_offset field is right) into its footer,
 * in place: XXH64 seed 0 over [0, footer_offset) and [footer_offset + 8, end). Vectors use it to re-seal
 * a mutated segment.
 */
export function sealChecksum(bytes: Uint8Array): bigint {
  const fo = bytes.length - FOOTER_SIZE;
  const sum = xxh64([bytes.subarray(0, fo), bytes.subarray(fo + 8)]);
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setBigUint64(fo + F.checksum, sum, true);
  return sum;
}

/** The input that re-encodes a decoded segment to the same bytes (ATXI-INV-006). */
export function segmentInput(seg: Segment): SegmentInput {
  return {
    segmentId: seg.header.segmentId,
    logseqMin: seg.header.logseqMin,
    logseqMax: seg.header.logseqMax,
    aslRecords: seg.aslRecords,
    tgkRecords: seg.tgkRecords,
    filters: seg.filters,
    accelBlocks: seg.accelBlocks,
    sort: false,
  };
}
