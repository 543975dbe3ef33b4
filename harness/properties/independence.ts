// Property of the dependency direction (ASL/INDEXES/1 section 3): the content index answers alike whatever
// is registered in the structural index or done to the materialization cache.
import fc from "fast-check";
import { ciCommands } from "./content-index.ts";
import { same } from "./differential.ts";
import { command, modelProperty } from "./model.ts";
import type { PropertySpec } from "./spec.ts";

const RULES = ["IDX-DEP-001", "IDX-DEP-003", "IDX-SI-004", "IDX-MC-002"];
const LITERALS = ["", "00", "abcd", "ff00ff"];

export const independence: PropertySpec = {
  name: "independence",
  title:
    "the content index answers alike whatever is registered in the structural index or done to the cache",
  rules: RULES,
  capabilities: ["content-index", "structural-index", "materialization-cache"],
  property: modelProperty(
    (env) => [
      ...ciCommands(env.claimed),
      fc.constantFrom(...LITERALS).map((hex) =>
        command(
          async (p) =>
            void (await same(
              p,
              "si.register",
              () => ({ node: { op: "literal", params: { hex }, inputs: [] } }),
              {
                rules: RULES,
              },
            )),
          `si.register(literal ${hex})`,
        ),
      ),
      fc.constant(
        command(async (p) => void (await same(p, "mc.drop", () => ({}), { rules: RULES })), "mc.drop()"),
      ),
      fc.constant(
        command(
          async (p) => void (await same(p, "mc.recompute", () => ({ at: null }), { rules: RULES })),
          "mc.recompute()",
        ),
      ),
    ],
    40,
  ),
};
