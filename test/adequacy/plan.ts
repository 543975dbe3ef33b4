// What `npm run adequacy` runs for each check of the suite (test/adequacy/suite.adequacy.ts only lists
// them, so that changes here leave that file's text, and with it Stryker's incremental results, alone).
// Each check runs against the reference engine of THIS tree (Stryker's sandbox, where the engine is
// mutated), with the harness, the vectors and the oracle taken from the pristine tree (ASL_PRISTINE_ROOT,
// the checkout Stryker copied from). A check that passes on the pristine engine and fails on a mutated one
// kills that mutant. Five passes:
//   1. every check but the crash checks, in-process;
//   2. the checks of segments and filters again on "a host without WebAssembly", so that the per-key
//      paths the filter kernels fall back to are judged too (reference/filters/bulk.ts);
//   3. the checks that reopen a store, again with the disk store reading its log a frame at a time, so the
//      read window's re-reads (otherwise only past 4 MiB of log) are judged too;
//   4. the crash checks, against this tree's engine served as a process, last (seconds each; Stryker
//      stops at a mutant's first failing check);
//   5. crash/torn-tail again, the served engine reading its log a frame at a time, on a tmpfs.
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InProcessAdapter } from "../../adapters/in-process.ts";
import type { Check } from "../../harness/checks/types.ts";

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
const { powercutAvailable } = await pristine<typeof import("../../adapters/powercut/powercut.ts")>(
  "adapters/powercut/powercut.ts",
);

// The engine of this tree, imported here at the top (what a module runs while it loads is covered by every
// check: Stryker's static mutants) but with its failure caught: a mutant that throws while its module loads
// then fails every check, so it is killed, instead of failing this file before any test runs, which
// Stryker counts as no test failing (survived).
let engineError: unknown;
const engine = await import("../../adapters/reference/index.ts").catch((e: unknown) => {
  engineError = e;
  return undefined;
});

// The WebAssembly kernels of the filters are compiled once per process and kept; mutants switch on and off
// in one process, so each check starts without them, or every mutant of the kernels' assembly would be
// judged by the module compiled before it was switched on.
const bulk = await import("../../reference/filters/bulk.ts").catch(() => undefined);
// The disk store's read window: the third pass sets it to one frame (see below).
const semantic = await import("../../adapters/reference/semantic.ts").catch(() => undefined);

const suite = await loadSuite();
const SEED = Number(process.env.ASL_ADEQUACY_SEED ?? 20261122);
const RUNS = Number(process.env.ASL_ADEQUACY_RUNS ?? 40);
/**
 * --runs of crash/kill and crash/power-cut here: 8 (2 crashes each, the first at a write) instead of the
 * default run's 40, since every surviving store mutant runs them to their end (at 40, about 45 s a mutant;
 * at 16, a whole run took two hours). ASL_ADEQUACY_CRASH_RUNS sets it.
 */
const CRASH_RUNS = Number(process.env.ASL_ADEQUACY_CRASH_RUNS ?? 8);
/**
 * --runs of crash/torn-tail here: the default run's 40 (a 12 s budget). Its sweep is cheap per tail (one
 * store.open), but its setup (two crashes, two process starts) takes most of a small budget: at 8 (2.4 s)
 * it recovered 2 of the 185 torn directories and never a record header cut to 1-7 bytes. ASL_ADEQUACY_TORN_RUNS
 * sets it.
 */
const TORN_RUNS = Number(process.env.ASL_ADEQUACY_TORN_RUNS ?? 40);

/** What Stryker's instrumented code keeps on globalThis (@stryker-mutator/api, INSTRUMENTER_CONSTANTS). */
interface StrykerNamespace {
  activeMutant?: string;
  currentTestId?: string;
  mutantCoverage?: { static: Record<string, number>; perTest: Record<string, Record<string, number>> };
}
const stryker = () => (globalThis as { __stryker__?: StrykerNamespace }).__stryker__;

