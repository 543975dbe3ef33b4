// Mutants written blind, from the spec alone: canonical TGK edge ids (DEC-016), wherever the engine computes
// one, and shard assignment (DEC-024).
import { first8BigEndian, sha256 } from "../../../reference/common/hash.ts";
import { fmix64 } from "../../../reference/filters/mix.ts";
import { encodeSegment } from "../../../reference/segment/encode.ts";
import { type Edge, edgeNodeRefs, normalizeEdge } from "../../../reference/tgk/edge.ts";
import { u32, u64 } from "../../reference/convert.ts";
import { edgeArg, encoderInput } from "../../reference/segments.ts";
import { defineMutant, type Mutant, refuse } from "../mutant.ts";

const PREFIX = new TextEncoder().encode("TGK-EDGE/1");

/** DEC-016's id, but over the node lists in the order given instead of ascending. */
function edgeIdAsGiven(edge: Edge): bigint {
  normalizeEdge(edge); // TGK_INVALID_EDGE as the reference (no node, a node twice)
  const out = new Uint8Array(PREFIX.length + 8 + 8 * (edge.from.length + edge.to.length));
  const dv = new DataView(out.buffer);
  out.set(PREFIX, 0);
  let p = PREFIX.length;
  for (const list of [edge.from, edge.to]) {
    dv.setUint32(p, list.length, true);
    p += 4;
    for (const id of list) {
      dv.setBigUint64(p, id, true);
      p += 8;
    }
  }
  return first8BigEndian(sha256(out));
}

const edgeIdInputOrder = defineMutant(
  {
    id: "blind-tgk-edge-id-input-order",
    description:
      "The canonical edge encoding writes the from and to node ids in the order they are given instead of ascending, so the same edge listed in another order gets another tgk_edge_id (in tgk.edge_id, tgk.project and the writer's edge matching).",
    rules: ["ATXI-INV-002"],
    capabilities: ["tgk-edges", "node-projections"],
  },
  ({ ref }) => ({
    "tgk.edge_id": (a) => ({ edge_id: edgeIdAsGiven(edgeArg(a.edge)).toString() }),
    "tgk.project": (a) => {
      const e = edgeArg(a.edge);
      const refs = edgeNodeRefs(e, edgeIdAsGiven(e), u64(a.logseq, "logseq"));
      return {
        refs: refs.map((r) => ({
          logseq: r.logseq.toString(),
          node_id: r.nodeId.toString(),
          tgk_edge_id: r.tgkEdgeId.toString(),
          position: r.position,
        })),
      };
    },
    "seg.encode": (a) => {
      const input = encoderInput(a.input);
      if (input.edges === undefined) return ref["seg.encode"](a);
      const byId = new Map<bigint, Edge>();
      try {
        for (const e of input.edges as readonly Edge[]) byId.set(edgeIdAsGiven(e), e);
      } catch {
        return ref["seg.encode"](a); // an invalid edge: the reference's error
      }
      return { bytes: encodeSegment({ ...input, edges: byId }) };
    },
  }),
);

const shardMixModN = defineMutant(
  {
    id: "blind-shard-mix-mod-n",
    description: "shard(key, N) is mix(key) mod N instead of floor((mix(key) >> 32) x N / 2^32) (DEC-024).",
    rules: ["ATXI-SHD-001"],
    capabilities: ["sharding"],
  },
  () => ({
    "shard.assign": (a) => {
      const n = u32(a.shards, "shards");
      if (n < 1) refuse("PROTO_BAD_REQUEST", "shards must be at least 1", { field: "shards" });
      return { shard: Number(fmix64(u64(a.key, "key")) % BigInt(n)) };
    },
  }),
);

export const edgeAndShardMutants: readonly Mutant[] = [edgeIdInputOrder, shardMixModN];
