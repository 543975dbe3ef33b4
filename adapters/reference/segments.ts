// The reference engine's segment capabilities behind the adapter contract: decode, encode, query, filters,
// TGK edges, projections and sharding (spec/protocol.md section 6). Stateless: each request carries its
// segments.
import { AslError } from "../../reference/common/errors.ts";
import { parseBloomPayload } from "../../reference/filters/bloom.ts";
import { DOMAIN_ASL } from "../../reference/filters/domain.ts";
import {
  buildFilter,
  type FilterKind,
  filterFrame,
  filterMayContain,
} from "../../reference/filters/filter.ts";
import { parseXor8Payload } from "../../reference/filters/xor8.ts";
import { SegmentSet } from "../../reference/query/segment-set.ts";
import { shard } from "../../reference/query/shard.ts";
import { decodeSegment } from "../../reference/segment/decode.ts";
import { encodeSegment, type SegmentInput as RefInput } from "../../reference/segment/encode.ts";
import type { Role } from "../../reference/segment/layout.ts";
import type { AslRecord, Segment, TgkRecord } from "../../reference/segment/model.ts";
import { edgeId, edgeNodeRefs, type Edge as RefEdge } from "../../reference/tgk/edge.ts";
import type {
  Answer,
  AslHit,
  DecodedSegment,
  Edge,
  Handlers,
  NodeRef,
  Ops,
  Query,
  SegmentInput,
  TgkHit,
} from "../interface.ts";
import { bytesArg, optU32, u32, u64, u64s } from "./convert.ts";

type SegmentOp = Extract<
  keyof Ops,
  `seg.${string}` | `filter.${string}` | `tgk.${string}` | `shard.${string}`
>;

export function edgeArg(e: Edge): RefEdge {
  if (!e || typeof e !== "object")
    throw new AslError("PROTO_BAD_REQUEST", "edge must be {edge_type, from, to}", { field: "edge" });
  const edgeType = optU32(e.edge_type, "edge.edge_type");
  return {
    ...(edgeType !== undefined ? { edgeType } : {}),
    from: u64s(e.from, "edge.from", "TGK_INVALID_EDGE"),
    to: u64s(e.to, "edge.to", "TGK_INVALID_EDGE"),
  };
}

function nodeRefWire(r: { logseq: bigint; nodeId: bigint; tgkEdgeId: bigint; position: number }): NodeRef {
  return {
    logseq: r.logseq.toString(),
    node_id: r.nodeId.toString(),
    tgk_edge_id: r.tgkEdgeId.toString(),
    position: r.position as 1 | 2,
  };
}

/** The protocol's decoded form: every field of the file, as it is there. */
export function decodedWire(s: Segment): DecodedSegment {
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
    filters: s.filters.map((x) => {
      const fr = filterFrame(x);
      return { filter_type: fr.type, version: fr.version, flags: fr.flags, payload: fr.payload };
    }),
    asl_records: s.aslRecords.map((r) => ({
      logseq: r.logseq.toString(),
      artifact_id: r.artifactId.toString(),
      type_tag: r.typeTag ?? 0,
      has_type_tag: r.typeTag === undefined ? 0 : 1,
      flags: r.tombstone ? 1 : 0,
    })),
    tgk_records: s.tgkRecords.map((r) => ({
      logseq: r.logseq.toString(),
      tgk_edge_id: r.tgkEdgeId.toString(),
      edge_type_key: r.edgeTypeKey ?? 0,
      has_edge_type: r.edgeTypeKey === undefined ? 0 : 1,
      role: r.role,
      flags: r.tombstone ? 1 : 0,
    })),
    node_refs: s.nodeRefs === undefined ? null : s.nodeRefs.map(nodeRefWire),
    accel_blocks: s.accelBlocks.flatMap((b) =>
      b.kind === "unknown"
        ? [{ block_type: b.blockType, version: b.version, flags: b.flags, payload: b.payload }]
        : [],
    ),
    footer: {
      checksum: f.checksum.toString(),
      asl_record_bytes: f.aslRecordBytes.toString(),
      tgk_record_bytes: f.tgkRecordBytes.toString(),
      filter_bytes: f.filterBytes.toString(),
    },
  };
}

const DOMAINS = { asl: 1, tgk: 2, node: 3 } as const;

