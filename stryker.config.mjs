// Mutation testing of the reference engine: `npm run mutation` (slow: not part of CI).
// Reports go to reports/mutation/ (git-ignored), with the incremental file beside them, so a second
// run only re-tests the mutants in code or tests that changed.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "vitest",
  // "related: false": the tests to run are the ones named below, and per-test coverage narrows them
  // to those that reach each mutant.
  vitest: { configFile: "vitest.config.ts", related: false },
  testFiles: ["test/reference/**/*.test.ts"],
  // The core of the engine: the content index, the segment reader (records, projections, filter checks),
  // the routing filters and the query layer. All of reference/ (about 4,200 mutants, ~4 hours on 2 cores)
  // is `npm run mutation -- --mutate "reference/**/*.ts,!reference/**/index.ts"`.
  mutate: [
    "reference/content-index/**/*.ts",
    "reference/segment/reader.ts",
    "reference/segment/records.ts",
    "reference/segment/projections.ts",
    "reference/segment/filter-check.ts",
    "reference/filters/**/*.ts",
    "reference/query/**/*.ts",
    "!reference/**/index.ts",
  ],
  ignorePatterns: [".tmp", "out", "coverage", "__pycache__"],
  coverageAnalysis: "perTest",
  // Several test files build their fixtures at module level (generateSegmentVectors(), generateTraces()),
  // which reaches most of reference/ outside any test: Stryker calls the mutants it reaches there
  // "static", and without this option it would re-run every test for each of them (about 15 hours on
  // 2 cores). With it, a mutant that some test also reaches still runs against exactly those tests; one
  // reached only while modules load is reported "Ignored" and left out of the score.
  ignoreStatic: true,
  concurrency: 2,
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  timeoutMS: 10000,
  // Stryker rewrites the tsconfig's extends/references paths through the TypeScript JS API, which
  // TypeScript 7 (the native compiler) no longer has ("ts.parseConfigFileTextToJson is not a
  // function"). Our tsconfig.json has neither, so nothing needs rewriting: naming a file that does not
  // exist makes Stryker skip that step. Vitest still reads the real tsconfig.json in the sandbox.
  tsconfigFile: "stryker-skips-tsconfig-rewrite.json",
};
