// Every differential property of the suite, by capability, as checks (prop/<name>). A property failure is
// one Finding naming the rules of the observation that diverged, with the shrunk counterexample printed by
// fast-check's own stringifier, and the seed and path that replay it (`--seed S --fc-path P`). A transport
// fault ends the property as inconclusive (the implementation's state is lost with its process).
import fc from "fast-check";
import type { Check, CheckContext, CheckOutcome } from "../checks/types.ts";
import { contentIndexModel } from "./content-index.ts";
import { dagProperty } from "./dag.ts";
import { Divergence, latched, type PropertyEnv, PropertyFault } from "./differential.ts";
import { edgesAndShards } from "./edges.ts";
import { filtersProperty } from "./filters.ts";
import { independence } from "./independence.ts";
import { saveRegression } from "./regressions.ts";
import { segmentProperties } from "./segments.ts";
import { shardingInvisible } from "./sharding.ts";
import type { PropertySpec } from "./spec.ts";
import { storeModel } from "./store.ts";
import { structuralIndexProperty } from "./structural-index.ts";

export const PROPERTIES: readonly PropertySpec[] = [
  contentIndexModel,
  storeModel,
  ...segmentProperties,
  independence,
  shardingInvisible,
  filtersProperty,
  edgesAndShards,
  structuralIndexProperty,
  dagProperty,
];

async function runProperty(spec: PropertySpec, ctx: CheckContext): Promise<CheckOutcome> {
  const env: PropertyEnv = {
    declared: spec.rules,
    claimed: new Set(ctx.adapter.hello.capabilities),
    observed: new Set(),
    warnings: new Map(),
    ...(ctx.coverage ? { coverage: ctx.coverage } : {}),
  };
  const own = { ...ctx, adapter: latched(ctx.adapter, env) };
  const details = await fc.check(spec.property(own, env) as fc.IAsyncProperty<unknown>, {
    seed: ctx.seed,
    numRuns: ctx.runs,
    ...(ctx.fcPath ? { path: ctx.fcPath } : {}),
    endOnFailure: false,
  });
  const warnings = [...env.warnings.values()].map((w) => ({ ...w }));
  if (env.fault)
    return {
      findings: [],
      fault: {
        code: env.fault.code,
        message: `${env.fault.message} (the property was abandoned: a restarted implementation has lost its state)`,
      },
      complete: false,
      observed: [],
    };
  if (!details.failed)
    return { findings: warnings, notes: [`${details.numRuns} runs`], observed: [...env.observed] };
  const replay = ctx.replayCommand(
    `prop/${spec.name}`,
    `--seed ${details.seed} --fc-path "${details.counterexamplePath}"`,
  );
  const found = details.counterexample as unknown[] | null;
  const counterexample = found ? found.map((x) => fc.stringify(x)).join(", ") : undefined;
  const saved = found ? await saveRegression(ctx, spec, found, details.seed) : undefined;
  const context = `after ${details.numShrinks} shrinks; seed ${details.seed}, path ${details.counterexamplePath}${saved ? `; saved as a regression case: ${saved}` : ""}`;
  const e = details.errorInstance;
  const base = { context, replay, ...(counterexample !== undefined ? { counterexample } : {}) };
  if (e instanceof Divergence) {
    return {
      ...base,
      findings: [
        ...warnings,
        {
          message: e.message,
          ...(e.rules ? { rules: e.rules } : {}),
          ...(e.detail.field ? { field: e.detail.field } : {}),
          ...(e.detail.expected !== undefined ? { expected: e.detail.expected } : {}),
          ...(e.detail.actual !== undefined ? { actual: e.detail.actual } : {}),
        },
      ],
      observed: [...env.observed],
    };
  }
  if (e instanceof PropertyFault)
    return {
      ...base,
      findings: [],
      fault: { code: e.code, message: e.message },
      complete: false,
      observed: [],
    };
  throw new Error(
    `the property failed outside a comparison: ${e instanceof Error ? e.message : String(e)} (${context})`,
  );
}

export function propertyChecks(): Check[] {
  return PROPERTIES.map((spec) => ({
    id: `prop/${spec.name}`,
    title: spec.title,
    kind: "property" as const,
    rules: spec.rules,
    capabilities: spec.capabilities,
    run: (ctx: CheckContext) => runProperty(spec, ctx),
  }));
}