export function encoderInput(i: SegmentInput): RefInput {
  if (!i || typeof i !== "object")
    throw new AslError("PROTO_BAD_REQUEST", "input must be an object", { field: "input" });
  const role = (v: unknown, f: string): Role => {
    const r = u32(v, f);
    if (r > 255) throw new AslError("PROTO_BAD_REQUEST", `${f} must be a u8`, { field: f });
    return r as Role;
  };
  // DEC-033: values are checked in the order spec/protocol.md lists the input's members, depth first.
  const segmentId = u64(i.segment_id, "input.segment_id");
  const logseqMin = u64(i.logseq_min, "input.logseq_min");
  const logseqMax = u64(i.logseq_max, "input.logseq_max");
  const aslRecords = (i.asl_records ?? []).map((r, n) => {
    const logseq = u64(r.logseq, `input.asl_records[${n}].logseq`);
    const artifactId = u64(r.artifact_id, `input.asl_records[${n}].artifact_id`);
    const typeTag = optU32(r.type_tag, `input.asl_records[${n}].type_tag`);
    return {
      logseq,
      artifactId,
      ...(typeTag !== undefined ? { typeTag } : {}),
      tombstone: r.tombstone === true,
    };
  });
  const tgkRecords = (i.tgk_records ?? []).map((r, n): TgkRecord => {
    const logseq = u64(r.logseq, `input.tgk_records[${n}].logseq`);
    const tgkEdgeId = u64(r.tgk_edge_id, `input.tgk_records[${n}].tgk_edge_id`);
    const edgeTypeKey = optU32(r.edge_type_key, `input.tgk_records[${n}].edge_type_key`);
    return {
      logseq,
      tgkEdgeId,
      ...(edgeTypeKey !== undefined ? { edgeTypeKey } : {}),
      role: role(r.role, `input.tgk_records[${n}].role`),
      tombstone: r.tombstone === true,
    };
  });
  // The edges' values are request values: checked even when node_projections is false and the edges are
  // then not used (DEC-035 says they are not checked against the records, not that they are not read).
  const edges = (i.edges ?? []).map(edgeArg);
  return {
    segmentId,
    logseqMin,
    logseqMax,
    aslRecords,
    tgkRecords,
    ...(i.node_projections ? { edges } : {}),
    filters: (i.filters ?? []).map((f) => ({ build: f.kind, domain: DOMAINS[f.domain] })),
  };
}

/** The wire form of a TGK-CORE edge (DEC-016). */
export function edgeWire(e: RefEdge): Edge {
  return { edge_type: e.edgeType ?? null, from: e.from.map(String), to: e.to.map(String) };
}

const DOMAIN_NAMES = { 1: "asl", 2: "tgk", 3: "node" } as const;

/**
 * The protocol's encoder input for an engine input, when the protocol can express it (it cannot express
 * unknown filters or blocks, explicit node refs, or unsorted input: DEC-035); the inverse of encoderInput.
 */
export function encoderInputWire(i: RefInput): SegmentInput | undefined {
  if (i.accelBlocks?.length || i.nodeRefs || i.sort === false) return undefined;
  if ((i.filters ?? []).some((f) => !("build" in f))) return undefined;
  const edges =
    i.edges === undefined
      ? undefined
      : [...(i.edges instanceof Map ? i.edges.values() : (i.edges as Iterable<RefEdge>))];
  return {
    segment_id: i.segmentId.toString(),
    logseq_min: i.logseqMin.toString(),
    logseq_max: i.logseqMax.toString(),
    asl_records: (i.aslRecords ?? []).map((r) => ({
      logseq: r.logseq.toString(),
      artifact_id: r.artifactId.toString(),
      type_tag: r.typeTag ?? null,
      tombstone: r.tombstone,
    })),
    tgk_records: (i.tgkRecords ?? []).map((r) => ({
      logseq: r.logseq.toString(),
      tgk_edge_id: r.tgkEdgeId.toString(),
      edge_type_key: r.edgeTypeKey ?? null,
      role: r.role,
      tombstone: r.tombstone,
    })),
    edges: (edges ?? []).map(edgeWire),
    node_projections: edges !== undefined,
    filters: (i.filters ?? []).map((f) => {
      const req = f as { build: FilterKind; domain: 1 | 2 | 3 };
      return { kind: req.build, domain: DOMAIN_NAMES[req.domain] };
    }),
  };
}

/** The wire form of a winning ASL record (spec/protocol.md section 6): no segment is named. */
export function aslHitWire(r: AslRecord): AslHit {
  return {
    logseq: r.logseq.toString(),
    artifact_id: r.artifactId.toString(),
    has_type_tag: r.typeTag === undefined ? 0 : 1,
    type_tag: r.typeTag ?? 0,
  };
}

/** The wire form of a winning TGK record. */
export function tgkHitWire(r: TgkRecord): TgkHit {
  return {
    logseq: r.logseq.toString(),
    tgk_edge_id: r.tgkEdgeId.toString(),
    has_edge_type: r.edgeTypeKey === undefined ? 0 : 1,
    edge_type_key: r.edgeTypeKey ?? 0,
    role: r.role,
  };
}

