// The conformance suite as a mutation killer (npm run adequacy): one test per check of the suite and per
// pass, each judging the engine of this tree (where Stryker switches its mutants on) against the pristine
// oracle. What a test does is in ./plan.ts: this file only lists them, and is kept as it is, because
// Stryker's incremental mode re-tests every mutant when a test file's text changes.
import { describe, it } from "vitest";
import { adequacyPlan } from "./plan.ts";

for (const { pass, tests } of adequacyPlan())
  describe(pass, () => {
    for (const t of tests)
      if (t.skip) it.skip(`${t.name} (${t.skip})`, () => {});
      else it(t.name, t.run, t.timeoutMs);
  });
