// Verdicts an outsider can trust (issue "verdicts"): a verdict only for what was claimed and what ran,
// faults never turned into failures, every failure explained with a counterexample and a working replay.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "asl-verdicts-"));
const report = (dir: string) => JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
const SERVE = "node bin/asl-conform.js serve";

describe("verdicts", () => {
  it("gives verdicts only for the capabilities claimed, and says what it could not verify", () => {
    const dir = tmp();
    const r = cli(["run", "--adapter", "test/fixtures/decode-and-shard.ts", "--report-dir", dir]);
    expect(r.code, r.stdout).toBe(0);
    const rep = report(dir);
    const judged = rep.rules.filter((x: { verdict: string }) =>
      ["pass", "fail", "warn", "xfail"].includes(x.verdict),
    );
    expect(judged.length).toBeGreaterThan(20);
    expect([...new Set(judged.map((x: { capability: string }) => x.capability))].sort()).toEqual([
      "segment-decode",
      "sharding",
    ]);
    // A decode check also names filter, encode and projection rules: they stay skipped, never passed.
    for (const id of ["ATXI-FLT-007", "ATXI-FLT-008", "ATXI-INV-008", "ATXI-NPR-003", "ATXI-INV-002"])
      expect(rep.rules.find((x: { id: string }) => x.id === id).verdict, id).toBe("skip");
    // Invisibility needs queries: without segment-query it does not apply, and says so.
    const shd2 = rep.rules.find((x: { id: string }) => x.id === "ATXI-SHD-002");
    expect([shd2.verdict, shd2.reason]).toEqual(["skip", "applies only with segment-query, not claimed"]);
    expect(r.stdout).toMatch(/^verdict: conforms/m);
  });

  it("[STO-SNAP-005] the drafts' own model (random ids, no digest, no retirement, reverse scans) conforms for content-index, with a SHOULD warning; --strict makes it fail", () => {
    const cmd = "python3 adapters/examples/drafts-style/adapter.py";
    const r = cli(["run", "--adapter-cmd", cmd, "--validate-protocol"]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^verdict: conforms; 1 warning \(STO-SNAP-005\)$/m);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed, \d+ skipped \(\d+ checks\)$/m);
    expect(r.stdout).not.toMatch(/not verified:/);
    const strict = cli(["run", "--adapter-cmd", cmd, "--strict", "--quiet"]);
    expect(strict.code).toBe(1);
  });

  it("refuses a claim that breaks what a capability requires, before any check runs (exit 2)", () => {
    const r = cli(["run", "--adapter", "test/fixtures/store-without-index.ts"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/capabilities are inconsistent: store requires content-index/);
  });

  it("a correct implementation that crashes once inside a property gets no failed rule: the run is inconclusive", () => {
    const once = join(tmp(), "once");
    const r = cli(
      [
        "run",
        "--adapter-cmd",
        `node adapters/misbehaving/proxy.js crash 3 -- ${SERVE}`,
        "--check",
        "prop/dag",
        "--runs",
        "10",
      ],
      {
        env: { ASL_MISBEHAVE_ONCE: once, ASL_MISBEHAVE_OP: "si.register" },
      },
    );
    expect(r.code, r.stdout).toBe(2);
    expect(r.stdout).toContain("ERROR prop/dag");
    expect(r.stdout).toContain("PROTO_CRASH");
    expect(r.stdout).toMatch(/the property was abandoned/);
    expect(r.stdout).not.toContain("Failures, by rule");
    expect(r.stdout).toMatch(/^verdict: inconclusive/m);
  });

  it("a property failure of an implementation that lies shows its counterexample readably, and its replay command fails again", () => {
    const cmd = `node adapters/misbehaving/proxy.js lie 0 -- ${SERVE}`;
    const r = cli(["run", "--adapter-cmd", cmd, "--check", "prop/edges-and-shards"]);
    expect(r.code, r.stdout).toBe(1);
    const counterexample = /counterexample: (.*)/.exec(r.stdout)?.[1] ?? "";
    expect(counterexample).toMatch(/"7"|7"/);
    expect(counterexample).not.toMatch(/object Object|undefined/);
    expect(r.stdout).toMatch(/\[ATXI-SHD-001\] shard\.assign/);
    const replay =
      /replay: npx asl-conform run --adapter-cmd "(.*)" --check prop\/edges-and-shards --seed (-?\d+) --fc-path "([\d:]+)"/.exec(
        r.stdout,
      );
    expect(replay, r.stdout).not.toBeNull();
    const again = cli([
      "run",
      "--adapter-cmd",
      replay![1]!.replace(/\\"/g, '"'),
      "--check",
      "prop/edges-and-shards",
      "--seed",
      replay![2]!,
      "--fc-path",
      replay![3]!,
    ]);
    expect(again.code).toBe(1);
    expect(/counterexample: (.*)/.exec(again.stdout)?.[1]).toBe(counterexample);
  });

  it("counts add up: checks = passed + failed + skipped + errored + expected failures + unexpected passes", () => {
    const dir = tmp();
    cli(["run", "--adapter", "test/fixtures/broken-shard.ts", "--quiet", "--report-dir", dir]);
    const rep = report(dir);
    const c = rep.counts;
    expect(c.passed + c.failed + c.skipped + c.errored + c.xfail + c.xpass).toBe(rep.checks.length);
    expect(Object.values(rep.rule_counts).reduce((a: number, b) => a + (b as number), 0)).toBe(
      rep.rules.length,
    );
  });
});