/** A query's u64 values (DEC-033 step 4); its shape (kind, role) the schema has already checked. */
function queryValues(q: Query, field: string): void {
  u64(q.at, `${field}.at`);
  if (q.kind === "artifact") u64(q.artifact_id, `${field}.artifact_id`);
  else if (q.kind === "edge") u64(q.tgk_edge_id, `${field}.tgk_edge_id`);
  else if (q.kind === "incident") u64(q.node_id, `${field}.node_id`);
}

function answer(set: SegmentSet, q: Query, useFilters: boolean): Answer {
  const at = u64(q.at, "query.at");
  const opts = { useFilters };
  switch (q.kind) {
    case "artifact": {
      const r = set.lookupArtifact(at, u64(q.artifact_id, "query.artifact_id"), opts);
      return r === undefined
        ? { found: false }
        : {
            found: true,
            record: aslHitWire(r),
          };
    }
    case "edge": {
      const r = set.lookupEdge(at, u64(q.tgk_edge_id, "query.tgk_edge_id"), opts);
      return r === undefined
        ? { found: false }
        : {
            found: true,
            record: tgkHitWire(r),
          };
    }
    case "incident":
      if (q.role !== "from" && q.role !== "to" && q.role !== "any")
        throw new AslError("PROTO_BAD_REQUEST", "role must be from, to or any", { field: "query.role" });
      return {
        edges: set
          .incidentEdges(at, u64(q.node_id, "query.node_id"), q.role, opts)
          .map((r) => r.tgkEdgeId.toString()),
      };
    default:
      throw new AslError(
        "PROTO_BAD_REQUEST",
        `unknown query kind ${JSON.stringify((q as { kind?: unknown }).kind)}`,
        { field: "query.kind" },
      );
  }
}

function filterKind(k: unknown): FilterKind {
  if (k !== "bloom" && k !== "xor8")
    throw new AslError("PROTO_BAD_REQUEST", `kind must be bloom or xor8, got ${JSON.stringify(k)}`, {
      field: "kind",
    });
  return k;
}

export const segmentHandlers: Handlers<SegmentOp> = {
  "seg.decode": (a) => ({ segment: decodedWire(decodeSegment(bytesArg(a.bytes, "bytes")).toSegment()) }),
  "seg.encode": (a) => ({ bytes: encodeSegment(encoderInput(a.input)) }),
  "seg.query": (a) => {
    if (!Array.isArray(a.segments) || !Array.isArray(a.queries))
      throw new AslError("PROTO_BAD_REQUEST", "segments and queries must be arrays");
    // DEC-033: the values of every query are request values, checked before the set is opened; a
    // malformed one refuses the whole request (PROTO_BAD_REQUEST), never one answer.
    for (const [i, q] of a.queries.entries()) queryValues(q, `queries[${i}]`);
    const set = SegmentSet.fromBytes(a.segments.map((b, i) => bytesArg(b, `segments[${i}]`)));
    return {
      answers: a.queries.map((q) => {
        try {
          return { ok: answer(set, q, a.use_filters !== false) };
        } catch (e) {
          const err = e as AslError;
          if (!(err instanceof AslError)) throw e;
          return { error: { code: err.code, message: err.message } };
        }
      }),
    };
  },
  "filter.build": (a) => ({
    payload: filterFrame(buildFilter(filterKind(a.kind), DOMAIN_ASL, u64s(a.keys, "keys"))).payload,
  }),
  "filter.probe": (a) => {
    // DEC-033: every argument's value (the keys) before the operation's own errors (the payload, DEC-035).
    const kind = filterKind(a.kind);
    const keys = u64s(a.keys, "keys");
    const payload = bytesArg(a.payload, "payload");
    const f =
      kind === "bloom"
        ? parseBloomPayload(payload, DOMAIN_ASL, 0, 0)
        : parseXor8Payload(payload, DOMAIN_ASL, 0, 0);
    return { results: keys.map((k) => filterMayContain(f, k)) };
  },
  "tgk.edge_id": (a) => ({ edge_id: edgeId(edgeArg(a.edge)).toString() }),
  "tgk.project": (a) => {
    const e = edgeArg(a.edge);
    return { refs: edgeNodeRefs(e, edgeId(e), u64(a.logseq, "logseq")).map(nodeRefWire) };
  },
  "shard.assign": (a) => {
    const n = u32(a.shards, "shards");
    if (n < 1) throw new AslError("PROTO_BAD_REQUEST", "shards must be at least 1", { field: "shards" });
    return { shard: shard(u64(a.key, "key"), n) };
  },
};
