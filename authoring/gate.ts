// The spec gate (asl-conform check): what CI requires of any change to spec/ or vectors/. It fails,
// naming each problem, when a spec or vector file breaks its schema or a reference does not resolve; an
// id disappears or a retired id comes back (spec/ids-ledger.json remembers every id ever issued); a MUST
// or MUST NOT rule lacks a check that passes on the reference and a check that fails on some broken
// implementation (unless a written waiver says why); a check names a rule that does not exist; an error
// code has no vector expecting it (unless waived); the .ksy does not compile or disagrees with the
// reference; regenerating the vectors, the rules view or the checks lists changes anything; or a mutant
// survives (selftest).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InProcessAdapter } from "../adapters/in-process.ts";
import type { Implementation } from "../adapters/interface.ts";
import { createReferenceImplementation } from "../adapters/reference/index.ts";
import { readLedger } from "../catalog/ledger.ts";
import {
  CAPABILITIES,
  type Catalog,
  loadCatalog,
  SPEC_DIR,
  SpecError,
  type SpecProblem,
} from "../catalog/load.ts";
import type { Launch } from "../harness/checks/types.ts";
import { serveCommand } from "../harness/durability/index.ts";
import { DEFAULT_RUNS, runAndJudge } from "../harness/run.ts";
import { loadSuite, type Suite } from "../harness/suite.ts";
import type { Judgement } from "../harness/verdict.ts";
import { machineKills } from "./adequacy.ts";
import { syncGenerated } from "./codegen.ts";
import { kaitaiCrossCheck } from "./kaitai/crosscheck.ts";
import { ledgerProblems } from "./ledger.ts";
import { syncRuleChecks } from "./rules-sync.ts";
import { rulesMarkdown } from "./rules-view.ts";
import { runSelftest, type SelftestResult } from "./selftest.ts";
import { VECTORS_DIR, verifyVectors } from "./vectors-files.ts";

export interface GateProblem {
  area: string;
  message: string;
}

/** Codes some vector expects: malformed segments, sets, units, and trace steps. */
export function codesExpectedByVectors(dir = VECTORS_DIR): Set<string> {
  const codes = new Set<string>();
  const walk = (v: unknown, key = ""): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (typeof v === "string" && (key === "error" || key === "code") && /^[A-Z][A-Z0-9_]+$/.test(v))
      codes.add(v);
  };
  const files = [
    "segments/manifest.json",
    "sets/manifest.json",
    "units/manifest.json",
    ...readdirSync(join(dir, "traces")).map((f) => `traces/${f}`),
  ];
  for (const f of files) walk(JSON.parse(readFileSync(join(dir, f), "utf8")));
  return codes;
}

/** Implementations that do nothing right: every check must fail against at least one (a check that cannot fail is no check). */
export function degenerateImplementations(): Implementation[] {
  const info = (name: string) => ({ name, version: "0", language: "none" });
  return [
    {
      info: info("degenerate-refuses-everything"),
      capabilities: [...CAPABILITIES],
      reset() {},
      handle: () => {
        throw { code: "INTERNAL", message: "refused" };
      },
    },
    {
      info: info("degenerate-answers-nothing"),
      capabilities: [...CAPABILITIES],
      reset() {},
      handle: () => ({}) as never,
    },
  ];
}

async function suiteRun(
  impl: Implementation,
  suite: Suite,
  catalog: Catalog,
  seed: number,
  runs: number,
  launch?: Launch,
): Promise<Judgement> {
  const adapter = new InProcessAdapter(impl);
  const reference = new InProcessAdapter(createReferenceImplementation());
  try {
    return await runAndJudge({
      adapter,
      reference,
      checks: suite.checks,
      rules: catalog.rules,
      seed,
      runs,
      ...(launch ? { launch } : {}),
      replayCommand: (id) => `npx asl-conform run --check ${id}`,
    });
  } finally {
    await adapter.close();
    await reference.close();
  }
}

