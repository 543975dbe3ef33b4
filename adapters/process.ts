// The process adapter: runs an implementation in any language as a child process speaking
// asl-conform/1 (spec/protocol.md) over stdin/stdout. It survives the implementation: a crash, a hang,
// a line that is not JSON, an answer to the wrong request, an oversize line or another protocol version
// becomes an Outcome with a PROTO_* code and `fault: true`; the process is killed (its whole process
// group), restarted on the next call with the handshake replayed, and the run goes on. Nothing is left
// running when close() returns or the harness exits.
import { type ChildProcess, spawn } from "node:child_process";
import type {
  Adapter,
  CallOptions,
  HelloResult,
  OpArgs,
  OpName,
  OpResult,
  Outcome,
  WireError,
} from "./interface.ts";
import { PROFILE, PROTOCOL_VERSION } from "./interface.ts";
import { protocolViolation } from "./validate.ts";
import { resultFromWire, toWire } from "./wire.ts";

export interface ProcessAdapterOptions {
  /** Shell command that starts the implementation. */
  command: string;
  cwd?: string;
  /** Per-request time limit. */
  timeoutMs?: number;
  /** Time limit for starting and answering hello (a runtime may take seconds to start on a loaded machine). */
  startupTimeoutMs?: number;
  maxMessageBytes?: number;
  /** Validate every request and result against the protocol schema. */
  validate?: boolean;
  /** Give up restarting after this many restarts. */
  maxRestarts?: number;
  harnessVersion?: string;
}

/** The implementation could not be started or did not complete the handshake: the run cannot be done. */
export class AdapterStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdapterStartError";
  }
}

const STDERR_KEEP = 64 * 1024;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    try {
      child.kill("SIGKILL");
    } catch {}
  }
  live.delete(child);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const c of live) killGroup(c);
  });
}

interface Pending {
  id: number;
  op: string;
  resolve: (o: Outcome<unknown>) => void;
  timer: NodeJS.Timeout;
}

function fault(code: string, message: string): Outcome<never> {
  return { error: { code, message }, fault: true };
}

export class ProcessAdapter implements Adapter {
  private child: ChildProcess | undefined;
  private pending: Pending | undefined;
  private nextId = 1;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private stderr = "";
  private restarts = 0;
  private helloResult: HelloResult | undefined;
  private readonly opts: Required<Omit<ProcessAdapterOptions, "cwd">> & { cwd?: string };

  private constructor(opts: ProcessAdapterOptions) {
    this.opts = {
      timeoutMs: 10_000,
      startupTimeoutMs: 30_000,
      maxMessageBytes: 16 * 1024 * 1024,
      validate: false,
      maxRestarts: 25,
      harnessVersion: "0",
      ...opts,
    };
    installExitHook();
  }

  /** Starts the implementation and completes the handshake, or throws AdapterStartError saying why. */
  static async start(opts: ProcessAdapterOptions): Promise<ProcessAdapter> {
    const a = new ProcessAdapter(opts);
    const hello = await a.handshake();
    if ("error" in hello) {
      a.stop();
      const tail = a.stderrTail().trim();
      throw new AdapterStartError(
        `the implementation did not complete the hello handshake: ${hello.error.code}: ${hello.error.message}${tail ? `\n--- its stderr (last lines) ---\n${tail}` : ""}`,
      );
    }
    return a;
  }

  get hello(): HelloResult {
    if (!this.helloResult) throw new Error("no handshake yet");
    return this.helloResult;
  }

