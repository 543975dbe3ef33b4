// The spec gate (asl-conform check) on a copy of this tree, then on copies broken on purpose: each
// defect is named. (CI runs the whole gate, mutant zoo included, on the real tree: .ci/run.)
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InProcessAdapter } from "../../adapters/in-process.ts";
import { createReferenceImplementation } from "../../adapters/reference/index.ts";
import { degenerateImplementations } from "../../authoring/gate.ts";
import { ledgerProblems, nextLedger } from "../../authoring/ledger.ts";
import { loadCatalog, REPO_ROOT } from "../../catalog/load.ts";
import { runAndJudge } from "../../harness/run.ts";
import { loadSuite } from "../../harness/suite.ts";
import { cli } from "../helpers/cli.ts";

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), "asl-gate-"));
  cpSync(join(REPO_ROOT, "spec"), join(dir, "spec"), { recursive: true });
  cpSync(join(REPO_ROOT, "vectors"), join(dir, "vectors"), { recursive: true });
  return dir;
}

function edit(path: string, f: (t: string) => string): void {
  writeFileSync(path, f(readFileSync(path, "utf8")));
}

// Each case runs the gate on a copy of the tree (about 40 s on 2 cores, the crash checks included).
describe("asl-conform check", { timeout: 240_000 }, () => {
  it("passes on an unchanged copy of the spec and vectors", () => {
    const r = cli(["check", "--root", copy(), "--skip-selftest"]);
    expect(r.stdout).toMatch(/check: ok \(\d+ MUST rules each with a passing and a failing check/);
    expect(r.code).toBe(0);
  });

  it("fails on a tree with a deleted rule, a stale vector, an error code without a vector and a stale view, naming each", () => {
    const dir = copy();
    edit(join(dir, "spec/rules/asl-store-index.yaml"), (t) =>
      t.replace(/ {2}- id: STO-CUR-003\n[\s\S]*?(?= {2}- id: STO-CUR-004)/, ""),
    );
    edit(join(dir, "spec/errors.yaml"), (t) =>
      t.replace(/(code: STORE_CORRUPT_LOG,[^\n]*), vector_waiver: "[^"]*"/, "$1"),
    );
    const seg = join(dir, "vectors/segments/empty.atxi");
    const bytes = readFileSync(seg);
    bytes[9] = (bytes[9] ?? 0) ^ 0x10;
    writeFileSync(seg, bytes);
    const r = cli(["check", "--root", dir, "--skip-selftest"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("[ids] rule STO-CUR-003 disappeared: keep it and mark it retired");
    expect(r.stdout).toContain("[errors] error code STORE_CORRUPT_LOG has no vector that expects it");
    expect(r.stdout).toMatch(
      /\[vectors\] \S*vectors\/segments\/empty\.atxi: sha256 differs from index\.json/,
    );
    expect(r.stdout).toContain("[views] spec/RULES.md is stale");
    expect(r.stdout).toMatch(/check: \d+ problems/);
  });
});

describe("the gate's parts", () => {
  it("keeps rule ids from disappearing or coming back once retired", () => {
    const c = loadCatalog();
    const ledger = nextLedger(c, [], undefined);
    expect(ledgerProblems(c, [], ledger)).toEqual([]);
    const retired = { ...ledger, rules: { ...ledger.rules, "STO-CUR-003": "retired" as const } };
    expect(ledgerProblems(c, [], retired).map((p) => p.message)).toEqual([
      "rule STO-CUR-003 was retired and is live again: a retired id is never reused; give the rule a new id",
    ]);
    const fewer = { ...c, rules: c.rules.filter((r) => r.id !== "IDX-CI-003") };
    expect(ledgerProblems(fewer, [], ledger).map((p) => p.message)).toEqual([
      "rule IDX-CI-003 disappeared: keep it and mark it retired (retired: {since, reason})",
    ]);
    expect(nextLedger(fewer, [], retired).rules["STO-CUR-003"]).toBe("retired");
  });

  it("keeps check ids from disappearing silently or being reused once retired", () => {
    const c = loadCatalog();
    const ids = ["vec/seg/a/decode", "vec/seg/b/decode"];
    const ledger = nextLedger(c, ids, undefined);
    expect(ledgerProblems(c, ids, ledger)).toEqual([]);
    expect(ledgerProblems(c, ["vec/seg/a/decode"], ledger).map((p) => p.message)).toEqual([
      "check vec/seg/b/decode disappeared: if that is meant, record it as retired with `asl-conform check --update-ledger` (its id is never reused)",
    ]);
    const updated = nextLedger(c, ["vec/seg/a/decode"], ledger);
    expect(updated.checks["vec/seg/b/decode"]).toBe("retired");
    expect(ledgerProblems(c, ids, updated).map((p) => p.message)).toEqual([
      "check vec/seg/b/decode was retired and is back: a retired check id is never reused; name the case differently",
    ]);
  });

  it("no check of the suite passes against an implementation that refuses every request (no check is vacuous)", async () => {
    const [refuser] = degenerateImplementations();
    const suite = await loadSuite();
    const adapter = new InProcessAdapter(refuser!);
    const reference = new InProcessAdapter(createReferenceImplementation());
    const r = await runAndJudge({
      adapter,
      reference,
      checks: suite.checks,
      rules: loadCatalog().rules,
      seed: 1,
      runs: 3,
      replayCommand: (id) => id,
    });
    await reference.close();
    expect(r.checks.filter((c) => c.verdict === "pass").map((c) => c.id)).toEqual([]);
    expect(r.checks.length).toBe(suite.checks.length);
  });
});
