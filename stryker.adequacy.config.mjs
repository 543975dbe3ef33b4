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

/**
 * Files of the engine's folders that no operation of the protocol reaches, so the conformance suite cannot
 * judge their mutants: left out of the mutation, and listed with these reasons in adequacy/report.*. Each
 * has its own unit tests and properties (named in the reason). A file belongs here only when the reference
 * adapter (adapters/reference) never calls into it.
 */
export const LEFT_OUT = [
  {
    file: "reference/segment/inspect.ts",
    reason:
      "the `inspect` command's view of a segment; tested by test/reference/segment/codec.test.ts (inspect)",
  },
  {
    file: "reference/store/repair.ts",
    reason:
      "`asl-conform store check|repair`, run on a store's files, not through the protocol; tested by test/reference/store-damage.test.ts and tools/crashtest.ts",
  },
  {
    file: "reference/segment/file.ts",
    reason:
      "DiskSegment (segments read from files on demand, issue 15): the reference adapter answers segment requests from the bytes the request carries; tested by test/reference/segment/file.test.ts and the routing properties (query-routing.test.ts)",
  },
  {
    file: "reference/segment/file-writer.ts",
    reason:
      "the streamed segment-file writer (issue 15); no request writes a file; tested by test/reference/segment/file.test.ts (its bytes equal encodeSegment's)",
  },
  {
    file: "reference/segment/file-verify.ts",
    reason:
      "verify of a segment file by streaming (issue 15); the protocol's verify takes bytes; tested by test/reference/segment/file.test.ts (every malformed vector through both readers)",
  },
  {
    file: "reference/query/compact.ts",
    reason:
      "compaction of a segment set into one file (DEC-039, issue 15); no request compacts; tested by test/reference/segment/compact.test.ts (answers at every retained snapshot before and after)",
  },
];

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "vitest",
  vitest: { configFile: "vitest.adequacy.config.ts", related: false },
  // The folders of the engine the suite can reach through the protocol, less LEFT_OUT (exclusions come
  // last: Stryker applies the patterns in order, so an exclusion before an include would be undone).
  mutate: [
    "reference/segment/**/*.ts",
    "reference/filters/**/*.ts",
    "reference/query/**/*.ts",
    "reference/content-index/**/*.ts",
    "reference/store/**/*.ts",
    "reference/structural-index/**/*.ts",
    "reference/materialization-cache/**/*.ts",
    "reference/tgk/**/*.ts",
    "!reference/**/index.ts",
    ...LEFT_OUT.map((l) => `!${l.file}`),
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
