// The crash checks (crash/<mode>), one per way of crashing: each runs seeded schedules
// (harness/durability/schedule.ts) through harness/durability/crash.ts and reports what it found, with the
// schedule and the command that replays it, and what it did (crashes, in-flight outcomes, operations
// verified) as a note. The number of crashes grows with --runs (--thorough); a time budget keeps a default
// run's crash checks well within a minute on a slow implementation, and says so when it cut a run short.
import { join } from "node:path";
import { REPO_ROOT } from "../../catalog/paths.ts";
import type { Check, CheckContext, CheckOutcome } from "../checks/types.ts";
import { CrashFault, newTally, type PowerCut, runSchedule, type Tally } from "./crash.ts";
import { powerCutSimulation } from "./power.ts";
import { scheduleOf, schedulesFor } from "./schedule.ts";
import { runTornRound } from "./torn.ts";

export { CrashFault, type CutSummary, type PowerCut, runSchedule, type Tally } from "./crash.ts";
export { describeSchedule, operationsOf, type Schedule, scheduleOf, schedulesFor } from "./schedule.ts";

export const CRASH_RULES = ["STO-REC-002", "STO-REC-003"];

/** Crashes per crash check: a quarter of the property runs (10 by default, 30 with --thorough). */
export const crashesFor = (runs: number) => Math.max(2, Math.ceil(runs / 4));

/** Time a crash check may take by default (40 runs); it scales with --runs. */
const BUDGET_MS_PER_RUN = 500;