/** This tree (Stryker's sandbox): its `asl-conform serve` runs the mutated engine. */
const SANDBOX = fileURLToPath(new URL("../../", import.meta.url));
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * The ids of the mutants in this tree's reference/store/ (read from the instrumented files: Stryker's
 * mutant switches and coverage calls name them). A crash check is credited in the dry run with what its
 * children reached of these files only: the disk store's recovery is what only a restarted process runs;
 * the rest of the engine a child runs is run in-process by the other checks, and crediting it would make
 * every surviving mutant of content-index or segment sit through the crash checks too.
 */
const STORE_MUTANTS: ReadonlySet<string> = (() => {
  const ids = new Set<string>();
  const dir = join(SANDBOX, "reference/store");
  for (const f of readdirSync(dir))
    if (f.endsWith(".ts"))
      for (const m of readFileSync(join(dir, f), "utf8").matchAll(/stry(?:MutAct|Cov)_9fa48\(([^)]*)\)/g))
        for (const id of m[1]!.matchAll(/"(\d+)"/g)) ids.add(id[1]!);
  return ids;
})();

async function judge(check: Check, launch?: { command: string }, runs = RUNS): Promise<void> {
  if (!engine) throw new Error(`the engine of this tree does not load: ${String(engineError)}`);
  const adapter = new InProcessAdapter(engine.createReferenceImplementation());
  const reference = new PristineAdapter(oracle.createReferenceImplementation());
  try {
    const [o] = await runChecks({
      adapter,
      reference,
      checks: [check],
      seed: SEED,
      runs,
      replayCommand: (id) => id,
      ...(launch ? { launch } : {}),
    });
    if (!o) throw new Error("no record");
    if (o.fault) throw new Error(`fault ${o.fault.code}: ${o.fault.message.split("\n")[0]}`);
    if (o.findings.length > 0)
      throw new Error(`[${o.findings[0]!.rules.join(", ")}] ${o.findings[0]!.message.split("\n")[0]}`);
  } finally {
    await adapter.close();
    await reference.close();
  }
}

/**
 * A crash check (crash/kill, crash/power-cut, crash/torn-tail) against this tree's engine served as a process, the way the
 * suite runs it against any implementation. The child learns the active mutant from
 * __STRYKER_ACTIVE_MUTANT__, which Stryker's instrumented code reads at load. In the dry run, the child's
 * coverage (test/adequacy/child-coverage.mjs) is added to this check's, so the recovery code only a
 * restarted process runs counts as reached by the crash checks, and its mutants are run against them.
 */
async function judgeCrash(check: Check, env: Record<string, string> = {}): Promise<void> {
  const ns = stryker();
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let coverageDir: string | undefined;
  if (ns?.activeMutant !== undefined) process.env.__STRYKER_ACTIVE_MUTANT__ = ns.activeMutant;
  else if (ns?.currentTestId !== undefined) {
    coverageDir = mkdtempSync(join(tmpdir(), "asl-adequacy-coverage-"));
    process.env.ASL_ADEQUACY_COVERAGE_DIR = coverageDir;
  }
  const command = [
    process.execPath,
    "--import",
    join(SANDBOX, "test/adequacy/child-coverage.mjs"),
    join(SANDBOX, "bin/asl-conform.js"),
    "serve",
  ]
    .map(quote)
    .join(" ");
  try {
    await judge(check, { command }, check.id === "crash/torn-tail" ? TORN_RUNS : CRASH_RUNS);
  } finally {
    for (const k of ["__STRYKER_ACTIVE_MUTANT__", "ASL_ADEQUACY_COVERAGE_DIR", ...Object.keys(env)])
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    if (coverageDir !== undefined && ns?.currentTestId !== undefined) {
      ns.mutantCoverage ??= { static: {}, perTest: {} };
      ns.mutantCoverage.perTest[ns.currentTestId] ??= {};
      const mine = ns.mutantCoverage.perTest[ns.currentTestId]!;
      for (const f of readdirSync(coverageDir)) {
        let child: StrykerNamespace["mutantCoverage"];
        try {
          child = JSON.parse(readFileSync(join(coverageDir, f), "utf8"));
        } catch {
          continue; // cut short by the kill while it was written; the next answer wrote it again
        }
        for (const counts of [child?.static ?? {}, ...Object.values(child?.perTest ?? {})])
          for (const [id, n] of Object.entries(counts))
            if (STORE_MUTANTS.has(id)) mine[id] = (mine[id] ?? 0) + n;
      }
      rmSync(coverageDir, { recursive: true, force: true });
    }
  }
}

