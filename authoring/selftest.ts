// The suite tested against itself (issue 6): the whole suite runs against every mutant of the zoo
// (adapters/mutants) and against the correct implementations (the reference in-process, the Python
// example over the process protocol). A mutant is killed when the run does not conform and at least one
// failing check names a rule the mutant declares; a mutant that conforms, or fails only elsewhere, shows a
// hole in the suite or a dishonest declaration. A correct implementation must conform: any failure there
// is a false rejection, shown with the checks that failed.

import { accessSync, constants, statSync } from "node:fs";
import { InProcessAdapter } from "../adapters/in-process.ts";
import type { Adapter } from "../adapters/interface.ts";
import { MUTANTS, type Mutant } from "../adapters/mutants/index.ts";
import { ProcessAdapter } from "../adapters/process.ts";
import { createReferenceImplementation } from "../adapters/reference/index.ts";
import { type Catalog, loadCatalog, REPO_ROOT } from "../catalog/load.ts";
import type { Check, Launch } from "../harness/checks/types.ts";
import { serveCommand } from "../harness/durability/index.ts";
import { firstMessage } from "../harness/report/text.ts";
import { runAndJudge } from "../harness/run.ts";
import { loadSuite } from "../harness/suite.ts";
import type { CheckRecord } from "../harness/verdict.ts";

export const PYTHON_EXAMPLE_COMMAND = "python3 adapters/examples/python/adapter.py";

export type SelftestVerdict = "killed" | "survived" | "wrong-rules" | "conforms" | "false-rejection";

export interface SelftestRow {
  id: string;
  kind: "mutant" | "correct";
  description: string;
  /** The rules a mutant declares it breaks (empty for a correct implementation). */
  rules: string[];
  /** Failing checks that name a declared rule (mutants) or any failing check (correct implementations). */
  killed_by: string[];
  /** Failing checks that name none of the declared rules. */
  other_failures: string[];
  /** Every rule a finding failed, across the whole run (what the gate counts as "this rule can fail"). */
  failed_rules: string[];
  /** For each rule a finding failed: the checks whose findings failed it. */
  failing_checks_by_rule: Record<string, string[]>;
  verdict: SelftestVerdict;
  duration_ms: number;
  /** The first failures' messages, for a row that went wrong (survived, wrong-rules, false-rejection). */
  detail?: string[];
}

export interface SelftestResult {
  rows: SelftestRow[];
  /**
   * For each MUST rule of the catalog: the distinct checks that failed it across the mutant zoo (and, when
   * given, the machine-made mutants of adequacy/report.json). A rule failed by one check only is thin:
   * one check's defect would leave it unguarded.
   */
  kills_by_rule: Record<string, string[]>;
  mutants: number;
  killed: number;
  /** killed / mutants, 0..1 (1 when no mutant ran). */
  kill_rate: number;
  /** Every mutant killed and every correct implementation conforms. */
  ok: boolean;
  duration_ms: number;
}

export interface SelftestOptions {
  /** Mutants to run (default: every one). */
  mutants?: readonly Mutant[];
  /** Run the Python example over the process protocol too (default true). */
  python?: boolean;
  /** Run the reference in-process as a correct implementation (default true). */
  reference?: boolean;
  seed: number;
  runs: number;
  /** Where the engines keep their scratch stores (TMPDIR for the run); see memoryScratchDir. */
  scratchDir?: string;
  /** Per rule, the checks that killed machine-made mutants (adequacy/report.json), counted with the zoo's. */
  machineKills?: Record<string, string[]>;
  onRow?: (row: SelftestRow) => void;
}

/**
 * A memory-backed directory for the scratch stores, when the machine has one (/dev/shm on Linux). Every
 * check resets a disk store on both sides, and their fsyncs were most of a selftest's time: one reference
 * run of the suite took 13.6 s with stores under /tmp and 5.6 s under /dev/shm (2 cores, measured). The
 * protocol cannot observe durability (DEC-034), so no check sees a difference.
 */
export function memoryScratchDir(): string | undefined {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return statSync("/dev/shm").isDirectory() ? "/dev/shm" : undefined;
  } catch {
    return undefined;
  }
}

const failing = (r: CheckRecord) => r.verdict === "fail" || r.verdict === "error";

async function runOne(
  adapter: Adapter,
  checks: Check[],
  catalog: Catalog,
  opts: SelftestOptions,
  replay: string,
  launch?: Launch,
): Promise<{ records: CheckRecord[]; conforms: boolean }> {
  const reference = new InProcessAdapter(createReferenceImplementation());
  try {
    const j = await runAndJudge({
      adapter,
      reference,
      checks,
      rules: catalog.rules,
      seed: opts.seed,
      runs: opts.runs,
      ...(launch ? { launch } : {}),
      replayCommand: (id, extra) => `${replay} --check ${id}${extra ? ` ${extra}` : ""}`,
    });
    return { records: j.checks, conforms: j.conforms };
  } finally {
    await adapter.close();
    await reference.close();
  }
}

function failingChecksByRule(records: CheckRecord[]): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const r of records.filter((x) => x.verdict === "fail"))
    for (const f of r.findings) for (const rule of f.rules) addTo(out, rule, r.id);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
}

function failedRules(records: CheckRecord[]): string[] {
  return [
    ...new Set(
      records.filter((r) => r.verdict === "fail").flatMap((r) => r.findings.flatMap((f) => f.rules)),
    ),
  ].sort();
}

function details(records: CheckRecord[]): string[] {
  return records
    .filter(failing)
    .slice(0, 3)
    .map((r) => `${r.id} [${r.rules.join(", ")}]: ${firstMessage(r)}`);
}

