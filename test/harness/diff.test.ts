// `asl-conform diff` on a real change: a rule tightened from SHOULD to MUST, a statement reworded, a rule
// deleted instead of retired, against a saved report of an implementation that fails the tightened rule.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../catalog/load.ts";
import { cli } from "../helpers/cli.ts";

function tree(edit?: (rulesFile: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "asl-diff-"));
  cpSync(join(REPO_ROOT, "spec"), join(dir, "spec"), { recursive: true });
  cpSync(join(REPO_ROOT, "vectors"), join(dir, "vectors"), { recursive: true });
  if (edit) {
    const p = join(dir, "spec/rules/asl-store-index.yaml");
    writeFileSync(p, edit(readFileSync(p, "utf8")));
  }
  return dir;
}

describe("asl-conform diff", () => {
  const base = tree();
  const tightened = tree((t) =>
    t
      .replace(/(id: STO-SNAP-005\n\s+level: )SHOULD/, "$1MUST")
      .replace(
        "Every snapshot has a SnapshotID that stays the same",
        "Every snapshot keeps one SnapshotID, the same",
      ),
  );

  it("[STO-SNAP-005] names a rule tightened from SHOULD to MUST, and the implementations it would newly fail", () => {
    const reports = mkdtempSync(join(tmpdir(), "asl-reports-"));
    const run = cli([
      "run",
      "--quiet",
      "--capabilities",
      "content-index",
      "--report-dir",
      join(reports, "impl-a"),
    ]);
    expect(run.code).toBe(0);
    // A saved report of an implementation whose SnapshotIDs are not derived as DEC-018 says (a SHOULD today).
    const p = join(reports, "impl-a", "report.json");
    const report = JSON.parse(readFileSync(p, "utf8"));
    report.implementation = { name: "impl-a", version: "2.0", language: "rust" };
    const rule = report.rules.find((r: { id: string }) => r.id === "STO-SNAP-005");
    Object.assign(rule, { verdict: "fail", failing: ["trace/ci-snapshots"] });
    writeFileSync(p, JSON.stringify(report));
    const r = cli(["diff", base, "--against", tightened, "--reports", reports]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("STO-SNAP-005 level: SHOULD -> MUST");
    expect(r.stdout).toContain("STO-SNAP-001 statement changed");
    expect(r.stdout).toMatch(
      /Impact on impl-a 2\.0[^\n]*:\n\s+newly fails STO-SNAP-005 \(SHOULD -> MUST\), failing checks: trace\/ci-snapshots/,
    );
    expect(r.stdout).toMatch(/re-run needed for 2 added or changed rules: STO-SNAP-001, STO-SNAP-005/);
    const md = cli(["diff", base, "--against", tightened, "--reports", reports, "--markdown"]);
    expect(md.stdout).toMatch(/^## Spec change impact/);
    expect(md.stdout).toContain("- STO-SNAP-005 level: SHOULD -> MUST");
  });

  it("refuses a rule that disappeared instead of being retired (exit 1)", () => {
    const deleted = tree((t) => t.replace(/ {2}- id: STO-CUR-003\n[\s\S]*?(?= {2}- id: STO-CUR-004)/, ""));
    const r = cli(["diff", base, "--against", deleted]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain("rule STO-CUR-003 disappeared: mark it retired");
  });

  it("reads a git ref as the base, and refuses a base that is neither a ref nor a tree (exit 2)", () => {
    const r = cli(["diff", "HEAD"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Spec change impact/);
    const bad = cli(["diff", "no-such-ref-or-dir"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"no-such-ref-or-dir" is neither a directory holding spec/ nor a git ref');
  });
});