export interface AdequacyTest {
  /** The test's name: the check's id, after its pass's describe name. */
  name: string;
  run: () => Promise<void>;
  timeoutMs?: number;
  /** Why it cannot run on this machine (it is listed, skipped). */
  skip?: string;
}

/** A writable tmpfs for the last pass, or undefined. */
const TMPFS = (() => {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return statfsSync("/dev/shm").type === 0x01021994 /* TMPFS_MAGIC */ ? "/dev/shm" : undefined;
  } catch {
    return undefined;
  }
})();

const FILTER_CAPABILITIES = new Set(["segment-decode", "segment-query", "filter-bloom", "filter-xor"]);
/**
 * The checks that reopen a store with a log of many frames: the window pass runs them with the disk store
 * reading its log one frame's worth at a time (the window is at least the largest frame), so the re-reads
 * that otherwise happen only past 4 MiB of log (about 49,000 records) happen at every few frames.
 */
const REOPENS = /^(trace\/store-reopen-|prop\/(content-index|store)-model$|trace\/ci-long-line$)/;

/** The passes, in order: a describe name each and its tests. */
export function adequacyPlan(): { pass: string; tests: AdequacyTest[] }[] {
  const inProcess = suite.checks.filter((c) => c.kind !== "crash");
  const power = powercutAvailable();
  return [
    {
      pass: "the conformance suite against the engine of this tree",
      tests: inProcess.map((c) => ({
        name: c.id,
        run: () => {
          bulk?._resetKernelsForTest();
          return judge(c);
        },
      })),
    },
    {
      pass: "the conformance suite against the engine of this tree on a host without WebAssembly",
      tests: inProcess
        .filter((c) => c.capabilities.some((k) => FILTER_CAPABILITIES.has(k)))
        .map((c) => ({
          name: c.id,
          run: async () => {
            bulk?._resetKernelsForTest(false);
            try {
              await judge(c);
            } finally {
              bulk?._resetKernelsForTest();
            }
          },
        })),
    },
    {
      pass: "the conformance suite against the engine of this tree reading its log a frame at a time",
      tests: inProcess
        .filter((c) => REOPENS.test(c.id))
        .map((c) => ({
          name: c.id,
          run: async () => {
            if (!semantic)
              throw new Error("the adapter of this tree does not load: its read window cannot be set");
            semantic._setReadWindowForTest(1);
            try {
              await judge(c);
            } finally {
              semantic._setReadWindowForTest();
            }
          },
        })),
    },
    {
      pass: "the conformance suite against the engine of this tree served as a process",
      tests: suite.checks
        .filter((c) => c.kind === "crash")
        .map((c) => ({
          name: c.id,
          run: () => judgeCrash(c),
          timeoutMs: 120_000,
          ...(c.id === "crash/power-cut" && !power.ok ? { skip: power.reason } : {}),
        })),
    },
    {
      // The torn tails again with the store reading its log a frame at a time (a torn tail then meets a
      // window re-read at its own offset, which otherwise happens only past 4 MiB of log), in directories
      // on a tmpfs, where a directory's size is a few bytes (ext4's is 4096): a recovery that reads a
      // directory as a file is then seen by the tail of that length.
      pass: "the conformance suite against the engine of this tree served as a process reading its log a frame at a time on a tmpfs",
      tests: suite.checks
        .filter((c) => c.id === "crash/torn-tail")
        .map((c) => ({
          name: c.id,
          run: async () => {
            const dir = mkdtempSync(join(TMPFS!, "asl-adequacy-"));
            try {
              await judgeCrash(c, { ASL_REFERENCE_READ_WINDOW: "1", ASL_CONFORM_CRASH_DIR: dir });
            } finally {
              rmSync(dir, { recursive: true, force: true });
            }
          },
          timeoutMs: 120_000,
          ...(!power.ok
            ? { skip: power.reason }
            : TMPFS === undefined
              ? { skip: "no writable tmpfs at /dev/shm" }
              : {}),
        })),
    },
  ];
}
