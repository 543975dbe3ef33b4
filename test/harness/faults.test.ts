// The harness against implementations that crash, hang, write garbage, write a huge line, answer the
// wrong request, print on stdout, or speak another protocol version (adapters/misbehaving/proxy.js in
// front of the reference served over the process protocol). Each fault is reported as such, the
// implementation is restarted, the rest of the run passes, and no process is left behind.
import { execSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.ts";

const BACKEND = "node bin/asl-conform.js serve";

function leftovers(marker: string): string {
  try {
    return execSync(`pgrep -af ${JSON.stringify(marker)} || true`, { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.includes(marker) && !l.includes("pgrep"))
      .join("\n");
  } catch {
    return "";
  }
}

function misbehave(mode: string, n: number, extra: string[] = []) {
  const once = join(mkdtempSync(join(tmpdir(), "asl-fault-")), "once");
  const cmd = `node adapters/misbehaving/proxy.js ${mode} ${n} -- ${BACKEND}`;
  const r = cli(["run", "--adapter-cmd", cmd, "--capabilities", "tgk-edges", "--runs", "5", ...extra], {
    env: { ASL_MISBEHAVE_ONCE: once },
  });
  // Only this file starts the proxy, and its tests run one after another: any proxy or server still
  // running after a run is one the harness left behind.
  return { ...r, marker: `proxy.js ${mode} ${n}` };
}

const tail = (s: string) => s.trim().split("\n").at(-1) ?? "";

describe("faults in the implementation under test", () => {
  const cases: [string, string, string[]][] = [
    ["crash", "PROTO_CRASH", []],
    ["silent-exit", "PROTO_CRASH", []],
    ["hang", "PROTO_TIMEOUT", ["--timeout-ms", "1500"]],
    ["garbage", "PROTO_MALFORMED_MESSAGE", []],
    ["huge", "PROTO_OVERSIZE", ["--max-message-bytes", "1048576"]],
    ["wrong-id", "PROTO_WRONG_ID", []],
    ["stdout-noise", "PROTO_MALFORMED_MESSAGE", []],
  ];
  for (const [mode, code, extra] of cases) {
    it(`reports a ${mode} at the 5th request as ${code}, restarts the implementation, and completes the run: inconclusive, no rule failed`, () => {
      const r = misbehave(mode, 5, extra);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toContain(`ERROR `);
      expect(r.stdout).toContain(code);
      expect(r.stdout).toContain("misbehaving proxy:"); // the implementation's stderr tail is shown
      expect(r.stdout).toMatch(/verdict: inconclusive: 1 check interrupted by faults/);
      expect(r.stdout).not.toContain("Failures, by rule");
      expect(tail(r.stdout)).toMatch(/^\d+ passed, 0 failed, \d+ skipped, 1 errored \(\d+ checks\)$/);
      expect(Number(/^(\d+) passed/.exec(tail(r.stdout))?.[1])).toBeGreaterThan(10);
      expect(leftovers(r.marker)).toBe("");
      expect(leftovers("asl-conform.js serve")).toBe("");
    });
  }

  it("refuses to run an implementation that speaks another protocol version (exit 2)", () => {
    const r = misbehave("version", 1);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("PROTO_VERSION_MISMATCH");
    expect(r.stderr).toContain("asl-conform/0");
    expect(leftovers(r.marker)).toBe("");
  });
});
