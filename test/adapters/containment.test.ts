// The harness against hostile implementations (adapters/misbehaving/proxy.js in front of the reference
// served over the process protocol): a daemonizing grandchild, a process tree that ignores EOF and
// signals, a slow answer, an answer nested a million deep, signals sent to the harness itself, and a
// property that faults once. Each run must end by itself, report the right PROTO code, and leave no process
// behind: every process the run started carries a tag in its environment (inherited from the harness), and
// /proc is searched for it afterwards. Both containments are exercised: the PID namespace (where this
// machine allows one) and the process-tree fallback.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ProcessAdapter } from "../../adapters/process.ts";
import { REPO_ROOT } from "../../catalog/load.ts";

const SERVE = "node bin/asl-conform.js serve";
/** A run that has not ended by itself after this long is a hang (the test then kills it and fails). */
const HANG_MS = 90_000;
vi.setConfig({ testTimeout: HANG_MS + 30_000 });

const namespaces =
  spawnSync("unshare", ["--pid", "--fork", "--kill-child", "true"], { stdio: "ignore" }).status === 0 ||
  spawnSync("unshare", ["--user", "--map-root-user", "--pid", "--fork", "--kill-child", "true"], {
    stdio: "ignore",
  }).status === 0;
const KINDS = namespaces ? ["pid-namespace", "process-tree"] : ["process-tree"];

