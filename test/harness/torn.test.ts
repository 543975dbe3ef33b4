// crash/torn-tail (harness/durability/torn.ts): the tails it makes of a file's unsynced bytes, nearest an
// end first, and the check itself against the reference served as a process (every torn directory opens
// with the acknowledged operations and takes a new PUT) and against a mutant whose recovery drops the
// last acknowledged record (caught, STO-REC-003) and one whose recovery cannot resume after its own crash
// (caught by the interrupted recoveries, STO-REC-002), and one that keeps one copy per name of what it
// moves aside (caught by the directory torn twice at one place). Needs the power-cut interposer (gcc): skipped with the
// reason without it, a failure where CI is set.
import { describe, expect, it } from "vitest";
import { MUTANTS } from "../../adapters/mutants/index.ts";
import { powercutAvailable } from "../../adapters/powercut/powercut.ts";
import { createReferenceImplementation } from "../../adapters/reference/index.ts";
import { serveCommand, TORN_TAIL_CHECK } from "../../harness/durability/index.ts";
import { tailsOf } from "../../harness/durability/torn.ts";
import { judgeImplementation } from "../helpers/check.ts";

const avail = powercutAvailable();

describe("crash/torn-tail", () => {
  it("[STO-REC-002] tries every tail of a short unsynced run, the ends first; a long one by both ends and a spread", () => {
    const short = tailsOf("log", 5).map((v) => (v.zeros ? "zeros" : v.kept));
    expect(short).toEqual(["zeros", 0, 5, 1, 4, 2, 3]);
    const long = tailsOf("blk", 100_000);
    expect(long.length).toBeLessThanOrEqual(160);
    const kept = long.filter((v) => !v.zeros).map((v) => v.kept);
    for (const k of [0, 1, 2, 32, 99_999, 99_968, 50_000, 100_000]) expect(kept).toContain(k);
    expect(new Set(kept).size).toBe(kept.length);
  });

  it("has the interposer where CI is set", (ctx) => {
    if (!avail.ok && !process.env.CI) ctx.skip();
    expect(avail).toEqual({ ok: true });
  });

  for (const [who, mutant, rule, says] of [
    ["the reference", undefined, undefined, undefined],
    ["a recovery that drops the last acknowledged record", "durable-recovery-truncates", "STO-REC-003", /./],
    [
      "a recovery that cannot resume its own interrupted recovery",
      "durable-recovery-not-resumable",
      "STO-REC-002",
      /its recovery killed just before its sync \d+ and cut to what it had made durable, then opened again: store\.open refused/,
    ],
    [
      "a recovery that keeps one copy per name in recovered/",
      "durable-recovery-one-copy-per-name",
      "STO-REC-002",
      /recovered, then a PUT of other bytes torn the same way, after the second recovery: store\.open refused/,
    ],
  ] as const)
    it.skipIf(!avail.ok)(
      `[STO-REC-002, STO-REC-003] against ${who}`,
      async () => {
        const impl = mutant
          ? MUTANTS.find((m) => m.id === mutant)!.create()
          : createReferenceImplementation();
        const o = await judgeImplementation(impl, {
          checks: [TORN_TAIL_CHECK],
          seed: 20261130,
          runs: 8,
          launch: { command: serveCommand(mutant ? ["--mutant", mutant] : []) },
          replayCommand: (id, extra) => `run --check ${id} ${extra ?? ""}`,
        });
        expect(o.fault, o.fault?.message).toBeUndefined();
        if (!mutant) {
          expect(o.findings).toEqual([]);
          expect(o.notes?.join(" ")).toMatch(
            /stopped before sync 2: [1-9]\d* of \d+ torn directories recovered, and one recovery killed before each of its [2-6] syncs in turn, and one directory torn twice at the same place/,
          );
        } else {
          expect(o.findings[0]?.rules).toContain(rule);
          expect(o.findings[0]?.message).toMatch(says!);
          expect(o.replay).toContain("--seed 20261130");
        }
      },
      60_000,
    );
});
