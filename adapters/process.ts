// The process adapter: runs an implementation in any language as a child process speaking
// asl-conform/1 (spec/protocol.md) over stdin/stdout. It survives the implementation: a crash, a hang,
// a line that is not JSON (or nested past MAX_DEPTH), an answer to the wrong request, an oversize line or
// another protocol version becomes an Outcome with a PROTO_* code and `fault: true`; the implementation
// is killed (everything it started: adapters/contain.ts), restarted on the next call with the handshake
// replayed, and the run goes on. Restarts are budgeted per check (beginCheck), and after
// MAX_FAILED_STARTS handshakes in a row fail the implementation is given up for the rest of the run.
// Nothing is left running when close() returns, or when the harness exits or is signalled.
import type { ChildProcess } from "node:child_process";
import { Jail } from "./contain.ts";
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
  /** Environment variables for the implementation, on top of the harness's own. */
  env?: Record<string, string>;
  /** Per-request time limit. */
  timeoutMs?: number;
  /** Time limit for starting and answering hello (a runtime may take seconds to start on a loaded machine). */
  startupTimeoutMs?: number;
  maxMessageBytes?: number;
  /** Validate every request and result against the protocol schema. */
  validate?: boolean;
  /** Restarts allowed within one check (a property, a vector file); the next check gets a fresh budget. */
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
/** Handshakes that may fail in a row (across checks) before the implementation is given up for the run. */
const MAX_FAILED_STARTS = 3;
/** Nesting the protocol never needs; deeper answers are refused before anything recurses into them. */
export const MAX_DEPTH = 256;
/** How long close() waits for the answer to shutdown, then for the process to exit. */
const SHUTDOWN_ANSWER_MS = 1000;
const SHUTDOWN_EXIT_MS = 500;