/** The processes whose environment carries the tag. */
function tagged(tag: string): number[] {
  const needle = Buffer.from(`ASL_TEST_TAG=${tag}\0`);
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`).includes(needle)) out.push(Number(name));
    } catch {}
  }
  return out;
}

/** Processes with the tag other than the harness itself, once SIGKILLs have had time to land (≤ 2 s). */
async function leftAfter(tag: string, harnessPid: number | undefined): Promise<number[]> {
  let left: number[] = [];
  for (let i = 0; i < 40; i++) {
    left = tagged(tag).filter((p) => p !== harnessPid);
    if (left.length === 0) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const p of left) {
    try {
      process.kill(p, "SIGKILL"); // clean up after a failing test
    } catch {}
  }
  return left;
}

interface Ran {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  hung: boolean;
  left: number[];
  log: string;
}

function harness(args: string[], env: Record<string, string>) {
  const tag = randomUUID();
  const dir = mkdtempSync(join(tmpdir(), "asl-hostile-"));
  const logFile = join(dir, "log");
  const child = spawn(process.execPath, ["bin/asl-conform.js", "run", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, FORCE_COLOR: "0", ASL_TEST_TAG: tag, ASL_MISBEHAVE_LOG: logFile, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => {
    stdout += c;
  });
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  const done = (async (): Promise<Ran> => {
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, HANG_MS);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      // 'exit', not 'close': a process that kept the harness's pipes open must not hide that the harness ended.
      child.on("exit", (c, s) => resolve([c, s])),
    );
    clearTimeout(timer);
    const left = await leftAfter(tag, child.pid);
    let log = "";
    try {
      log = readFileSync(logFile, "utf8");
    } catch {}
    return { code, signal, stdout, stderr, hung, left, log };
  })();
  return { child, tag, done };
}

function proxy(mode: string, n: number, backend = SERVE): string {
  return `node adapters/misbehaving/proxy.js ${mode} ${n} -- ${backend}`;
}
/** A backend that starts fast, for tests that restart it many times. */
const PYTHON = "python3 adapters/examples/python/adapter.py";

describe.each(KINDS)("containment (%s)", (kind) => {
  const env = { ASL_CONFORM_CONTAINMENT: kind };

  it("a grandchild that calls setsid and keeps stdout and stderr open: the run ends, nothing is left", async () => {
    const r = await harness(
      ["--adapter-cmd", proxy("daemon", 3), "--capabilities", "tgk-edges", "--runs", "3", "--quiet"],
      env,
    ).done;
    expect(r.hung, "the harness hung").toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.log).toContain("daemon");
    expect(r.left).toEqual([]);
  });

  it("a process tree that ignores EOF on stdin and SIGTERM: the run ends, all of it is killed", async () => {
    const r = await harness(
      ["--adapter-cmd", proxy("ignore-eof", 0), "--capabilities", "tgk-edges", "--runs", "3", "--quiet"],
      env,
    ).done;
    expect(r.hung, "the harness hung").toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.left).toEqual([]);
  });
});

describe("signals to the harness", () => {
  for (const [sig, n] of [
    ["SIGINT", 2],
    ["SIGTERM", 15],
    ["SIGHUP", 1],
  ] as const) {
    it(`${sig}: kills the implementation (which ignores signals and EOF) and exits with ${128 + n}`, async () => {
      const h = harness(["--adapter-cmd", proxy("ignore-eof", 0), "--runs", "500", "--quiet"], {});
      // Wait until the implementation's whole tree runs (proxy, server, two sleepers), then signal the harness.
      for (let i = 0; i < 400 && tagged(h.tag).length < 5; i++) await new Promise((r) => setTimeout(r, 50));
      expect(tagged(h.tag).length).toBeGreaterThanOrEqual(5);
      (h.child as ChildProcess).kill(sig);
      const r = await h.done;
      expect(r.hung, "the harness hung").toBe(false);
      expect(r.code).toBe(128 + n);
      expect(r.stderr).toContain(`stopped by ${sig}`);
      expect(r.left).toEqual([]);
    });
  }
});

describe("answers the harness refuses", () => {
  it("an answer slower than --timeout-ms is PROTO_TIMEOUT; the run goes on and ends", async () => {
    const once = join(mkdtempSync(join(tmpdir(), "asl-once-")), "once");
    const r = await harness(
      [
        "--adapter-cmd",
        proxy("slow", 5),
        "--capabilities",
        "tgk-edges",
        "--runs",
        "3",
        "--timeout-ms",
        "1500",
        "--quiet",
      ],
      { ASL_MISBEHAVE_ONCE: once, ASL_MISBEHAVE_DELAY_MS: "4000" },
    ).done;
    expect(r.hung).toBe(false);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stdout).toContain("PROTO_TIMEOUT");
    expect(r.stdout).toMatch(/no answer to [\w.]+ within 1500 ms/);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed, \d+ skipped, 1 errored/);
    expect(r.left).toEqual([]);
  });

  it("an answer nested 1,000,000 deep is PROTO_MALFORMED_MESSAGE (no stack overflow)", async () => {
    const once = join(mkdtempSync(join(tmpdir(), "asl-once-")), "once");
    const r = await harness(
      ["--adapter-cmd", proxy("deep", 5), "--capabilities", "tgk-edges", "--runs", "3", "--quiet"],
      { ASL_MISBEHAVE_ONCE: once },
    ).done;
    expect(r.hung).toBe(false);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stdout).toContain("PROTO_MALFORMED_MESSAGE");
    expect(r.stdout).toContain("nests deeper than 256 levels");
    expect(r.stdout).not.toContain("call stack");
    expect(r.stdout).toMatch(/\d+ passed, 0 failed, \d+ skipped, 1 errored/);
    expect(r.left).toEqual([]);
  });
});

describe("restart budget", () => {
  it("a fault inside a property ends the property: no shrinking into more faults", async () => {
    // Every process hangs at its 3rd ci.put: before, shrinking re-ran the property into timeout after timeout.
    const r = await harness(
      [
        "--adapter-cmd",
        proxy("hang", 3),
        "--check",
        "prop/content-index-model",
        "--timeout-ms",
        "1000",
        "--quiet",
      ],
      { ASL_MISBEHAVE_OP: "ci.put" },
    ).done;
    expect(r.hung).toBe(false);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stdout).toContain("PROTO_TIMEOUT");
    expect(r.stdout).toContain("the property was abandoned");
    expect(r.log.trim().split("\n")).toHaveLength(1);
    expect(r.left).toEqual([]);
  });

  it("is per check: a check that used up its restarts leaves the next check a fresh budget", async () => {
    // Every process crashes at its first ci.put; other operations work.
    const a = await ProcessAdapter.start({
      command: `ASL_MISBEHAVE_OP=ci.put ${proxy("crash", 1, PYTHON)}`,
      cwd: REPO_ROOT,
    });
    try {
      const put = { bytes: new Uint8Array([1, 2, 3]) } as never;
      for (let check = 0; check < 9; check++) {
        a.beginCheck();
        const codes: string[] = [];
        for (let i = 0; i < 5; i++) {
          const o = await a.call("ci.put", put);
          codes.push("error" in o ? o.error.code : "ok");
        }
        // the running process, then 3 restarts, each crashing; then no more restarts in this check
        expect(codes).toEqual(["PROTO_CRASH", "PROTO_CRASH", "PROTO_CRASH", "PROTO_CRASH", "PROTO_CRASH"]);
        const last = await a.call("ci.put", put);
        expect("error" in last && last.error.message).toContain("not restarted again within this check");
      }
      a.beginCheck();
      const o = await a.call("shard.assign", { key: "1", shards: 4 } as never);
      expect(o).toHaveProperty("ok");
      expect(a.restartCount).toBe(28); // 9 checks x 3, and the last one: more than the old run-wide budget of 25
    } finally {
      await a.close();
    }
  });

  it("gives an implementation up for the rest of the run after 3 failed restarts in a row", async () => {
    const flag = join(mkdtempSync(join(tmpdir(), "asl-start-")), "started");
    // starts once; every later start exits before answering hello
    const a = await ProcessAdapter.start({
      command: `if [ -e ${flag} ]; then exit 1; fi; touch ${flag}; ASL_MISBEHAVE_OP=ci.put ${proxy("crash", 1, PYTHON)}`,
      cwd: REPO_ROOT,
    });
    try {
      const put = { bytes: new Uint8Array([1]) } as never;
      const messages: string[] = [];
      for (let check = 0; check < 3; check++) {
        a.beginCheck();
        for (let i = 0; i < 2; i++) {
          const o = await a.call("ci.put", put);
          messages.push("error" in o ? o.error.message : "ok");
        }
      }
      expect(messages.at(-1)).toContain("given up for the rest of the run: 3 restarts in a row failed");
      expect(a.restartCount).toBe(3);
    } finally {
      await a.close();
    }
  });
});