export async function mutantRow(
  m: Mutant,
  checks: Check[],
  catalog: Catalog,
  opts: SelftestOptions,
): Promise<SelftestRow> {
  const started = performance.now();
  const { records, conforms } = await runOne(
    new InProcessAdapter(m.create()),
    checks,
    catalog,
    opts,
    `npx asl-conform selftest --mutant ${m.id}`,
    { command: serveCommand(["--mutant", m.id]) },
  );
  const declared = new Set(m.rules);
  const bad = records.filter(failing);
  // Killed: a check fails with a finding on a rule the mutant declares (a fault or another rule is not enough).
  const names = (r: CheckRecord) =>
    r.verdict === "fail" && r.findings.some((f) => f.rules.some((id) => declared.has(id)));
  const killedBy = bad.filter(names).map((r) => r.id);
  const other = bad.filter((r) => !names(r)).map((r) => r.id);
  const verdict: SelftestVerdict =
    bad.length === 0 ? "survived" : killedBy.length > 0 ? "killed" : "wrong-rules";
  return {
    id: m.id,
    kind: "mutant",
    description: m.description,
    rules: [...m.rules],
    killed_by: killedBy,
    other_failures: other,
    failed_rules: failedRules(records),
    failing_checks_by_rule: failingChecksByRule(records),
    verdict,
    duration_ms: Math.round(performance.now() - started),
    ...(verdict === "killed" ? {} : { detail: conforms ? ["every check passed"] : details(records) }),
  };
}

async function correctRow(
  id: string,
  description: string,
  open: () => Promise<Adapter>,
  checks: Check[],
  catalog: Catalog,
  opts: SelftestOptions,
  replay: string,
  launch?: Launch,
): Promise<SelftestRow> {
  const started = performance.now();
  let records: CheckRecord[] = [];
  let conforms = false;
  let detail: string[] | undefined;
  try {
    ({ records, conforms } = await runOne(await open(), checks, catalog, opts, replay, launch));
  } catch (e) {
    detail = [`could not run: ${(e as Error).message}`];
  }
  const bad = records.filter(failing).map((r) => r.id);
  return {
    id,
    kind: "correct",
    description,
    rules: [],
    killed_by: bad,
    other_failures: [],
    failed_rules: failedRules(records),
    failing_checks_by_rule: failingChecksByRule(records),
    verdict: conforms ? "conforms" : "false-rejection",
    duration_ms: Math.round(performance.now() - started),
    ...(conforms ? {} : { detail: detail ?? details(records) }),
  };
}

export async function runSelftest(opts: SelftestOptions): Promise<SelftestResult> {
  const saved = process.env.TMPDIR;
  if (opts.scratchDir !== undefined) process.env.TMPDIR = opts.scratchDir;
  try {
    return await selftestIn(opts);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

async function selftestIn(opts: SelftestOptions): Promise<SelftestResult> {
  const started = performance.now();
  const catalog = loadCatalog();
  const { checks } = await loadSuite();
  const rows: SelftestRow[] = [];
  const add = (r: SelftestRow) => {
    rows.push(r);
    opts.onRow?.(r);
  };
  if (opts.reference !== false) {
    add(
      await correctRow(
        "reference",
        "the reference engine, in-process",
        async () => new InProcessAdapter(createReferenceImplementation()),
        checks,
        catalog,
        opts,
        "npx asl-conform run",
        { command: serveCommand() },
      ),
    );
  }
  if (opts.python !== false) {
    add(
      await correctRow(
        "python-example",
        `the Python example over the process protocol (${PYTHON_EXAMPLE_COMMAND})`,
        () =>
          ProcessAdapter.start({
            command: PYTHON_EXAMPLE_COMMAND,
            cwd: REPO_ROOT,
            timeoutMs: 10_000,
            maxMessageBytes: 16 * 1024 * 1024,
            validate: false,
            harnessVersion: "selftest",
          }),
        checks,
        catalog,
        opts,
        `npx asl-conform run --adapter-cmd "${PYTHON_EXAMPLE_COMMAND}"`,
        { command: PYTHON_EXAMPLE_COMMAND, cwd: REPO_ROOT, harnessVersion: "selftest" },
      ),
    );
  }
  const mutants = opts.mutants ?? MUTANTS;
  for (const m of mutants) add(await mutantRow(m, checks, catalog, opts));
  const mutantRows = rows.filter((r) => r.kind === "mutant");
  const killed = mutantRows.filter((r) => r.verdict === "killed").length;
  const kills: Record<string, Set<string>> = {};
  for (const r of mutantRows)
    for (const [rule, ids] of Object.entries(r.failing_checks_by_rule))
      for (const id of ids) addTo(kills, rule, id);
  for (const [rule, ids] of Object.entries(opts.machineKills ?? {}))
    for (const id of ids) addTo(kills, rule, id);
  const must = catalog.rules
    .filter((r) => !r.retired && (r.level === "MUST" || r.level === "MUST NOT"))
    .map((r) => r.id);
  return {
    rows,
    kills_by_rule: Object.fromEntries(must.sort().map((id) => [id, [...(kills[id] ?? [])].sort()])),
    mutants: mutantRows.length,
    killed,
    kill_rate: mutantRows.length === 0 ? 1 : killed / mutantRows.length,
    ok: rows.every((r) => r.verdict === "killed" || r.verdict === "conforms"),
    duration_ms: Math.round(performance.now() - started),
  };
}

/** Adds `value` to the set under `key`, making the set when there is none. */
function addTo(sets: Record<string, Set<string>>, key: string, value: string): void {
  const set = sets[key] ?? new Set<string>();
  set.add(value);
  sets[key] = set;
}