  /** stderr and stdout are separate pipes: what the process wrote on stderr just before a fault may arrive after it. */
  flushDiagnostics(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 150));
  }

  stderrTail(lines = 20): string {
    return this.stderr
      .split("\n")
      .slice(-lines - 1)
      .join("\n");
  }

  private spawnChild(): void {
    const child = spawn("/bin/sh", ["-c", this.opts.command], {
      cwd: this.opts.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    live.add(child);
    this.child = child;
    this.buffered = [];
    this.bufferedBytes = 0;
    child.stdout?.on("data", (chunk: Buffer) => this.onStdout(child, chunk));
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-STDERR_KEEP);
    });
    child.stdin?.on("error", () => {}); // EPIPE when the child died: reported through 'exit'.
    child.on("error", (e) => this.onChildGone(child, `could not run "${this.opts.command}": ${e.message}`));
    child.on("exit", (code, signal) =>
      this.onChildGone(
        child,
        `the implementation exited (${signal ? `signal ${signal}` : `status ${code}`})`,
      ),
    );
  }

  private onChildGone(child: ChildProcess, why: string): void {
    // The shell may be gone while its children live on: end the whole group.
    killGroup(child);
    if (this.child !== child) return;
    this.child = undefined;
    this.settle(fault("PROTO_CRASH", why));
  }

  private settle(o: Outcome<unknown>): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve(o);
  }

  /** Kills the child after a fault, so the next call starts a fresh one. */
  private abandon(o: Outcome<unknown>): void {
    const child = this.child;
    this.child = undefined;
    if (child) killGroup(child);
    this.settle(o);
  }

  private onStdout(child: ChildProcess, chunk: Buffer): void {
    if (this.child !== child) return;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const part = chunk.subarray(start, nl);
      const line =
        this.bufferedBytes > 0
          ? Buffer.concat([...this.buffered, part]).toString("utf8")
          : part.toString("utf8");
      this.buffered = [];
      this.bufferedBytes = 0;
      start = nl + 1;
      if (line.length + 1 > this.opts.maxMessageBytes) {
        this.abandon(
          fault(
            "PROTO_OVERSIZE",
            `a line of ${line.length} bytes exceeds the limit of ${this.opts.maxMessageBytes}`,
          ),
        );
        return;
      }
      if (line.trim() !== "") this.onLine(line);
      if (this.child !== child) return;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      this.buffered.push(rest);
      this.bufferedBytes += rest.length;
      if (this.bufferedBytes > this.opts.maxMessageBytes) {
        this.abandon(
          fault(
            "PROTO_OVERSIZE",
            `a line grew past the limit of ${this.opts.maxMessageBytes} bytes without ending`,
          ),
        );
      }
    }
  }

  private onLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.abandon(
        fault(
          "PROTO_MALFORMED_MESSAGE",
          `the implementation wrote a line that is not JSON: ${JSON.stringify(line.slice(0, 120))}`,
        ),
      );
      return;
    }
    if (!msg || typeof msg !== "object" || Array.isArray(msg)) {
      this.abandon(fault("PROTO_MALFORMED_MESSAGE", `a line is not a JSON object: ${line.slice(0, 120)}`));
      return;
    }
    const m = msg as { id?: unknown; ok?: unknown; error?: unknown };
    const p = this.pending;
    if (!p) {
      this.abandon(fault("PROTO_WRONG_ID", `an unrequested message arrived (id ${JSON.stringify(m.id)})`));
      return;
    }
    if (m.id !== p.id) {
      this.abandon(
        fault(
          "PROTO_WRONG_ID",
          `the answer names request ${JSON.stringify(m.id)}, but request ${p.id} (${p.op}) was outstanding`,
        ),
      );
      return;
    }
    if ("error" in m) {
      const e = m.error as Partial<WireError> | undefined;
      if (!e || typeof e !== "object" || typeof e.code !== "string") {
        this.abandon(
          fault("PROTO_MALFORMED_MESSAGE", `request ${p.id} (${p.op}): "error" is not {code, message}`),
        );
        return;
      }
      this.settle({ error: { ...e, code: e.code, message: typeof e.message === "string" ? e.message : "" } });
      return;
    }
    if (!("ok" in m)) {
      this.abandon(
        fault(
          "PROTO_MALFORMED_MESSAGE",
          `request ${p.id} (${p.op}): the answer has neither "ok" nor "error"`,
        ),
      );
      return;
    }
    if (this.opts.validate) {
      const v = protocolViolation("result", p.op, m.ok);
      if (v) {
        this.settle(fault("PROTO_MALFORMED_MESSAGE", v));
        return;
      }
    }
    this.settle({ ok: resultFromWire(p.op, m.ok) });
  }

  private send(op: string, wireArgs: unknown, timeoutMs = this.opts.timeoutMs): Promise<Outcome<unknown>> {
    const child = this.child;
    if (!child?.stdin) return Promise.resolve(fault("PROTO_CRASH", "the implementation is not running"));
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.abandon(fault("PROTO_TIMEOUT", `no answer to ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = { id, op, resolve, timer };
      child.stdin?.write(`${JSON.stringify({ id, op, args: wireArgs })}\n`);
    });
  }

  private async handshake(): Promise<Outcome<HelloResult>> {
    this.spawnChild();
    const o = await this.send(
      "hello",
      {
        protocol: PROTOCOL_VERSION,
        profile: PROFILE,
        harness: { name: "asl-conform", version: this.opts.harnessVersion },
      },
      Math.max(this.opts.timeoutMs, this.opts.startupTimeoutMs),
    );
    if ("error" in o) return o as Outcome<HelloResult>;
    const v = protocolViolation("result", "hello", o.ok);
    if (v) {
      this.abandon({ ok: null });
      return fault("PROTO_MALFORMED_MESSAGE", v);
    }
    const h = o.ok as HelloResult;
    if (h.protocol !== PROTOCOL_VERSION) {
      this.abandon({ ok: null });
      return fault(
        "PROTO_VERSION_MISMATCH",
        `the implementation speaks ${JSON.stringify(h.protocol)}; this harness speaks ${PROTOCOL_VERSION}`,
      );
    }
    this.helloResult = h;
    return { ok: h };
  }

  /** Makes sure a child is running and greeted; restarts it after a fault. */
  private async ensureUp(): Promise<Outcome<null>> {
    if (this.child) return { ok: null };
    if (this.restarts >= this.opts.maxRestarts) {
      return fault("PROTO_CRASH", `gave up after ${this.restarts} restarts of the implementation`);
    }
    this.restarts++;
    const h = await this.handshake();
    if ("error" in h) return fault(h.error.code, `restart ${this.restarts} failed: ${h.error.message}`);
    return { ok: null };
  }

  async call<O extends OpName>(
    op: O,
    args: OpArgs<O>,
    opts: CallOptions = {},
  ): Promise<Outcome<OpResult<O>>> {
    return (await this.raw(op, args, opts)) as Outcome<OpResult<O>>;
  }

  private async raw(op: string, args: unknown, opts: CallOptions = {}): Promise<Outcome<unknown>> {
    const up = await this.ensureUp();
    if ("error" in up) return up;
    const wire = toWire(args ?? {});
    if (this.opts.validate && !opts.unchecked) {
      const v = protocolViolation("args", op, wire);
      if (v)
        return {
          error: { code: "PROTO_BAD_REQUEST", message: `the harness built a bad request: ${v}` },
          fault: true,
        };
    }
    return this.send(op, wire);
  }

  async batch(
    requests: { op: OpName; args: unknown }[],
    opts: CallOptions = {},
  ): Promise<Outcome<unknown>[]> {
    if (requests.length === 0) return [];
    const o = await this.raw(
      "batch",
      { requests: requests.map((r) => ({ op: r.op, args: r.args ?? {} })) },
      opts,
    );
    if ("error" in o) return requests.map(() => o);
    const responses = (o.ok as { responses?: unknown }).responses;
    if (!Array.isArray(responses) || responses.length !== requests.length) {
      const bad = fault(
        "PROTO_MALFORMED_MESSAGE",
        `batch of ${requests.length} answered with ${Array.isArray(responses) ? responses.length : "no"} responses`,
      );
      this.abandon({ ok: null });
      return requests.map(() => bad);
    }
    return responses.map((r, i) => {
      const op = requests[i]!.op;
      if (r && typeof r === "object" && "ok" in r) {
        if (this.opts.validate) {
          const v = protocolViolation("result", op, (r as { ok: unknown }).ok);
          if (v) return fault("PROTO_MALFORMED_MESSAGE", v);
        }
        return { ok: resultFromWire(op, (r as { ok: unknown }).ok) };
      }
      if (
        r &&
        typeof r === "object" &&
        "error" in r &&
        typeof (r as { error: { code?: unknown } }).error?.code === "string"
      ) {
        const e = (r as { error: WireError }).error;
        return { error: { ...e, message: typeof e.message === "string" ? e.message : "" } };
      }
      return fault("PROTO_MALFORMED_MESSAGE", `batch response ${i} is neither {ok} nor {error}`);
    });
  }

  reset(): Promise<Outcome<Record<string, never>>> {
    return this.call("reset" as OpName, {} as never) as Promise<Outcome<Record<string, never>>>;
  }

  private stop(): void {
    const child = this.child;
    this.child = undefined;
    if (child) killGroup(child);
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    await Promise.race([this.send("shutdown", {}), new Promise((r) => setTimeout(r, 2000))]);
    child.stdin?.end();
    const exited = new Promise<void>((r) => {
      if (child.exitCode !== null || child.signalCode !== null) r();
      else child.once("exit", () => r());
    });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    this.child = undefined;
    killGroup(child);
  }
}
