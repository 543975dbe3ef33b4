// Suite adequacy (npm run adequacy): what the CONFORMANCE SUITE kills of the machine-made mutants of the
// engine. Stryker (stryker.adequacy.config.mjs) writes its report; this module joins it with the triage of
// the mutants the suite does not kill (adequacy/triage.yaml: each one equivalent through the protocol, or
// in code no operation of the protocol reaches, with the reason) and with the suite's checks (which rules
// the killing checks name), and writes the committed adequacy/report.json and adequacy/report.md.
// Deterministic: no timestamps; mutants are identified by file, mutator, the code they replace and the
// replacement, never by Stryker's run-local ids or by line numbers alone.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readValidated, SpecError, type SpecProblem } from "../catalog/load.ts";
import { REPO_ROOT } from "../catalog/paths.ts";
import { loadSuite } from "../harness/suite.ts";

export const ADEQUACY_DIR = join(REPO_ROOT, "adequacy");
export const STRYKER_REPORT = join(REPO_ROOT, "reports/adequacy/mutation.json");
/** One triage file per folder of the engine (adequacy/triage/<folder>.yaml), so folders are triaged apart. */
export const TRIAGE_DIR = join(ADEQUACY_DIR, "triage");
export const TARGET = 0.95;

interface StrykerMutant {
  id: string;
  mutatorName: string;
  replacement: string;
  status:
    | "Killed"
    | "Survived"
    | "NoCoverage"
    | "Timeout"
    | "CompileError"
    | "RuntimeError"
    | "Ignored"
    | "Pending";
  static?: boolean;
  killedBy?: string[];
  coveredBy?: string[];
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

interface StrykerReport {
  files: Record<string, { source: string; mutants: StrykerMutant[] }>;
  testFiles?: Record<string, { tests: { id: string; name: string }[] }>;
}

export interface TriageEntry {
  file: string;
  mutator: string;
  original: string;
  replacement: string;
  verdict: "equivalent" | "unreachable" | "too-costly";
  reason: string;
  /**
   * The whole source line the mutant starts on, white space folded: only when the same mutant text stands
   * on several lines of the file and they need different verdicts. An entry with it wins over one without.
   */
  in_line?: string;
}

/**
 * too-costly: the suite could kill it through the protocol, but only with an input past what a run can
 * afford (2^31 entries, say); triaged with that size, and counted as NOT killed in the score.
 */
export type Outcome =
  | "killed"
  | "survived"
  | "no-coverage"
  | "too-costly"
  | "equivalent"
  | "unreachable"
  | "error";

export interface MutantRow {
  file: string;
  line: number;
  mutator: string;
  original: string;
  replacement: string;
  outcome: Outcome;
  reason?: string;
  /** The checks that killed it (for killed mutants). */
  killed_by?: string[];
}

export interface FolderRow {
  folder: string;
  mutants: number;
  killed: number;
  survived: number;
  no_coverage: number;
  equivalent: number;
  unreachable: number;
  /** Triaged as killable only past what a run can afford: counted as not killed. */
  too_costly: number;
  errors: number;
  /** killed / (mutants - equivalent - unreachable - errors): a too-costly mutant counts against it. */
  score: number;
}

export interface AdequacyReport {
  schema: "asl-conformance/adequacy/1";
  target: number;
  totals: FolderRow;
  folders: FolderRow[];
  /** Per rule: how many mutants a check naming it killed. */
  rules: Record<string, number>;
  /** Per rule: the distinct checks naming it that killed at least one mutant. */
  checks_by_rule: Record<string, string[]>;
  /** Every mutant the suite did not kill, and what it is. */
  not_killed: MutantRow[];
  /** Files of the engine's folders left out of the mutation (no protocol operation reaches them), and why. */
  left_out: LeftOut[];
}

/** A file left out of the mutation (stryker.adequacy.config.mjs, LEFT_OUT). */
export interface LeftOut {
  file: string;
  reason: string;
}

/** The files left out of the mutation, as the committed configuration lists them. */
export async function leftOutFiles(): Promise<LeftOut[]> {
  const config = (await import(pathToFileURL(join(REPO_ROOT, "stryker.adequacy.config.mjs")).href)) as {
    LEFT_OUT: LeftOut[];
  };
  return [...config.LEFT_OUT].sort((a, b) => (a.file < b.file ? -1 : 1));
}

function snippet(source: string, m: StrykerMutant): string {
  const lines = source.split("\n");
  const { start, end } = m.location;
  const text =
    start.line === end.line
      ? lines[start.line - 1]!.slice(start.column - 1, end.column - 1)
      : [
          lines[start.line - 1]!.slice(start.column - 1),
          ...lines.slice(start.line, end.line - 1),
          lines[end.line - 1]!.slice(0, end.column - 1),
        ].join("\n");
  return fold(text);
}

/** The triage files (schema spec/schemas/adequacy-triage.schema.json), in name order; none is an empty triage. */
export function readTriage(dir = TRIAGE_DIR): TriageEntry[] {
  if (!existsSync(dir)) return [];
  const problems: SpecProblem[] = [];
  const out: TriageEntry[] = [];
  const seen = new Map<string, string>();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".yaml"))
    .sort()) {
    const file = join(dir, name);
    const data = readValidated<{ mutants: TriageEntry[] }>(file, "adequacy-triage.schema.json", problems);
    for (const t of data?.mutants ?? []) {
      const k = key(t.file, t.mutator, t.original, t.replacement, t.in_line);
      const other = seen.get(k);
      if (other)
        problems.push({
          file: `adequacy/triage/${name}`,
          path: "/mutants",
          message: `the mutant ${t.mutator} \`${t.original}\` -> \`${t.replacement}\` of ${t.file}${t.in_line === undefined ? "" : ` in the line \`${t.in_line}\``} is triaged twice (also in ${other})`,
        });
      seen.set(k, `adequacy/triage/${name}`);
      out.push(t);
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
  return out;
}

const fold = (text: string) => text.replace(/\s+/g, " ").trim();
const key = (file: string, mutator: string, original: string, replacement: string, inLine?: string) =>
  JSON.stringify([
    file,
    mutator,
    fold(original),
    fold(replacement),
    inLine === undefined ? null : fold(inLine),
  ]);

/** The check id of a test named "<describe> <check id>" in test/adequacy/suite.adequacy.ts. */
function checkIdOf(name: string): string {
  const m = /(?:^|\s)((?:vec|trace|prop|crash)\/\S+)$/.exec(name);
  return m ? m[1]! : name;
}

export function adequacyReport(
  stryker: StrykerReport,
  triage: TriageEntry[],
  rulesOfCheck: (checkId: string) => readonly string[],
  leftOut: readonly LeftOut[] = [],
): AdequacyReport {
  const skipped = new Set(leftOut.map((l) => l.file));
  const triaged = new Map(
    triage.map((t) => [key(t.file, t.mutator, t.original, t.replacement, t.in_line), t]),
  );
  const testName = new Map<string, string>();
  for (const f of Object.values(stryker.testFiles ?? {}))
    for (const t of f.tests) testName.set(t.id, checkIdOf(t.name));
  const rows: MutantRow[] = [];
  const rules: Record<string, number> = {};
  const checksByRule: Record<string, Set<string>> = {};
  for (const [file, f] of Object.entries(stryker.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    // A Stryker report from before a file was left out still holds its mutants: they are not counted.
    if (skipped.has(file)) continue;
    const lines = f.source.split("\n");
    for (const m of [...f.mutants].sort(
      (a, b) =>
        a.location.start.line - b.location.start.line ||
        a.location.start.column - b.location.start.column ||
        (a.mutatorName < b.mutatorName ? -1 : a.mutatorName > b.mutatorName ? 1 : 0) ||
        (a.replacement < b.replacement ? -1 : a.replacement > b.replacement ? 1 : 0),
    )) {
      const original = snippet(f.source, m);
      const base = {
        file,
        line: m.location.start.line,
        mutator: m.mutatorName,
        original,
        replacement: fold(m.replacement),
      };
      const line = lines[m.location.start.line - 1] ?? "";
      const t =
        triaged.get(key(file, m.mutatorName, original, m.replacement, line)) ??
        triaged.get(key(file, m.mutatorName, original, m.replacement));
      let row: MutantRow;
      if (m.status === "Killed" || m.status === "Timeout") {
        const by = [...new Set((m.killedBy ?? []).map((id) => testName.get(id) ?? id))].sort();
        for (const r of new Set(by.flatMap((c) => rulesOfCheck(c)))) rules[r] = (rules[r] ?? 0) + 1;
        for (const c of by) for (const r of rulesOfCheck(c)) addTo(checksByRule, r, c);
        row = { ...base, outcome: "killed", killed_by: by };
      } else if (m.status === "Survived" || m.status === "NoCoverage") {
        row = t
          ? { ...base, outcome: t.verdict, reason: t.reason }
          : { ...base, outcome: m.status === "Survived" ? "survived" : "no-coverage" };
      } else row = { ...base, outcome: "error", reason: m.status };
      rows.push(row);
    }
  }
  const folderOf = (file: string) => file.split("/").slice(0, 2).join("/");
  const tally = (folder: string, list: MutantRow[]): FolderRow => {
    const n = (o: Outcome) => list.filter((r) => r.outcome === o).length;
    const denominator = list.length - n("equivalent") - n("unreachable") - n("error");
    return {
      folder,
      mutants: list.length,
      killed: n("killed"),
      survived: n("survived"),
      no_coverage: n("no-coverage"),
      equivalent: n("equivalent"),
      unreachable: n("unreachable"),
      too_costly: n("too-costly"),
      errors: n("error"),
      score: denominator === 0 ? 1 : Math.round((n("killed") / denominator) * 10_000) / 10_000,
    };
  };
  const folders = [...new Set(rows.map((r) => folderOf(r.file)))].sort().map((f) =>
    tally(
      f,
      rows.filter((r) => folderOf(r.file) === f),
    ),
  );
  return {
    schema: "asl-conformance/adequacy/1",
    target: TARGET,
    totals: tally("(all)", rows),
    folders,
    rules: Object.fromEntries(Object.entries(rules).sort(([a], [b]) => (a < b ? -1 : 1))),
    checks_by_rule: Object.fromEntries(
      Object.entries(checksByRule)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, [...v].sort()]),
    ),
    not_killed: rows.filter((r) => r.outcome !== "killed"),
    left_out: [...leftOut],
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

export function adequacyMarkdown(r: AdequacyReport): string {
  const out = [
    "# Suite adequacy: what the conformance suite kills of the engine's machine-made mutants",
    "",
    "Generated by `npm run adequacy` (Stryker mutates reference/; the conformance suite, run against the mutated engine with the pristine harness, vectors and oracle, decides). Do not edit: change adequacy/triage.yaml and rerun.",
    "",
    `Target: at least ${pct(r.target)} of the mutants that are neither equivalent nor unreachable through the protocol, in every folder.`,
    "",
    "| folder | mutants | killed | survived | no coverage | too costly | equivalent | unreachable | errors | score |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...[...r.folders, r.totals].map(
      (f) =>
        `| ${f.folder} | ${f.mutants} | ${f.killed} | ${f.survived} | ${f.no_coverage} | ${f.too_costly} | ${f.equivalent} | ${f.unreachable} | ${f.errors} | ${pct(f.score)}${f.score < r.target ? " (below target)" : ""} |`,
    ),
    "",
    "## Files left out of the mutation",
    "",
    "No operation of the protocol reaches these files, so the conformance suite cannot judge their mutants; each has its own tests (stryker.adequacy.config.mjs, LEFT_OUT).",
    "",
    "| file | why, and what tests it |",
    "|---|---|",
    ...r.left_out.map((l) => `| ${l.file} | ${l.reason.replace(/\|/g, "\\|")} |`),
    "",
    "## Mutants the suite does not kill",
    "",
    "`equivalent`: no request of the protocol can tell the mutant from the engine (the reason says why). `unreachable`: the code is behind no operation of the protocol, or matters only for an input no operation, crash or power cut can make. `too-costly`: a check could kill it, but only with an input past what a run can afford (the reason names the size); it counts as not killed. `survived` / `no-coverage` without a reason: a hole to close with a check or a vector.",
    "",
    "| file:line | mutator | original | replacement | outcome | reason |",
    "|---|---|---|---|---|---|",
    ...r.not_killed.map(
      (m) =>
        `| ${m.file}:${m.line} | ${m.mutator} | \`${cell(m.original)}\` | \`${cell(m.replacement)}\` | ${m.outcome} | ${cell(m.reason ?? "")} |`,
    ),
    "",
  ];
  return out.join("\n");
}

