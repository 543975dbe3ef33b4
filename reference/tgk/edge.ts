// The minimal TGK edge model, a stand-in for ENC-TGK-CORE and TGK/1 (DEC-016, DEC-026): an edge is an
// optional u32 edge type and two sets of u64 node ids (from, to), at least one node in all. Its canonical
// encoding is "TGK-EDGE/1", u32 LE |from|, from ascending (u64 LE), u32 LE |to|, to ascending; its
// tgk_edge_id is the first 8 bytes of SHA-256 of that encoding, big-endian. The edge type is not part of
// the identity (section 12). Node projections (section 8) derive from it: one ref (node, 1) per from node,
// one (node, 2) per to node. Rules: ATXI-INV-002, ATXI-INV-003, ATXI-NPR-002.
import { AslError } from "../common/errors.ts";
import { first8BigEndian, sha256 } from "../common/hash.ts";

export interface Edge {
  /** Optional u32 edge type; never part of the identity. */
  edgeType?: number;
  from: readonly bigint[];
  to: readonly bigint[];
}

/** Node-edge ref position (DEC-013): 1 = from, 2 = to. */
export type Position = 1 | 2;
export const POSITION_FROM: Position = 1;
export const POSITION_TO: Position = 2;

/** One node-edge ref (section 8, DEC-002): the node, the edge, the position and the edge record's logseq. */
export interface NodeEdgeRef {
  logseq: bigint;
  nodeId: bigint;
  tgkEdgeId: bigint;
  position: Position;
}

const PREFIX = new TextEncoder().encode("TGK-EDGE/1");
const U64_MAX = (1n << 64n) - 1n;

function sortedSet(ids: readonly bigint[], list: "from" | "to"): bigint[] {
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (typeof v !== "bigint" || v < 0n || v > U64_MAX) {
      throw new AslError("TGK_INVALID_EDGE", `edge.${list} holds ${String(v)}, not a u64 node id`, {
        field: `edge.${list}`,
        rule: "ATXI-INV-002",
      });
    }
    if (i > 0 && sorted[i - 1] === v) {
      throw new AslError("TGK_INVALID_EDGE", `node ${v} is listed twice in edge.${list}`, {
        field: `edge.${list}`,
        rule: "ATXI-INV-002",
      });
    }
  }
  return sorted;
}

/** Validates an edge (TGK_INVALID_EDGE) and returns its node lists as sorted sets. */
export function normalizeEdge(edge: Edge): { from: bigint[]; to: bigint[] } {
  const from = sortedSet(edge.from, "from");
  const to = sortedSet(edge.to, "to");
  if (from.length + to.length === 0) {
    throw new AslError("TGK_INVALID_EDGE", "an edge has at least one node in from or to", {
      field: "edge",
      rule: "ATXI-INV-002",
    });
  }
  if (
    edge.edgeType !== undefined &&
    !(Number.isInteger(edge.edgeType) && edge.edgeType >= 0 && edge.edgeType <= 0xffffffff)
  ) {
    throw new AslError("TGK_INVALID_EDGE", `edge type ${edge.edgeType} is not a u32`, {
      field: "edge.edgeType",
      rule: "ATXI-INV-002",
    });
  }
  return { from, to };
}

/** The canonical encoding of DEC-016 (the edge type is left out on purpose). */
export function canonicalEdgeEncoding(edge: Edge): Uint8Array {
  const { from, to } = normalizeEdge(edge);
  const out = new Uint8Array(PREFIX.length + 8 + 8 * (from.length + to.length));
  const dv = new DataView(out.buffer);
  out.set(PREFIX, 0);
  let p = PREFIX.length;
  dv.setUint32(p, from.length, true);
  p += 4;
  for (const id of from) {
    dv.setBigUint64(p, id, true);
    p += 8;
  }
  dv.setUint32(p, to.length, true);
  p += 4;
  for (const id of to) {
    dv.setBigUint64(p, id, true);
    p += 8;
  }
  return out;
}

/** tgk_edge_id of DEC-016: first 8 bytes of SHA-256(canonical encoding), big-endian. */
export function edgeId(edge: Edge): bigint {
  return first8BigEndian(sha256(canonicalEdgeEncoding(edge)));
}

/** The node-edge refs an edge record derives (DEC-016), in DEC-004 order. */
export function edgeNodeRefs(edge: Edge, tgkEdgeId: bigint, logseq: bigint): NodeEdgeRef[] {
  const { from, to } = normalizeEdge(edge);
  const refs: NodeEdgeRef[] = [];
  for (const nodeId of from) refs.push({ logseq, nodeId, tgkEdgeId, position: POSITION_FROM });
  for (const nodeId of to) refs.push({ logseq, nodeId, tgkEdgeId, position: POSITION_TO });
  return refs.sort(compareNodeRefs);
}

/** DEC-004 order of node-edge refs: (node_id, position, tgk_edge_id, logseq). */
export function compareNodeRefs(a: NodeEdgeRef, b: NodeEdgeRef): number {
  if (a.nodeId !== b.nodeId) return a.nodeId < b.nodeId ? -1 : 1;
  if (a.position !== b.position) return a.position - b.position;
  if (a.tgkEdgeId !== b.tgkEdgeId) return a.tgkEdgeId < b.tgkEdgeId ? -1 : 1;
  return a.logseq === b.logseq ? 0 : a.logseq < b.logseq ? -1 : 1;
}

/** A TGK record as far as projections care: its id, logseq and whether it is a tombstone. */
export interface EdgeRecordRef {
  tgkEdgeId: bigint;
  logseq: bigint;
  tombstone: boolean;
}

/**
 * The node projections of a segment (ATXI-NPR-002): the refs derived from the edge of every non-tombstone
 * TGK record, with that record's logseq, sorted. `edges` maps tgk_edge_id to the edge (see edgesById); a
 * live record without an edge is refused (TGK_INVALID_EDGE): its projections cannot be derived.
 */
export function deriveNodeRefs(
  records: readonly EdgeRecordRef[],
  edges: ReadonlyMap<bigint, Edge>,
): NodeEdgeRef[] {
  const refs: NodeEdgeRef[] = [];
  for (const r of records) {
    if (r.tombstone) continue;
    const edge = edges.get(r.tgkEdgeId);
    if (edge === undefined) {
      throw new AslError(
        "TGK_INVALID_EDGE",
        `no edge given for tgk_edge_id ${r.tgkEdgeId}, so its node projections cannot be derived`,
        { field: "edges", rule: "ATXI-NPR-002" },
      );
    }
    for (const ref of edgeNodeRefs(edge, r.tgkEdgeId, r.logseq)) refs.push(ref);
  }
  return refs.sort(compareNodeRefs);
}

/** Indexes edges by their tgk_edge_id (computing each id once). */
export function edgesById(edges: readonly Edge[]): Map<bigint, Edge> {
  const m = new Map<bigint, Edge>();
  for (const e of edges) m.set(edgeId(e), e);
  return m;
}
