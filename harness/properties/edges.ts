// Property of capabilities tgk-edges, node-projections and sharding: edge ids, node projections and shard
// assignment of random inputs agree with the reference (DEC-016, DEC-024, ENC-ASL-TGK-INDEX section 8).
import fc from "fast-check";
import { newPair, same } from "./differential.ts";
import { u64s } from "./filters.ts";
import type { PropertySpec } from "./spec.ts";

export const edgesAndShards: PropertySpec = {
  name: "edges-and-shards",
  title: "TGK edge ids, node projections and shard assignment of random inputs agree with the reference",
  rules: ["ATXI-INV-002", "ATXI-NPR-002", "ATXI-NPR-003", "ATXI-SHD-001"],
  capabilities: ["tgk-edges", "node-projections", "sharding"],
  property: (ctx, env) =>
    fc.asyncProperty(
      fc.record({
        from: fc.array(u64s, { maxLength: 4 }),
        to: fc.array(u64s, { maxLength: 4 }),
        edge_type: fc.option(fc.nat(9), { nil: null }),
      }),
      u64s,
      fc.integer({ min: 1, max: 64 }),
      async (edge, key, shards) => {
        const p = newPair(ctx.adapter, ctx.reference, env);
        await same(p, "tgk.edge_id", () => ({ edge }), { rules: ["ATXI-INV-002"] });
        await same(p, "tgk.project", () => ({ edge, logseq: key }), {
          rules: ["ATXI-NPR-002", "ATXI-NPR-003"],
        });
        await same(p, "shard.assign", () => ({ key, shards }), { rules: ["ATXI-SHD-001"] });
      },
    ),
};
