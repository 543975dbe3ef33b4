// The crash checks (harness/durability): schedules are a pure function of the seed, a failure prints the
// schedule and the command that replays it, and running that one schedule again reproduces the failure
// (STO-REC-003 against a mutant whose recovery drops the last acknowledged record). The mutant is served as
// a process (`asl-conform serve --mutant`), as `run --mutant` does.
import { describe, expect, it } from "vitest";
import { MUTANTS } from "../../adapters/mutants/index.ts";
import {
  crashChecks,
  KILL_MODE,
  operationsOf,
  scheduleOf,
  schedulesFor,
  serveCommand,
} from "../../harness/durability/index.ts";
import { judgeImplementation } from "../helpers/check.ts";

const SEED = 20261130;
const MUTANT = "durable-recovery-truncates";

function crashRun(opts: { crashSchedule?: number; runs: number }) {
  return judgeImplementation(MUTANTS.find((x) => x.id === MUTANT)!.create(), {
    checks: crashChecks([KILL_MODE]),
    seed: SEED,
    runs: opts.runs,
    launch: { command: serveCommand(["--mutant", MUTANT]) },
    ...(opts.crashSchedule !== undefined ? { crashSchedule: opts.crashSchedule } : {}),
    replayCommand: (id, extra) =>
      `npx asl-conform run --mutant ${MUTANT} --check ${id}${extra ? ` ${extra}` : ""}`,
  });
}

describe("crash schedules", () => {
  it("[STO-REC-002, STO-REC-003] are a pure function of the seed and the schedule number", () => {
    expect(scheduleOf(SEED, 3)).toEqual(scheduleOf(SEED, 3));
    expect(scheduleOf(SEED, 3)).not.toEqual(scheduleOf(SEED, 4));
    const a = operationsOf(scheduleOf(SEED, 3), 0);
    const b = operationsOf(scheduleOf(SEED, 3), 0);
    expect(a.ops.map((o) => (o.kind === "put" ? o.key : o.kind))).toEqual(
      b.ops.map((o) => (o.kind === "put" ? o.key : o.kind)),
    );
    // Small and large PUTs, tombstones and snapshots all occur; every first crash is at a write.
    const all = schedulesFor(SEED, 30).flatMap((s) => operationsOf(s, 0).ops);
    expect(all.some((o) => o.kind === "put" && o.large)).toBe(true);
    expect(all.some((o) => o.kind === "put" && !o.large)).toBe(true);
    expect(all.some((o) => o.kind === "tombstone")).toBe(true);
    expect(all.some((o) => o.kind === "snapshot")).toBe(true);
    expect(schedulesFor(SEED, 30).every((s) => s.lives[0]!.end === "at-write")).toBe(true);
    expect(schedulesFor(SEED, 10).reduce((n, s) => n + s.lives.length, 0)).toBeGreaterThanOrEqual(10);
  });

  it("[STO-REC-003] a failure prints its schedule and replay command, and the replayed schedule fails again", async () => {
    const first = await crashRun({ runs: 4 });
    expect(first.fault, first.fault?.message).toBeUndefined();
    expect(first.findings.length).toBeGreaterThan(0);
    expect(first.findings[0]!.rules).toContain("STO-REC-003");
    const m = /--seed (\d+) --crash-schedule (\d+)$/.exec(first.replay ?? "");
    expect(m, first.replay).not.toBeNull();
    expect(Number(m![1])).toBe(SEED);
    const n = Number(m![2]);
    expect(first.context).toContain(`seed ${SEED}, schedule ${n}:`);
    expect(first.findings[0]!.message).toMatch(new RegExp(`^schedule ${n}, `));

    const again = await crashRun({ runs: 4, crashSchedule: n });
    expect(again.fault, again.fault?.message).toBeUndefined();
    expect(again.findings.length).toBeGreaterThan(0);
    expect(again.findings[0]!.rules).toContain("STO-REC-003");
    expect(again.context).toBe(first.context);
    expect(again.findings[0]!.message).toMatch(new RegExp(`^schedule ${n}, `));
    expect(again.replay).toBe(first.replay);
  }, 240_000);
});
