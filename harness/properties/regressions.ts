// Shrunk counterexamples as regression cases. `run --save-regressions DIR` replays a failing property's
// smallest counterexample once more with every reference operation recorded (harness/traces/record.ts:
// SnapshotIDs become references to states), and writes it as a sequence case (schema:
// spec/schemas/vectors.schema.json#/$defs/regression). Copied into spec/regressions/, it becomes part of
// vectors/ at the next `vectors generate`, its expectations recomputed by the reference.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type fc from "fast-check";
import type { CheckContext } from "../checks/types.ts";
import { StepRecorder } from "../traces/record.ts";
import type { Regression } from "../vectors/read.ts";
import type { PropertyEnv } from "./differential.ts";
import type { PropertySpec } from "./spec.ts";

export const REGRESSION_SCHEMA = "asl-conformance/regression/2";

export async function saveRegression(
  ctx: CheckContext,
  spec: PropertySpec,
  counterexample: unknown[],
  seed: number,
): Promise<string | undefined> {
  if (!ctx.saveRegressionsDir) return undefined;
  const recorder = new StepRecorder({ derivedIds: false });
  const env: PropertyEnv = {
    declared: spec.rules,
    claimed: new Set(ctx.adapter.hello.capabilities),
    observed: new Set(),
    warnings: new Map(),
    recorder,
  };
  const prop = spec.property(ctx, env) as fc.IAsyncProperty<unknown[]>;
  await ctx.adapter.reset();
  await ctx.reference.reset();
  try {
    await prop.run(counterexample as never);
  } catch {
    // The counterexample fails by definition; what matters is what was recorded before it did.
  }
  const body: Regression = {
    schema: REGRESSION_SCHEMA,
    property: spec.name,
    seed,
    rules: spec.rules,
    capabilities: spec.capabilities,
    steps: recorder.steps,
  };
  mkdirSync(ctx.saveRegressionsDir, { recursive: true });
  const file = join(ctx.saveRegressionsDir, `${spec.name}-${seed >>> 0}.json`);
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
