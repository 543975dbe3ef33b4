// What each command is, in one place: its registration (cli/<command>.ts) and the entry point's command
// list (cli/main.ts, which loads a command's module only when that command runs) both read it here.
export const DESCRIPTIONS = {
  run: "run the conformance suite against an implementation (default: the reference engine)",
  rules: "print the rule catalog (id, level, source, capability, number of checks)",
  inspect: "show a segment file's structure with byte offsets, and its first defect if it has one",
  diff: "the impact of a spec change: rules and vectors added, changed, retired; implementations that would newly fail",
  check:
    "the spec gate: schemas, ids, rule coverage, error-code vectors, the .ksy, fresh vectors and views, the mutant zoo",
  report: "work with report.json files",
  compare:
    "what changed between two runs (report.json files or folders of them): new failures, fixes, inconclusive checks",
  serve: "serve the reference engine (or --adapter MODULE) over the process protocol on stdin/stdout",
  selftest:
    "run the suite against every mutant (each must be rejected by a check naming a rule it breaks) and against the correct implementations (each must conform)",
  adequacy:
    "mutate the reference engine (Stryker) and let the conformance suite kill the mutants; writes adequacy/report.json and report.md",
  vectors: "generate or verify the golden vectors (vectors/)",
  store: "the reference disk store: check its files, or repair them as DEC-038 says",
  site: "a static results site from report.json files: the rules x implementations matrix, a page per implementation and per rule, badges",
  release:
    "write the suite's data (spec/, vectors/, a manifest) as a reproducible asl-conformance-vectors-<contract version>.tar.gz",
} as const;

export type CommandName = keyof typeof DESCRIPTIONS;

/** How a command is shown in the list of commands (its arguments). */
export const USAGE: Partial<Record<CommandName, string>> = {
  inspect: "inspect <file>",
  diff: "diff <base>",
  site: "site <reports...>",
  compare: "compare <base> <head>",
};
