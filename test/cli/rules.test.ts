// The CLI as a user meets it: `asl-conform rules` and its errors, run as a child process.
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.ts";

describe("asl-conform rules", () => {
  it("--json prints every rule with id, level, source, capability, checks", () => {
    const r = cli(["rules", "--json"]);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as {
      id: string;
      level: string;
      source: { doc: string; section: string };
      capability: string;
      checks: unknown[];
    }[];
    expect(rules.length).toBeGreaterThan(90);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^(IDX|STO|ATXI)-/);
      expect(["MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"]).toContain(rule.level);
      expect(rule.source.doc).toBeTruthy();
      expect(rule.source.section).toBeTruthy();
      expect(Array.isArray(rule.checks)).toBe(true);
    }
  });

  it("prints a readable table with a summary line", () => {
    const r = cli(["rules"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^id\s+level\s+source/);
    expect(r.stdout).toMatch(
      /\d+ rules \(\d+ live: \d+ stated by a draft, \d+ implied, \d+ profile decisions\); \d+ without a check of the suite/,
    );
  });

  it("narrows to one capability, and refuses an unknown one with exit 2", () => {
    const ok = cli(["rules", "--json", "--capability", "filter-xor"]);
    expect(JSON.parse(ok.stdout).every((x: { capability: string }) => x.capability === "filter-xor")).toBe(
      true,
    );
    const bad = cli(["rules", "--capability", "teleport"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown capability "teleport"');
  });

  it("answers a wrong flag or command with exit 2 and a message, never a stack trace", () => {
    for (const args of [["rules", "--bogus"], ["no-such-command"]]) {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/error: unknown (option|command)/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("--help lists the commands", () => {
    const r = cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("rules");
  });
});
