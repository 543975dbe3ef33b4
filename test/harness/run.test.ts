// `asl-conform run` as a user meets it: the default run against the reference, reports, a module
// adapter, failures that name rule, check and replay command, expectations, shards and their merge.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { schemaId, schemaValidator } from "../../catalog/load.ts";
import { cli } from "../helpers/cli.ts";

const SUMMARY = /^(\d+) passed, (\d+) failed, (\d+) skipped/m;
const tmp = () => mkdtempSync(join(tmpdir(), "asl-run-"));

function counts(stdout: string) {
  const m = SUMMARY.exec(stdout.trim().split("\n").at(-1) ?? "");
  if (!m) throw new Error(`no summary line in:\n${stdout.slice(-500)}`);
  return { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) };
}

// A whole run now includes the crash checks (harness/durability), which start and kill the implementation
// a few times: seconds on an idle machine, more on a loaded one.
const SUITE_WITH_CRASHES_MS = 180_000;

describe("asl-conform run", () => {
  it(
    "runs the whole suite against the reference, conforms, and writes three reports that validate",
    () => {
      const dir = tmp();
      const r = cli(["run", "--report-dir", dir]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const c = counts(r.stdout);
      expect(c.failed).toBe(0);
      expect(c.skipped).toBe(0);
      expect(c.passed).toBeGreaterThan(250);
      expect(r.stdout).toMatch(/vector cases run: (\d+) of \1/);
      const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
      const validate = schemaValidator().getSchema(schemaId("report.schema.json"))!;
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(report.conforms).toBe(true);
      expect(report.vectors.ran).toBe(report.vectors.expected);
      expect(report.rules.filter((x: { verdict: string }) => x.verdict === "fail")).toEqual([]);
      expect(readFileSync(join(dir, "junit.xml"), "utf8")).toMatch(
        /^<\?xml[\s\S]*<testsuites[\s\S]*<testcase/,
      );
      expect(readFileSync(join(dir, "summary.md"), "utf8")).toContain("**Conforms**");
    },
    SUITE_WITH_CRASHES_MS,
  );

  it(
    "runs the independent Python implementation through the process adapter, validating every message, and it conforms",
    () => {
      const r = cli([
        "run",
        "--quiet",
        "--validate-protocol",
        "--adapter-cmd",
        "python3 adapters/examples/python/adapter.py",
      ]);
      expect(r.code, r.stdout.slice(-2000)).toBe(0);
      const c = counts(r.stdout);
      expect(c.failed).toBe(0);
      expect(c.skipped).toBe(0);
      expect(c.passed).toBeGreaterThan(250);
    },
    SUITE_WITH_CRASHES_MS,
  );

  it("runs a TypeScript module adapter and reports the capabilities it did not claim as skipped", () => {
    const r = cli(["run", "--adapter", "adapters/examples/typescript/edges-and-shards.ts", "--quiet"]);
    expect(r.code).toBe(0);
    const c = counts(r.stdout);
    expect(c.failed).toBe(0);
    expect(c.passed).toBeGreaterThan(50);
    expect(c.skipped).toBeGreaterThan(100);
  });

  it("[ATXI-SHD-001] fails a broken implementation, naming the rule, the check, expected vs actual and the replay command", () => {
    const r = cli(["run", "--adapter", "test/fixtures/broken-shard.ts"]);
    expect(r.code).toBe(1);
    expect(counts(r.stdout).failed).toBeGreaterThan(0);
    expect(r.stdout).toContain("ATXI-SHD-001 (MUST, sharding, implied)");
    expect(r.stdout).toMatch(/FAIL vec\/unit\/shard-assign\/n\d+\/key-\d+/);
    expect(r.stdout).toMatch(/expected: \d+\n\s+actual: +0/);
    expect(r.stdout).toMatch(
      /replay: npx asl-conform run --adapter "test\/fixtures\/broken-shard.ts" --check vec\/unit\/shard-assign\/n\d+\/key-\d+/,
    );
    expect(r.stdout).toContain("verdict: does not conform");
  });

  it("accepts known failures listed in --expect, and fails when a listed failure passes (the list cannot rot)", () => {
    const dir = tmp();
    const expectFile = join(dir, "expect.yaml");
    writeFileSync(
      expectFile,
      "schema: asl-conformance/expectations/1\nexpected_failures:\n  - rule: ATXI-SHD-*\n    reason: shard function not written yet\n    link: https://example.invalid/issue/1\n",
    );
    const ok = cli(["run", "--adapter", "test/fixtures/broken-shard.ts", "--expect", expectFile, "--quiet"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/expected failures/);
    writeFileSync(
      expectFile,
      "schema: asl-conformance/expectations/1\nexpected_failures:\n  - rule: ATXI-SHD-*\n    reason: shard function not written yet\n  - rule: ATXI-INV-002\n    reason: claimed broken but is not\n",
    );
    const rot = cli(["run", "--adapter", "test/fixtures/broken-shard.ts", "--expect", expectFile, "--quiet"]);
    expect(rot.code).toBe(1);
    expect(rot.stdout).toMatch(
      /XPASS rule ATXI-INV-002: expected to fail \(claimed broken but is not\) but every check of it passed: remove it/,
    );
  });

  it(
    "splits the suite with --shard K/N, and report merge joins the parts into the whole, with the unsharded run's verdicts",
    () => {
      const [a, b, m, w] = [tmp(), tmp(), tmp(), tmp()];
      // --runs 8: the crash checks are most of a run's time, and sharding does not depend on their depth.
      const whole = counts(cli(["run", "--quiet", "--runs", "8", "--report-dir", w]).stdout);
      const r1 = cli(["run", "--quiet", "--runs", "8", "--shard", "1/2", "--report-dir", a]);
      const r2 = cli(["run", "--quiet", "--runs", "8", "--shard", "2/2", "--report-dir", b]);
      expect(counts(r1.stdout).passed).toBeGreaterThan(0);
      expect(counts(r1.stdout).passed + counts(r2.stdout).passed).toBe(whole.passed);
      const merged = cli([
        "report",
        "merge",
        join(a, "report.json"),
        join(b, "report.json"),
        "--report-dir",
        m,
      ]);
      expect(merged.code).toBe(0);
      const report = JSON.parse(readFileSync(join(m, "report.json"), "utf8"));
      expect(report.counts.passed).toBe(whole.passed);
      expect(report.selection.shards).toEqual(["1/2", "2/2"]);
      expect(report.vectors.ran).toBe(report.vectors.expected);
      const unsharded = JSON.parse(readFileSync(join(w, "report.json"), "utf8"));
      const verdicts = (r: { rules: { id: string; verdict: string }[] }) =>
        r.rules.map((x) => `${x.id} ${x.verdict}`);
      expect(verdicts(report)).toEqual(verdicts(unsharded));
      expect([report.outcome, report.headline, report.not_verified]).toEqual([
        unsharded.outcome,
        unsharded.headline,
        unsharded.not_verified,
      ]);
      // A shard alone is narrowed: rules its checks do not name are skipped, never "not verified".
      const part = JSON.parse(readFileSync(join(a, "report.json"), "utf8"));
      expect(
        part.rules.some(
          (x: { verdict: string; reason?: string }) =>
            x.verdict === "skip" && x.reason === "not selected in this run",
        ),
      ).toBe(true);
      const overlap = cli([
        "report",
        "merge",
        join(a, "report.json"),
        join(a, "report.json"),
        "--report-dir",
        m,
      ]);
      expect(overlap.code).toBe(2);
      expect(overlap.stderr).toContain("shards overlap");
    },
    SUITE_WITH_CRASHES_MS,
  );

  it("keeps a passing check's notes in report.json (a property's run count)", () => {
    const dir = tmp();
    cli(["run", "--quiet", "--check", "prop/filters", "--runs", "7", "--report-dir", dir]);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    expect(report.checks[0].notes).toEqual(["7 runs"]);
  });

  it("replays a shrunk property failure by its seed and path (--fc-path), with the same counterexample", () => {
    const first = cli([
      "run",
      "--adapter",
      "test/fixtures/broken-shard.ts",
      "--check",
      "prop/edges-and-shards",
    ]);
    expect(first.code).toBe(1);
    const replay =
      /replay: npx asl-conform run --adapter "test\/fixtures\/broken-shard.ts" --check prop\/edges-and-shards --seed (-?\d+) --fc-path "([\d:]+)"/.exec(
        first.stdout,
      );
    expect(replay, first.stdout).not.toBeNull();
    const counterexample = /counterexample: (.*)/.exec(first.stdout)?.[1];
    expect(counterexample).toBeDefined();
    expect(counterexample).not.toMatch(/object Object|undefined/);
    const again = cli([
      "run",
      "--adapter",
      "test/fixtures/broken-shard.ts",
      "--check",
      "prop/edges-and-shards",
      "--seed",
      replay![1]!,
      "--fc-path",
      replay![2]!,
    ]);
    expect(again.code).toBe(1);
    expect(/counterexample: (.*)/.exec(again.stdout)?.[1]).toBe(counterexample);
    expect(again.stdout).toMatch(/after 0 shrinks/);
  });

  it("narrows a run with --rules and --capabilities", () => {
    const r = cli(["run", "--quiet", "--rules", "ATXI-VIS-*"]);
    expect(r.code).toBe(0);
    const c = counts(r.stdout);
    expect(c.passed).toBeGreaterThan(5);
    // a fraction of the suite's 1,000-odd checks: those that name an ATXI-VIS rule
    expect(c.passed).toBeLessThan(300);
    const caps = cli(["run", "--quiet", "--capabilities", "tgk-edges"]);
    expect(counts(caps.stdout).passed).toBeGreaterThan(5);
  });

  it("refuses bad flags and unusable inputs with exit 2 and a message naming what is wrong", () => {
    const cases: [string[], RegExp][] = [
      [["run", "--shard", "3/2"], /--shard takes K\/N with 1 <= K <= N/],
      [["run", "--seed", "abc"], /--seed takes a whole number/],
      [["run", "--capabilities", "teleport"], /unknown capability teleport/],
      [["run", "--adapter", "no/such/module.ts"], /cannot load the adapter module no\/such\/module.ts/],
      [["run", "--adapter-cmd", "/no/such/command --x"], /did not complete the hello handshake: PROTO_CRASH/],
      [["run", "--check", "vec/no-such-check"], /unknown check id: vec\/no-such-check/],
      [["run", "--rules", "NOPE-*"], /the selection matches no check of the suite \(--rules NOPE-\*\)/],
      [
        ["run", "--expect", "package.json"],
        /package.json.*(not valid YAML|must have required property|must NOT have additional)/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
