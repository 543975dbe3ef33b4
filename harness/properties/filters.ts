// Property of capabilities filter-bloom and filter-xor: random key sets build the reference's payload, and
// every member probes as possibly present (no false negatives: ENC-ASL-TGK-INDEX sections 5 and 12,
// DEC-009, DEC-010).
import fc from "fast-check";
import { newPair, same } from "./differential.ts";
import type { PropertySpec } from "./spec.ts";

export const u64s = fc
  .oneof(fc.bigInt({ min: 0n, max: 40n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }))
  .map(String);
const RULES = ["ATXI-FLT-002", "ATXI-FLT-004", "ATXI-FLT-005", "ATXI-FLT-007", "ATXI-FLT-008"];

export const filtersProperty: PropertySpec = {
  name: "filters",
  title:
    "filters: random key sets build the reference's payload, and every member probes as possibly present",
  rules: RULES,
  capabilities: ["filter-bloom", "filter-xor"],
  property: (ctx, env) =>
    fc.asyncProperty(
      fc.constantFrom("bloom", "xor8"),
      fc.array(u64s, { maxLength: 60 }),
      async (kind, keys) => {
        const p = newPair(ctx.adapter, ctx.reference, env);
        const built = await same(p, "filter.build", () => ({ kind: kind as "bloom" | "xor8", keys }), {
          rules: RULES,
        });
        if (!("ok" in built.ref)) return;
        const payload = (built.ref.ok as { payload: Uint8Array }).payload;
        await same(p, "filter.probe", () => ({ kind: kind as "bloom" | "xor8", payload, keys }), {
          rules: RULES,
        });
      },
    ),
};
