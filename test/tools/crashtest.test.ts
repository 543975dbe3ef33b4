// npm run crashtest with small counts: the kill -9 loop, the cut and flip sweeps and the damage cases
// all pass, and the final line says nothing acknowledged was lost and no byte destroyed (DEC-038).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../catalog/load.ts";

describe("crashtest", () => {
  it("[STO-REC-001][STO-REC-002][STO-REC-003] survives 3 kills and every cut, flip and damage case with 0 lost and 0 bytes destroyed", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "tools/crashtest.ts"), "--kills", "3", "--seed", "7"],
      { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
    );
    const lines = r.stdout.trim().split("\n");
    expect(r.stderr).toBe("");
    expect(lines.filter((l) => /^\([abcd]\) /.test(l))).toHaveLength(4);
    expect(lines.at(-1)).toMatch(
      /^kills: 3, acknowledged operations verified: \d+, lost: 0, bytes destroyed: 0, cut cases: \d+ ok, flip cases: \d+ ok, damage cases: 8 ok$/,
    );
    expect(r.status).toBe(0);
  }, 240_000);

  it("refuses an unknown option with exit 2", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "tools/crashtest.ts"), "--bogus"],
      {
        cwd: REPO_ROOT,
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("usage: npm run crashtest");
  });
});