export interface GateOptions {
  seed: number;
  runs: number;
  python: boolean;
  /** Another tree to check (holding spec/ and vectors/), e.g. a pull request's checkout; default this one. */
  root?: string;
  /** Leave the mutant zoo out (tests of broken trees; CI always runs it). */
  skipSelftest?: boolean;
  onStep?: (step: string) => void;
}

export interface GateResult {
  problems: GateProblem[];
  /** What the gate reports without failing: MUST rules that only one check has ever failed (thin). */
  warnings: string[];
  selftest?: SelftestResult;
  mustRules: number;
}

export async function runGate(opts: GateOptions): Promise<GateResult> {
  const problems: GateProblem[] = [];
  const step = (s: string) => opts.onStep?.(s);
  const specDir = opts.root ? join(opts.root, "spec") : SPEC_DIR;
  const vectorsDir = opts.root ? join(opts.root, "vectors") : VECTORS_DIR;
  step("spec files, schemas and references");
  let catalog: Catalog;
  try {
    catalog = loadCatalog(specDir);
  } catch (e) {
    if (e instanceof SpecError)
      return {
        problems: e.problems.map((p) => ({
          area: "spec",
          message: `${p.file}${p.line ? `:${p.line}` : ""}${p.path ? ` at ${p.path}` : ""}: ${p.message}`,
        })),
        mustRules: 0,
        warnings: [],
      };
    throw e;
  }
  const suite = await loadSuite(vectorsDir);
  const ledgerRead: SpecProblem[] = [];
  const ledger = readLedger(ledgerRead, join(specDir, "ids-ledger.json"));
  problems.push(...ledgerRead.map((p) => ({ area: "ids", message: `${p.file} at ${p.path}: ${p.message}` })));
  if (!ledger && ledgerRead.length === 0)
    problems.push({
      area: "ids",
      message: "spec/ids-ledger.json is missing: create it with `asl-conform check --update-ledger`",
    });
  if (ledger)
    problems.push(
      ...ledgerProblems(
        catalog,
        suite.checks.map((c) => c.id),
        ledger,
      ),
    );

  step("vectors: hashes, schemas, regeneration");
  problems.push(
    ...(await verifyVectors(vectorsDir)).map((p) => ({
      area: "vectors",
      message: `${p.file}: ${p.message}`,
    })),
  );
  step("generated views");
  if (readFileSync(join(specDir, "RULES.md"), "utf8") !== rulesMarkdown(catalog))
    problems.push({ area: "views", message: "spec/RULES.md is stale: run `npm run rules:view`" });
  if (!opts.root)
    for (const f of syncGenerated(catalog, false))
      problems.push({
        area: "views",
        message: `${f} is stale (it is made from spec/errors.yaml): run \`npm run rules:sync\``,
      });
  const stale = await syncRuleChecks(false, specDir, vectorsDir);
  if (stale.length)
    problems.push({
      area: "views",
      message: `the checks lists of ${stale.length} rules are stale (${stale.slice(0, 5).join(", ")}${stale.length > 5 ? ", ..." : ""}): run \`npm run rules:sync\``,
    });

  step("checks name existing rules; error codes have vectors");
  const known = new Set(catalog.rules.map((r) => r.id));
  for (const c of suite.checks)
    for (const r of c.rules)
      if (!known.has(r))
        problems.push({ area: "checks", message: `check ${c.id} names rule ${r}, which does not exist` });
  const expected = codesExpectedByVectors(vectorsDir);
  for (const e of catalog.errors) {
    if (!expected.has(e.code) && !e.vector_waiver)
      problems.push({
        area: "errors",
        message: `error code ${e.code} has no vector that expects it (add one, or a vector_waiver saying why not)`,
      });
  }

  step("the .ksy compiles and agrees with the reference on every vector");
  try {
    const k = await kaitaiCrossCheck(vectorsDir);
    problems.push(...k.problems.map((p) => ({ area: "kaitai", message: `${p.file}: ${p.message}` })));
  } catch (e) {
    problems.push({
      area: "kaitai",
      message: `the .ksy does not compile or run: ${(e as Error).message.split("\n")[0]}`,
    });
  }

  step("selftest: the zoo of broken implementations, and the correct ones");
  const selftest = opts.skipSelftest
    ? undefined
    : await runSelftest({
        seed: opts.seed,
        runs: opts.runs,
        python: opts.python,
        machineKills: machineKills(),
      });
  const warnings = Object.entries(selftest?.kills_by_rule ?? {})
    .filter(([, ids]) => ids.length === 1)
    .map(
      ([id, [check]]) =>
        `MUST rule ${id} is failed by one check only (${check}) across the zoo and the machine-made mutants: add a second, independent check`,
    );
  for (const r of selftest?.rows ?? []) {
    if (r.verdict === "survived")
      problems.push({
        area: "selftest",
        message: `mutant ${r.id} survived: no check fails it (${r.description})`,
      });
    if (r.verdict === "wrong-rules")
      problems.push({
        area: "selftest",
        message: `mutant ${r.id} is caught only by checks of other rules than it declares (${r.rules.join(", ")}): ${r.other_failures.slice(0, 3).join(", ")}`,
      });
    if (r.verdict === "false-rejection")
      problems.push({
        area: "selftest",
        message: `the correct implementation ${r.id} fails: ${r.killed_by.slice(0, 3).join(", ")}`,
      });
  }

  step("every MUST rule has a check that passes and one that fails");
  // The crash checks kill a process: the reference is served as one (`asl-conform serve`).
  // The reference is the oracle of its own properties, so more runs cannot make one of its checks fail;
  // the default budget keeps the crash checks (a quarter of the runs, each a restart) to their default.
  const reference = await suiteRun(
    createReferenceImplementation(),
    suite,
    catalog,
    opts.seed,
    Math.min(opts.runs, DEFAULT_RUNS),
    { command: serveCommand() },
  );
  const passing = new Set(reference.rules.filter((r) => r.verdict === "pass").map((r) => r.id));
  const canFail = new Set<string>();
  for (const row of (selftest?.rows ?? []).filter((x) => x.kind === "mutant"))
    for (const r of row.failed_rules) canFail.add(r);
  for (const impl of degenerateImplementations()) {
    const run = await suiteRun(impl, suite, catalog, opts.seed, Math.min(opts.runs, 5));
    for (const c of run.checks) for (const f of c.findings) for (const r of f.rules) canFail.add(r);
    const vacuous = run.checks.filter((c) => c.verdict === "pass").map((c) => c.id);
    if (impl.info.name === "degenerate-refuses-everything") {
      for (const id of vacuous)
        problems.push({
          area: "checks",
          message: `check ${id} passes against an implementation that refuses every request: it cannot fail`,
        });
    }
  }
  const must = catalog.rules.filter((r) => !r.retired && (r.level === "MUST" || r.level === "MUST NOT"));
  for (const r of must) {
    if (r.waiver) continue;
    const suiteChecks = r.checks.filter((c) => !c.startsWith("test:"));
    if (suiteChecks.length === 0)
      problems.push({
        area: "coverage",
        message: `${r.level} rule ${r.id} has no check of the suite (only project tests): add one, or a waiver saying why`,
      });
    else if (!passing.has(r.id))
      problems.push({
        area: "coverage",
        message: `${r.level} rule ${r.id} has no check that passes on the reference`,
      });
    else if (!canFail.has(r.id) && selftest)
      problems.push({
        area: "coverage",
        message: `${r.level} rule ${r.id} has no check that fails on any broken implementation: add a mutant or a vector that shows it can`,
      });
    // Without the zoo, only the degenerate implementations can show a check failing; a rule that only
    // the zoo's mutants fail (the crash checks: a mutant must write a torn record) is not shown here.
    else if (!canFail.has(r.id))
      warnings.push(
        `${r.level} rule ${r.id}: no degenerate implementation fails its checks, and the zoo was skipped (--skip-selftest); the full gate shows whether a mutant does`,
      );
  }
  return { problems, warnings, ...(selftest ? { selftest } : {}), mustRules: must.length };
}
