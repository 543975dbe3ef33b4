// Plain-JSON forms of decoded segments and query answers for the golden vectors: u64 values as decimal
// strings (DEC-032), bytes as lowercase hex, u32 and smaller as numbers. Rules: ATXI-ASL-001, ATXI-TGK-001.
import { toHex } from "../common/hash.ts";
import type { SegmentFilter } from "../filters/filter.ts";
import type { NodeEdgeRef } from "../tgk/edge.ts";
import type { AccelBlock, AslRecord, Segment, TgkRecord } from "./model.ts";

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export function aslRecordJson(r: AslRecord): Json {
  const o: Record<string, Json> = {
    logseq: r.logseq.toString(),
    artifact_id: r.artifactId.toString(),
    tombstone: r.tombstone,
  };
  if (r.typeTag !== undefined) o["type_tag"] = r.typeTag;
  return o;
}

export function tgkRecordJson(r: TgkRecord): Json {
  const o: Record<string, Json> = {
    logseq: r.logseq.toString(),
    tgk_edge_id: r.tgkEdgeId.toString(),
    role: r.role,
    tombstone: r.tombstone,
  };
  if (r.edgeTypeKey !== undefined) o["edge_type_key"] = r.edgeTypeKey;
  return o;
}

export function nodeRefJson(r: NodeEdgeRef): Json {
  return {
    logseq: r.logseq.toString(),
    node_id: r.nodeId.toString(),
    tgk_edge_id: r.tgkEdgeId.toString(),
    position: r.position,
  };
}

export function filterJson(f: SegmentFilter): Json {
  switch (f.kind) {
    case "bloom":
      return {
        kind: "bloom",
        domain: f.domain,
        num_bits: f.numBits,
        num_hashes: f.numHashes,
        seed: f.seed.toString(),
        bits: toHex(f.bits),
      };
    case "xor8":
      return {
        kind: "xor8",
        domain: f.domain,
        seed: f.seed.toString(),
        block_length: f.blockLength,
        fingerprints: toHex(f.fingerprints),
      };
    case "unknown":
      return {
        kind: "unknown",
        filter_type: f.filterType,
        version: f.version,
        flags: f.flags,
        payload: toHex(f.payload),
      };
  }
}

export function accelBlockJson(b: AccelBlock): Json {
  return b.kind === "node-refs"
    ? { kind: "node-refs", refs: b.refs.map(nodeRefJson) }
    : {
        kind: "unknown",
        block_type: b.blockType,
        version: b.version,
        flags: b.flags,
        payload: toHex(b.payload),
      };
}

export function segmentJson(s: Segment): Json {
  const h = s.header;
  const f = s.footer;
  return {
    header: {
      version: h.version,
      flags: h.flags,
      segment_id: h.segmentId.toString(),
      logseq_min: h.logseqMin.toString(),
      logseq_max: h.logseqMax.toString(),
      asl_record_count: h.aslRecordCount.toString(),
      tgk_record_count: h.tgkRecordCount.toString(),
      record_area_offset: h.recordAreaOffset.toString(),
      footer_offset: h.footerOffset.toString(),
    },
    filters: s.filters.map(filterJson),
    asl_records: s.aslRecords.map(aslRecordJson),
    tgk_records: s.tgkRecords.map(tgkRecordJson),
    accel_blocks: s.accelBlocks.map(accelBlockJson),
    footer: {
      checksum: f.checksum.toString(),
      asl_record_bytes: f.aslRecordBytes.toString(),
      tgk_record_bytes: f.tgkRecordBytes.toString(),
      filter_bytes: f.filterBytes.toString(),
    },
  };
}
