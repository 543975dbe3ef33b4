// Properties of capability sharding (with segment-query for invisibility): records split over N shards by
// the implementation's own shard.assign answer every query exactly as one segment does (ENC-ASL-TGK-INDEX
// sections 9 and 12, DEC-024).
import fc from "fast-check";
import type { SegmentInput } from "../../adapters/interface.ts";
import { firstDifference } from "../observe.ts";
import { Divergence, faultOf, newPair, type Pair } from "./differential.ts";
import { EDGE_POOL, encode, inputFrom, queryArb, queryFrom, recordsArb } from "./inputs.ts";
import type { PropertySpec } from "./spec.ts";

const RULES = ["ATXI-SHD-001", "ATXI-SHD-002"];

/** Splits one input into `n` shard inputs by the implementation's own shard.assign (DEC-024). */
async function shardsOf(p: Pair, input: SegmentInput, n: number): Promise<SegmentInput[]> {
  const assign = async (key: string): Promise<number> => {
    const o = await p.impl.call("shard.assign", { key, shards: n });
    if ("error" in o) {
      if (o.fault) throw faultOf(p.env, o.error.code, `shard.assign: ${o.error.message}`);
      throw new Divergence(`shard.assign ${key} over ${n}: ${o.error.code}: ${o.error.message}`, [
        "ATXI-SHD-001",
      ]);
    }
    return o.ok.shard;
  };
  const parts = Array.from(
    { length: n },
    (_, i): SegmentInput => ({ ...input, segment_id: String(100 + i), asl_records: [], tgk_records: [] }),
  );
  for (const r of input.asl_records) parts[await assign(r.artifact_id)]?.asl_records.push(r);
  for (const r of input.tgk_records) parts[await assign(r.tgk_edge_id)]?.tgk_records.push(r);
  return parts;
}

export const shardingInvisible: PropertySpec = {
  name: "sharding-invisible",
  title:
    "records split over N shards by the implementation's own shard.assign answer every query as one segment does",
  rules: RULES,
  capabilities: ["sharding", "segment-query"],
  property: (ctx, env) =>
    fc.asyncProperty(
      recordsArb,
      fc.integer({ min: 1, max: 5 }),
      fc.array(queryArb(25), { minLength: 1, maxLength: 10 }),
      async (r, n, qs) => {
        const p = newPair(ctx.adapter, ctx.reference, env);
        const whole = { ...inputFrom(r, 1, 0), node_projections: true, edges: EDGE_POOL };
        const one = [encode(whole)];
        const shards = (await shardsOf(p, whole, n)).map(encode);
        const queries = qs.map(queryFrom);
        const a = await p.impl.call("seg.query", { segments: one, use_filters: true, queries });
        const b = await p.impl.call("seg.query", { segments: shards, use_filters: true, queries });
        for (const o of [a, b])
          if ("error" in o) {
            if (o.fault) throw faultOf(env, o.error.code, `seg.query: ${o.error.message}`);
            throw new Divergence(`seg.query: ${o.error.code}: ${o.error.message}`, RULES);
          }
        for (const rule of RULES) env.observed.add(rule);
        const d = firstDifference((a as { ok: unknown }).ok, (b as { ok: unknown }).ok);
        if (d)
          throw new Divergence(
            `over ${n} shards a query answers otherwise than over one segment, at ${d.path}`,
            ["ATXI-SHD-002"],
            {
              expected: d.expected,
              actual: d.actual,
              field: d.path,
            },
          );
      },
    ),
};
