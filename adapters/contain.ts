// Containment of an implementation under test: whatever it starts, the harness can find and kill.
//
// An ordinary program escapes a process group with one setsid() (a daemonizing grandchild), and escapes a
// walk of /proc descendants by outliving its parent (it is re-parented to init). Two mechanisms hold:
//
//  - "pid-namespace" (preferred): the command runs as `setpriv --pdeathsig KILL unshare --pid --fork
//    --kill-child /bin/sh -c COMMAND`. The shell is PID 1 of a new PID namespace; when it dies the kernel
//    kills every process in the namespace, and nothing inside can leave it. `--kill-child` ends the shell
//    when `unshare` dies, and `--pdeathsig` ends `unshare` when the harness dies, even by SIGKILL. Needs
//    root or unprivileged user namespaces (then `--user --map-root-user` is added); probed once per run.
//  - "process-tree" (fallback, e.g. a container whose seccomp profile forbids unshare): every process
//    started for an implementation carries a marker in its environment (ASL_CONFORM_JAIL=<token>); killing
//    stops each marked process (SIGSTOP, so none forks while the walk goes on), rescans /proc until no new
//    one appears, then sends SIGKILL to all. A program that clears its own environment escapes this one.
//
// `ASL_CONFORM_CONTAINMENT=process-tree` forces the fallback (tests exercise both). The harness also turns
// SIGINT, SIGTERM and SIGHUP into: kill every contained implementation, then exit with status 128+n.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { constants } from "node:os";

export type ContainmentKind = "pid-namespace" | "process-tree";

const JAIL_VAR = "ASL_CONFORM_JAIL";
const PIPE_GRACE_MS = 300;

interface Launcher {
  kind: ContainmentKind;
  /** The argv that runs a shell command under this containment. */
  argv(command: string): string[];
}

let launcher: Launcher | undefined;

function works(argv: string[]): boolean {
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: "ignore", timeout: 5000 });
  return r.status === 0;
}

/** Picks the strongest containment this machine allows (once per process). */
export function containment(): Launcher {
  if (launcher) return launcher;
  const forced = process.env.ASL_CONFORM_CONTAINMENT;
  const pdeath = process.platform === "linux" && works(["setpriv", "--pdeathsig", "KILL", "true"]);
  const prefix = pdeath ? ["setpriv", "--pdeathsig", "KILL"] : [];
  if (forced !== "process-tree" && process.platform === "linux") {
    for (const ns of [
      ["unshare", "--pid", "--fork", "--kill-child"],
      ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child"],
    ]) {
      if (works([...ns, "true"])) {
        launcher = { kind: "pid-namespace", argv: (c) => [...prefix, ...ns, "/bin/sh", "-c", c] };
        return launcher;
      }
    }
  }
  launcher = { kind: "process-tree", argv: (c) => [...prefix, "/bin/sh", "-c", c] };
  return launcher;
}

/** The processes (other than this one) whose environment carries `token`. */
function marked(token: string): number[] {
  if (process.platform !== "linux") return [];
  const needle = Buffer.from(`${JAIL_VAR}=${token}\0`);
  const found: number[] = [];
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return [];
  }
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`).includes(needle)) found.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {}
}

/** One contained implementation process (and everything it starts). */
export class Jail {
  readonly child: ChildProcess;
  readonly kind: ContainmentKind;
  private readonly token = randomBytes(12).toString("hex");
  private killed = false;

  /** `env`: variables added to the harness's own environment (a power-cut interposer's LD_PRELOAD, say). */
  constructor(command: string, cwd: string | undefined, env: Record<string, string> = {}) {
    const l = containment();
    this.kind = l.kind;
    const argv = l.argv(command);
    this.child = spawn(argv[0]!, argv.slice(1), {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true, // its own process group, so a terminal's ^C reaches the harness alone
      env: { ...process.env, ...env, [JAIL_VAR]: this.token },
    });
    jails.add(this);
    installSignalHandlers();
  }

  /**
   * Kills every process of this implementation, now (synchronous: also safe in an exit handler). The
   * harness's ends of the pipes are destroyed a moment later (PIPE_GRACE_MS), after what the processes
   * wrote before they died has been read, so no process that kept a pipe open can hold the harness.
   */
  kill(): void {
    if (this.killed) return;
    this.killed = true;
    jails.delete(this);
    const pid = this.child.pid;
    if (pid !== undefined) {
      // The group first: in a PID namespace this ends its init, and with it every process inside.
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        signal(pid, "SIGKILL");
      }
    }
    // Then whatever left the group (always, since it is cheap: a namespace's processes also carry the mark).
    const stopped = new Set<number>();
    for (let round = 0; round < 50; round++) {
      const fresh = marked(this.token).filter((p) => !stopped.has(p));
      if (fresh.length === 0) break;
      for (const p of fresh) {
        signal(p, "SIGSTOP");
        stopped.add(p);
      }
    }
    for (const p of stopped) signal(p, "SIGKILL");
    setTimeout(() => this.destroyPipes(), PIPE_GRACE_MS).unref();
  }

  /** Closes the harness's ends of the pipes, so a process that kept them open cannot hold the harness. */
  destroyPipes(): void {
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }

  /** The processes still alive that this implementation started (for tests and diagnostics). */
  survivors(): number[] {
    return marked(this.token);
  }
}

const jails = new Set<Jail>();
let handlersInstalled = false;

/** Kills every contained implementation of this process. */
export function killAllJails(): void {
  for (const j of [...jails]) j.kill();
}

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", killAllJails);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      killAllJails();
      try {
        process.stderr.write(`asl-conform: stopped by ${sig}; the implementation under test was killed\n`);
      } catch {}
      process.exit(128 + constants.signals[sig]);
    });
  }
}
