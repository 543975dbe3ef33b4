// Suite adequacy (npm run adequacy): Stryker mutates the reference engine, and the CONFORMANCE SUITE, not
// the unit tests, decides which mutants it kills. The test runner is vitest with vitest.adequacy.config.ts:
// test/adequacy/suite.adequacy.ts runs each check of the suite (one test per check) against the mutated
// engine of Stryker's sandbox, with the harness, the vectors and the oracle taken from this checkout,
// which stays pristine. `npm run adequacy -- --incremental` re-tests only what changed since the last run
// (reports/adequacy/stryker-incremental.json); authoring/adequacy.ts turns Stryker's report into the
// committed adequacy/report.json and adequacy/report.md, with the triage of every survivor.
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

process.env.ASL_PRISTINE_ROOT = dirname(fileURLToPath(import.meta.url));
// Scratch stores on memory when there is such a folder: fsync is most of a store check's time.
process.env.TMPDIR ??= "/dev/shm";

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "vitest",
  vitest: { configFile: "vitest.adequacy.config.ts", related: false },
  // The folders of the engine the suite can reach through the protocol. Left out, as reached by no
  // operation of the protocol: reference/segment/inspect.ts (the `inspect` command's view) and
  // reference/store/repair.ts (`asl-conform store check|repair`, tested by test/reference/store-damage).
  mutate: [
    "reference/segment/**/*.ts",
    "!reference/segment/inspect.ts",
    "!reference/store/repair.ts",
    "reference/filters/**/*.ts",
    "reference/query/**/*.ts",
    "reference/content-index/**/*.ts",
    "reference/store/**/*.ts",
    "reference/structural-index/**/*.ts",
    "reference/materialization-cache/**/*.ts",
    "reference/tgk/**/*.ts",
    "!reference/**/index.ts",
  ],
  ignorePatterns: [
    "/.tmp",
    "/out",
    "coverage",
    "__pycache__",
    "/reports",
    "/adequacy",
    "/vectors",
    ".stryker-tmp",
  ],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 20_000,
  disableTypeChecks: true,
  // TypeScript 7 (the native compiler) lacks the JS API Stryker uses to rewrite the tsconfig; our tsconfig
  // needs no rewrite, and naming a file that does not exist makes Stryker skip the step (see
  // stryker.config.mjs).
  tsconfigFile: "stryker-skips-tsconfig-rewrite.json",
  reporters: ["json", "progress"],
  jsonReporter: { fileName: "reports/adequacy/mutation.json" },
  incrementalFile: "reports/adequacy/stryker-incremental.json",
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