function cell(s: string): string {
  const t = s.replace(/\|/g, "\\|").replace(/`/g, "'");
  return t.length > 90 ? `${t.slice(0, 87)}...` : t;
}

/** Runs Stryker with the adequacy configuration (unless reportOnly), then writes adequacy/report.{json,md}. */
export async function runAdequacy(opts: {
  incremental?: boolean;
  reportOnly?: boolean;
  mutate?: string;
  /** A folder for a trial run: Stryker's report, its incremental file and our report go there, not to adequacy/. */
  scratch?: string;
  concurrency?: number;
  onLine?: (line: string) => void;
}): Promise<{ report: AdequacyReport; seconds: number; dir: string }> {
  const started = performance.now();
  const scratch = opts.scratch ? resolve(opts.scratch) : undefined;
  const strykerReport = scratch ? join(scratch, "mutation.json") : STRYKER_REPORT;
  const outDir = scratch ?? ADEQUACY_DIR;
  if (!opts.reportOnly) {
    let config = "stryker.adequacy.config.mjs";
    if (scratch) {
      mkdirSync(scratch, { recursive: true });
      config = join(scratch, "stryker.config.mjs");
      const base = pathToFileURL(join(REPO_ROOT, "stryker.adequacy.config.mjs")).href;
      const tag = scratch.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
      writeFileSync(
        config,
        `// A trial run of npm run adequacy (--scratch): the committed configuration, with its outputs here.\nimport base from ${JSON.stringify(base)};\nexport default {\n  ...base,\n  jsonReporter: { fileName: ${JSON.stringify(strykerReport)} },\n  incrementalFile: ${JSON.stringify(join(scratch, "incremental.json"))},\n  tempDirName: ${JSON.stringify(`.stryker-tmp/${tag}`)},\n};\n`,
      );
    }
    const args = ["stryker", "run", config];
    if (opts.incremental) args.push("--incremental");
    if (opts.mutate) args.push("--mutate", opts.mutate);
    if (opts.concurrency) args.push("--concurrency", String(opts.concurrency));
    const code = await new Promise<number>((resolve) => {
      const child = spawn("npx", args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
      const pass = (b: Buffer) => {
        for (const l of b.toString("utf8").split("\n")) if (l.trim()) opts.onLine?.(l);
      };
      child.stdout.on("data", pass);
      child.stderr.on("data", pass);
      child.on("exit", (c) => resolve(c ?? 1));
      child.on("error", () => resolve(127));
    });
    if (code !== 0) throw new Error(`Stryker exited with status ${code}`);
  }
  let stryker: StrykerReport;
  try {
    stryker = JSON.parse(readFileSync(strykerReport, "utf8")) as StrykerReport;
  } catch (e) {
    throw new Error(`cannot read Stryker's report ${strykerReport}: ${(e as Error).message}`);
  }
  const suite = await loadSuite();
  const byId = new Map(suite.checks.map((c) => [c.id, c.rules]));
  const report = adequacyReport(stryker, readTriage(), (id) => byId.get(id) ?? [], await leftOutFiles());
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, "report.md"), adequacyMarkdown(report));
  return { report, seconds: Math.round((performance.now() - started) / 1000), dir: outDir };
}

/** Per rule, the checks that killed machine-made mutants, from the committed report (none when there is none). */
export function machineKills(file = join(ADEQUACY_DIR, "report.json")): Record<string, string[]> {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as AdequacyReport).checks_by_rule ?? {};
  } catch {
    return {};
  }
}

/** Adds `value` to the set under `key`, making the set when there is none. */
function addTo(sets: Record<string, Set<string>>, key: string, value: string): void {
  const set = sets[key] ?? new Set<string>();
  set.add(value);
  sets[key] = set;
}
