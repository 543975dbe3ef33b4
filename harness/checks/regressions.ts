// Shrunk counterexamples as regression cases. `run --save-regressions DIR` replays a failing property's
// smallest counterexample once more with every operation recorded (arguments and the reference's answer),
// and writes it as a sequence case (schema: spec/schemas/vectors.schema.json#/$defs/regression). Copied
// into spec/regressions/, it becomes part of vectors/ at the next `vectors generate`, its expectations
// recomputed by the reference.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type fc from "fast-check";
import type { Capability } from "../../adapters/interface.ts";
import { type RecordedCall, setRecorder } from "./differential.ts";
import type { CheckContext } from "./types.ts";

export const REGRESSION_SCHEMA = "asl-conformance/regression/1";

export interface RegressionCase {
  schema: typeof REGRESSION_SCHEMA;
  property: string;
  seed: number;
  rules: string[];
  capabilities: Capability[];
  /** Operations in order; "reset" starts a fresh state. */
  calls: RecordedCall[];
}

export async function recordCalls(run: () => Promise<unknown>): Promise<RecordedCall[]> {
  const calls: RecordedCall[] = [];
  setRecorder((c) => calls.push(c));
  try {
    await run();
  } catch {
    // The counterexample fails by definition; what matters is what was recorded before it did.
  } finally {
    setRecorder(undefined);
  }
  return calls;
}

export async function saveRegression(
  ctx: CheckContext,
  spec: {
    name: string;
    rules: string[];
    capabilities: Capability[];
    property: (ctx: CheckContext) => unknown;
  },
  counterexample: unknown[],
  seed: number,
): Promise<string | undefined> {
  if (!ctx.saveRegressionsDir) return undefined;
  const prop = spec.property(ctx) as fc.IAsyncProperty<unknown[]>;
  const calls = await recordCalls(async () => {
    await ctx.adapter.reset();
    await ctx.reference.reset();
    await prop.run(counterexample as never);
  });
  const body: RegressionCase = {
    schema: REGRESSION_SCHEMA,
    property: spec.name,
    seed,
    rules: spec.rules,
    capabilities: spec.capabilities,
    calls,
  };
  mkdirSync(ctx.saveRegressionsDir, { recursive: true });
  const file = join(ctx.saveRegressionsDir, `${spec.name}-${seed >>> 0}.json`);
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