/** Whether `v` nests deeper than `max` arrays and objects (iterative: any depth is safe to measure). */
export function nestsDeeperThan(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== "object") continue;
    if (d + 1 > max) return true;
    for (const y of Array.isArray(x) ? x : Object.values(x)) {
      if (y !== null && typeof y === "object") stack.push([y, d + 1]);
    }
  }
  return false;
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
  private jail: Jail | undefined;
  private pending: Pending | undefined;
  private nextId = 1;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private stderr = "";
  private restarts = 0;
  private restartsThisCheck = 0;
  private failedStarts = 0;
  private givenUp: string | undefined;
  private helloResult: HelloResult | undefined;
  private written: Promise<void> = Promise.resolve();
  private markWritten: (() => void) | undefined;
  private readonly opts: Required<Omit<ProcessAdapterOptions, "cwd" | "env">> & {
    cwd?: string;
    env?: Record<string, string>;
  };

  private constructor(opts: ProcessAdapterOptions) {
    this.opts = {
      timeoutMs: 10_000,
      startupTimeoutMs: 30_000,
      maxMessageBytes: 16 * 1024 * 1024,
      validate: false,
      maxRestarts: 3,
      harnessVersion: "0",
      ...opts,
    };
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

  /** How the implementation is contained ("pid-namespace" or "process-tree"; see adapters/contain.ts). */
  get containment(): string | undefined {
    return this.jail?.kind;
  }

  private spawnChild(): void {
    const jail = new Jail(this.opts.command, this.opts.cwd, this.opts.env);
    const child = jail.child;
    this.jail = jail;
    this.child = child;
    this.buffered = [];
    this.bufferedBytes = 0;
    child.stdout?.on("data", (chunk: Buffer) => this.onStdout(child, chunk));
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-STDERR_KEEP);
    });
    child.stdin?.on("error", () => {}); // EPIPE when the child died: reported through 'exit'.
    child.on("error", (e) => this.onChildGone(jail, `could not run "${this.opts.command}": ${e.message}`));
    child.on("exit", (code, signal) =>
      this.onChildGone(jail, `the implementation exited (${signal ? `signal ${signal}` : `status ${code}`})`),
    );
  }

  private onChildGone(jail: Jail, why: string): void {
    // Its children may live on (a daemon holding the pipes open): end them all.
    jail.kill();
    if (this.child !== jail.child) return;
    this.child = undefined;
    this.jail = undefined;
    this.settle(fault("PROTO_CRASH", why));
  }

  private settle(o: Outcome<unknown>): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve(o);
  }

  /** Kills the implementation after a fault, so the next call starts a fresh one. */
  private abandon(o: Outcome<unknown>): void {
    this.stop();
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
    if (nestsDeeperThan(msg, MAX_DEPTH)) {
      this.abandon(
        fault(
          "PROTO_MALFORMED_MESSAGE",
          `a message nests deeper than ${MAX_DEPTH} levels of arrays and objects (${line.length} bytes)`,
        ),
      );
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
    if (!child?.stdin) {
      this.markWritten?.();
      return Promise.resolve(fault("PROTO_CRASH", "the implementation is not running"));
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.abandon(fault("PROTO_TIMEOUT", `no answer to ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = { id, op, resolve, timer };
      const mark = this.markWritten;
      this.markWritten = undefined;
      // Written (flushed, or failed) once: by the write's callback, or by the pipe closing first. The
      // close listener goes as soon as the write completes, so large requests that meet backpressure do
      // not pile listeners up on a long-lived pipe.
      let marked = false;
      const done = () => {
        if (marked) return;
        marked = true;
        child.stdin?.off("close", done);
        mark?.();
      };
      if (!child.stdin?.write(`${JSON.stringify({ id, op, args: wireArgs })}\n`, done))
        child.stdin?.once("close", done);
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

  /** A new check begins: it gets its own restart budget. */
  beginCheck(): void {
    this.restartsThisCheck = 0;
  }

  /** Restarts of the implementation so far in this run. */
  get restartCount(): number {
    return this.restarts;
  }

  /** Makes sure a child is running and greeted; restarts it after a fault, within the budgets. */
  private async ensureUp(): Promise<Outcome<null>> {
    if (this.child) return { ok: null };
    if (this.givenUp) return fault("PROTO_CRASH", this.givenUp);
    if (this.restartsThisCheck >= this.opts.maxRestarts) {
      return fault(
        "PROTO_CRASH",
        `not restarted again within this check: ${this.restartsThisCheck} restarts already, the most one check may use; the next check starts it afresh`,
      );
    }
    this.restarts++;
    this.restartsThisCheck++;
    const h = await this.handshake();
    if ("error" in h) {
      this.failedStarts++;
      if (this.failedStarts >= MAX_FAILED_STARTS)
        this.givenUp = `given up for the rest of the run: ${this.failedStarts} restarts in a row failed (the last: ${h.error.code}: ${h.error.message})`;
      return fault(h.error.code, `restart ${this.restarts} failed: ${h.error.message}`);
    }
    this.failedStarts = 0;
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
    // requestWritten() follows this request from now on, even before it is sent (after ensureUp).
    this.markWritten?.();
    this.written = new Promise((resolve) => {
      this.markWritten = resolve;
    });
    const settle = <T>(o: T): T => {
      this.markWritten?.();
      return o;
    };
    const up = await this.ensureUp();
    if ("error" in up) return settle(up);
    const wire = toWire(args ?? {});
    if (this.opts.validate && !opts.unchecked) {
      const v = protocolViolation("args", op, wire);
      if (v)
        return settle({
          error: { code: "PROTO_BAD_REQUEST", message: `the harness built a bad request: ${v}` },
          fault: true,
        });
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

  /** Resolves once the last request asked for has been handed whole to the pipe (a long line takes turns). */
  requestWritten(): Promise<void> {
    return this.written;
  }

  /**
   * A crash on purpose (the durability checks): SIGKILL to the implementation's whole process group, now,
   * with no shutdown. A request in flight is answered with a PROTO_CRASH fault (its answer, if it was on its
   * way, is not read: what the harness had not received was not acknowledged). Resolves when the process
   * has exited and nothing it started is left, so its files can be examined or rolled back.
   */
  async crash(): Promise<void> {
    const child = this.child;
    const jail = this.jail;
    this.abandon(fault("PROTO_CRASH", "killed by the harness (a crash on purpose)"));
    if (!child || !jail) return;
    if (child.exitCode === null && child.signalCode === null)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    for (let i = 0; i < 100 && jail.survivors().length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private stop(): void {
    const jail = this.jail;
    this.child = undefined;
    this.jail = undefined;
    jail?.kill();
  }

  /**
   * Asks the implementation to shut down, closes its stdin, and waits a moment for it to exit; then kills
   * whatever is left of it. Bounded (SHUTDOWN_ANSWER_MS + SHUTDOWN_EXIT_MS), and leaves no timer behind.
   */
  async close(): Promise<void> {
    const child = this.child;
    const jail = this.jail;
    if (!child || !jail) return;
    await this.send("shutdown", {}, SHUTDOWN_ANSWER_MS);
    if (this.child === child) {
      child.stdin?.end();
      if (child.exitCode === null && child.signalCode === null) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          timer = setTimeout(resolve, SHUTDOWN_EXIT_MS);
          child.once("exit", () => resolve());
        });
        clearTimeout(timer);
      }
    }
    this.child = undefined;
    this.jail = undefined;
    jail.kill();
  }
}