const shellQuote = (s: string) => (/^[A-Za-z0-9_./=:@%+-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/** The command that serves an in-process implementation over the process protocol (`asl-conform serve`). */
export function serveCommand(args: string[] = []): string {
  return [process.execPath, join(REPO_ROOT, "bin", "asl-conform.js"), "serve", ...args]
    .map(shellQuote)
    .join(" ");
}

export interface CrashMode {
  /** crash/<name> */
  name: string;
  title: string;
  /** The power-cut simulation (given the run's seed), or why it cannot run here; absent for a plain kill. */
  power?: (seed: number) => PowerCut | { unavailable: string };
}

function note(t: Tally, ms: number, mode: string, cut: string | undefined): string {
  const rate = t.crashes / Math.max(ms / 1000, 0.001);
  return [
    `${t.crashes} crashes (${mode}) over ${t.schedules} directories in ${(ms / 1000).toFixed(1)} s (${rate.toFixed(1)}/s): ${t.afterAck} right after an acknowledgment, ${t.inFlight} with an operation in flight (${t.atWrite} of them at its first write), ${t.duringOpen} during store.open`,
    `in flight: ${t.applied} wholly applied, ${t.absent} wholly absent, ${t.unobservable} snapshots (no trace either way), ${t.answeredFirst} answered before the kill`,
    `${t.verified} acknowledged operations verified after crashes${cut ? `; ${cut}` : ""}`,
  ].join("; ");
}

async function runCrashCheck(mode: CrashMode, ctx: CheckContext): Promise<CheckOutcome> {
  const id = `crash/${mode.name}`;
  if (!ctx.launch)
    return {
      findings: [],
      fault: {
        code: "INTERNAL",
        message: `${id} needs the implementation as a process to kill, and none was given`,
      },
      complete: false,
      observed: [],
    };
  let power: PowerCut | undefined;
  if (mode.power) {
    const p = mode.power(ctx.seed);
    if ("unavailable" in p)
      return {
        findings: [],
        fault: {
          code: "INTERNAL",
          message: `the power-cut simulation cannot run on this machine: ${p.unavailable}`,
        },
        complete: false,
        observed: [],
      };
    power = p;
  }
  const schedules =
    ctx.crashSchedule !== undefined
      ? [scheduleOf(ctx.seed, ctx.crashSchedule)]
      : schedulesFor(ctx.seed, crashesFor(ctx.runs));
  const budget = BUDGET_MS_PER_RUN * Math.max(ctx.runs, 1);
  const tally = newTally();
  const started = performance.now();
  const deadline = ctx.crashSchedule === undefined ? started + budget : Number.POSITIVE_INFINITY;
  let skipped = 0;
  let shortened = 0;
  for (const s of schedules) {
    if (performance.now() > deadline) {
      skipped++;
      continue;
    }
    let r: Awaited<ReturnType<typeof runSchedule>>;
    try {
      r = await runSchedule(s, ctx.launch, tally, power, deadline);
      if (r.cut) shortened++;
    } catch (e) {
      if (e instanceof CrashFault)
        return {
          findings: [],
          fault: { code: e.code, message: `schedule ${s.index}: ${e.message}` },
          complete: false,
          observed: [],
        };
      throw e;
    }
    if (r.findings.length > 0)
      return {
        findings: r.findings,
        context: r.context,
        replay: ctx.replayCommand(id, `--seed ${ctx.seed} --crash-schedule ${s.index}`),
        observed: CRASH_RULES,
      };
  }
  const ms = performance.now() - started;
  const c = tally.cuts;
  const cuts =
    c.count > 0
      ? `${c.count} power cuts discarded ${c.bytes} unsynced bytes, rolled ${c.files} files back, removed ${c.removed} directory entries and restored ${c.restored}`
      : undefined;
  const notes = [note(tally, ms, mode.name, cuts)];
  if (skipped + shortened > 0)
    notes.push(
      `time budget of ${(budget / 1000).toFixed(0)} s reached: ${skipped} of ${schedules.length} schedules not run, ${shortened} ended early (a slow start-up; --runs raises the budget with the crashes)`,
    );
  return { findings: [], notes, observed: CRASH_RULES };
}

export function crashChecks(modes: readonly CrashMode[]): Check[] {
  return modes.map((m) => ({
    id: `crash/${m.name}`,
    title: m.title,
    kind: "crash" as const,
    rules: CRASH_RULES,
    capabilities: ["durability"],
    run: (ctx: CheckContext) => runCrashCheck(m, ctx),
  }));
}

export const KILL_MODE: CrashMode = {
  name: "kill",
  title:
    "durability: SIGKILL of the process group after an acknowledgment, with a request in flight, and during store.open; every acknowledged operation survives, nothing half-applied or torn",
};

export const POWER_CUT_MODE: CrashMode = {
  name: "power-cut",
  title:
    "durability: SIGKILL of the process group, then every file and directory entry back to what was fsync'd (a simulated power cut, adapters/powercut); every acknowledged operation survives, nothing half-applied or torn",
  power: powerCutSimulation,
};

/** What the note says of a round's interrupted recoveries. */
function interruptedNote(r: {
  interrupted?: number;
  interruptedEnd?: "finished" | "limit" | "slow";
}): string {
  const n = r.interrupted ?? 0;
  if (r.interruptedEnd === "limit") return `, and one recovery killed before each of its first ${n} syncs`;
  if (r.interruptedEnd === "slow")
    return `, and one recovery killed before ${n === 1 ? "its first sync" : `each of its first ${n} syncs`} (then one neither answered nor reached its next sync within 5 s)`;
  if (n === 0) return "";
  return n === 1
    ? ", and one recovery killed before its only sync"
    : `, and one recovery killed before each of its ${n} syncs in turn`;
}

/** Time the sweeps of crash/torn-tail may take by default (40 runs); it scales with --runs. */
const TORN_BUDGET_MS_PER_RUN = 300;

async function runTornCheck(ctx: CheckContext): Promise<CheckOutcome> {
  const id = "crash/torn-tail";
  const fault = (message: string, code = "INTERNAL"): CheckOutcome => ({
    findings: [],
    fault: { code, message },
    complete: false,
    observed: [],
  });
  if (!ctx.launch) return fault(`${id} needs the implementation as a process to kill, and none was given`);
  const power = powerCutSimulation(ctx.seed);
  if ("unavailable" in power)
    return fault(`the power-cut simulation cannot run on this machine: ${power.unavailable}`);
  const tally = newTally();
  const started = performance.now();
  const budget = TORN_BUDGET_MS_PER_RUN * Math.max(ctx.runs, 1);
  const rounds: string[] = [];
  let cut = false;
  // The sweeps share the budget, half each, round 2 (before the second sync: for the reference, the log's)
  // first; what round 2 leaves goes to round 1. The interrupted recoveries are bounded by count, not time.
  let left = budget;
  for (const [k, syncs] of [2, 1].entries()) {
    let r: Awaited<ReturnType<typeof runTornRound>>;
    try {
      r = await runTornRound(ctx.seed, syncs, ctx.launch, power, tally, k === 0 ? budget / 2 : left);
    } catch (e) {
      if (e instanceof CrashFault) return fault(`round ${syncs}: ${e.message}`, e.code);
      throw e;
    }
    left -= r.sweepMs ?? 0;
    if (r.findings.length > 0)
      return {
        findings: r.findings,
        context: r.context,
        replay: ctx.replayCommand(id, `--seed ${ctx.seed}`),
        observed: CRASH_RULES,
      };
    if (r.variants < r.of) cut = true;
    rounds.push(
      !r.held
        ? `stopped before sync ${syncs}: the PUT had fewer syncs (or answered first), nothing to tear`
        : `stopped before sync ${syncs}: ${r.variants} of ${r.of} torn directories recovered${interruptedNote(r)}${r.twice ? ", and one directory torn twice at the same place" : ""}`,
    );
  }
  const ms = performance.now() - started;
  return {
    findings: [],
    notes: [
      `${rounds.join("; ")}; in flight ${tally.applied} wholly applied, ${tally.absent} wholly absent; ${tally.verified} acknowledged operations verified, in ${(ms / 1000).toFixed(1)} s${cut ? ` (the sweeps' time budget of ${(budget / 1000).toFixed(1)} s cut them short; --runs raises it)` : ""}`,
    ],
    observed: CRASH_RULES,
  };
}

export const TORN_TAIL_CHECK: Check = {
  id: "crash/torn-tail",
  title:
    "durability: a PUT stopped just before its first, then its second sync, killed, and its files cut to every torn tail a power loss can leave of the unsynced bytes (none, each prefix, all, or zeros); each directory opens, shows every acknowledged operation and the PUT wholly applied or absent, and takes a new PUT",
  kind: "crash",
  rules: CRASH_RULES,
  capabilities: ["durability"],
  run: runTornCheck,
};
