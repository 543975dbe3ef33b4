// The conformance suite as a mutation killer (npm run adequacy): every check of the suite is one test,
// run against the reference engine of THIS tree (Stryker's sandbox, where the engine is mutated), with the
// harness, the vectors and the oracle taken from the pristine tree (ASL_PRISTINE_ROOT, the checkout
// Stryker copied from). A check that passes on the pristine engine and fails on a mutated one kills that
// mutant; per-test coverage runs each mutant against the checks that reach it only.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "vitest";
import { InProcessAdapter } from "../../adapters/in-process.ts";

const PRISTINE = process.env.ASL_PRISTINE_ROOT;
if (!PRISTINE) throw new Error("ASL_PRISTINE_ROOT is not set: run this through `npm run adequacy`");
const pristine = <T>(path: string): Promise<T> =>
  import(pathToFileURL(join(PRISTINE, path)).href) as Promise<T>;

const { loadSuite } = await pristine<typeof import("../../harness/suite.ts")>("harness/suite.ts");
const { runChecks } = await pristine<typeof import("../../harness/run.ts")>("harness/run.ts");
const oracle = await pristine<typeof import("../../adapters/reference/index.ts")>(
  "adapters/reference/index.ts",
);
const { InProcessAdapter: PristineAdapter } =
  await pristine<typeof import("../../adapters/in-process.ts")>("adapters/in-process.ts");

// The engine of this tree, imported here at the top (what a module runs while it loads is covered by every
// check: Stryker's static mutants) but with its failure caught: a mutant that throws while its module loads
// then fails every check, so it is killed, instead of failing this file before any test runs, which
// Stryker counts as no test failing (survived).
let engineError: unknown;
const engine = await import("../../adapters/reference/index.ts").catch((e: unknown) => {
  engineError = e;
  return undefined;
});

const suite = await loadSuite();
const SEED = Number(process.env.ASL_ADEQUACY_SEED ?? 20261122);
const RUNS = Number(process.env.ASL_ADEQUACY_RUNS ?? 40);

describe("the conformance suite against the engine of this tree", () => {
  // The crash checks are left out: they kill a served process, seconds per check and per mutant, and the
  // engine code they reach (the disk store's recovery) is what reference/store's own tests mutate.
  for (const check of suite.checks.filter((c) => c.kind !== "crash")) {
    it(check.id, async () => {
      if (!engine) throw new Error(`the engine of this tree does not load: ${String(engineError)}`);
      const adapter = new InProcessAdapter(engine.createReferenceImplementation());
      const reference = new PristineAdapter(oracle.createReferenceImplementation());
      try {
        const [o] = await runChecks({
          adapter,
          reference,
          checks: [check],
          seed: SEED,
          runs: RUNS,
          replayCommand: (id) => id,
        });
        if (!o) throw new Error("no record");
        if (o.fault) throw new Error(`fault ${o.fault.code}: ${o.fault.message.split("\n")[0]}`);
        if (o.findings.length > 0)
          throw new Error(`[${o.findings[0]!.rules.join(", ")}] ${o.findings[0]!.message.split("\n")[0]}`);
      } finally {
        await adapter.close();
        await reference.close();
      }
    });
  }
});
