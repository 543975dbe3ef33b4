// The crash checks of the durability capability (DEC-041, spec/protocol.md section 8; STO-REC-002 and
// STO-REC-003). The harness starts the implementation as a process of its own (adapters/process.ts, in its
// containment: adapters/contain.ts), gives it an empty directory (store.open), drives a seeded workload of
// PUTs, tombstones and snapshots (harness/durability/schedule.ts), SIGKILLs its whole process group after
// the k-th acknowledgment, with a request in flight, or while store.open recovers, optionally rolls the
// directory back to what was durable (a simulated power cut), restarts it on the same directory and reads
// everything back:
//   - every acknowledged operation is there, with exactly the acknowledged bytes (STO-REC-003);
//   - the operation in flight is wholly applied or wholly absent (both admissible, and counted), never
//     half-applied; no bytes that are not what a PUT sent; nothing a prefix of the issued operations does
//     not explain (STO-REC-002);
//   - new PUTs are accepted once it has recovered.
// A failure prints its schedule and the command that replays it (`--seed S --crash-schedule N`). A crash
// of the implementation that the harness did not cause, or a hang, is a fault (inconclusive), as anywhere.
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statfsSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpName, Outcome, State } from "../../adapters/interface.ts";
import { AdapterStartError, ProcessAdapter } from "../../adapters/process.ts";
import type { Finding, Launch } from "../checks/types.ts";
import { describeSchedule, keyOf, type Op, operationsOf, type Schedule, stream } from "./schedule.ts";

/** What one power cut discarded. */
export interface CutSummary {
  /** Files whose content went back to their durable content. */
  files: number;
  bytes: number;
  /** Directory entries that were not durable (removed), and durable ones made again. */
  removed: number;
  restored: number;
}

/** A power-cut simulation: what the durability checks need of it (adapters/powercut). */
export interface PowerCut {
  /** Records the directory's present state as durable. */
  prepare(dir: string, shadow: string): Promise<void>;
  /** Environment that starts the implementation under the interposer. */
  env(dir: string, shadow: string): Record<string, string>;
  /**
   * After the kill: rolls the directory back to its last durable state, and says what that discarded. With
   * `lost`, every unsynced byte is lost (no torn tail is left, whatever the seed would choose).
   */
  cut(dir: string, shadow: string, lost?: boolean): Promise<CutSummary>;
  /**
   * Stops the implementation just before its `syncs`-th sync under the directory from now (0: never),
   * and tells whether it is stopped there: the kill "at a write" of a power-cut schedule lands there.
   */
  hold?(shadow: string, syncs: number): void;
  held?(shadow: string): boolean;
}

export class CrashFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Every file under `dir` with its size and modification time: what a write changes. */
function listing(dir: string): string {
  const out: string[] = [];
  for (const name of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    try {
      const st = statSync(join(dir, name), { bigint: true });
      out.push(`${name}\t${st.size}\t${st.mtimeNs}`);
    } catch {}
  }
  return out.join("\n");
}

const tick = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits, blocking this thread in steps of 20 µs, until the in-flight operation has written to its
 * `files`-th file of the directory (a file not written before grew or shrank, or a file appeared or went),
 * or `maxMs` passed before the first write, or `nextMs` after the last counted one (the operation may be
 * done writing). A PUT that writes its bytes and then its record is killed between the two with files = 1,
 * and with files = 2 right after the record's write, before it can be synced. The files present are
 * watched through open descriptors (an fstat costs a microsecond), and the listing is read again every few
 * steps for new files. Blocking on purpose: the kill must follow the write closely, and no answer needs
 * reading meanwhile (one that arrives is not acknowledged).
 */
async function untilChanged(
  dir: string,
  before: string,
  maxMs: number,
  written: Promise<void>,
  files = 1,
  nextMs = maxMs,
): Promise<void> {
  const watched = new Map<string, { fd: number; size: bigint; written: boolean }>();
  const names = () => (readdirSync(dir, { recursive: true }) as string[]).sort().join("\n");
  /** Watches the files not watched yet; those that appear while the operation runs count as written. */
  const watchNew = (written: boolean): void => {
    for (const name of readdirSync(dir, { recursive: true }) as string[]) {
      if (watched.has(name)) continue;
      try {
        const fd = openSync(join(dir, name), "r");
        watched.set(name, { fd, size: fstatSync(fd, { bigint: true }).size, written });
      } catch {}
    }
  };
  watchNew(false);
  let listed = before;
  let known = names();
  try {
    await written; // the whole request in the pipe first: this thread is blocked from here on
    let end = performance.now() + maxMs;
    for (let seen = 0, step = 0; performance.now() < end; step++) {
      let fresh = false;
      for (const f of watched.values()) {
        const size = fstatSync(f.fd, { bigint: true }).size;
        if (size === f.size) continue;
        f.size = size;
        if (!f.written) fresh = f.written = true;
      }
      if (!fresh && step % 16 === 15) {
        const now = listing(dir);
        if (now !== listed) {
          listed = now;
          const n = names();
          if (n !== known) {
            known = n;
            fresh = true;
            watchNew(true);
          }
        }
      }
      if (fresh) {
        if (++seen >= files) return;
        end = performance.now() + nextMs;
      }
      Atomics.wait(tick, 0, 0, 0.02);
    }
  } finally {
    for (const f of watched.values()) closeSync(f.fd);
  }
}

/** What a crash check counts, for its note and the README's figures. */
export interface Tally {
  schedules: number;
  crashes: number;
  afterAck: number;
  inFlight: number;
  /** Of those in flight, killed at their first write to the directory. */
  atWrite: number;
  duringOpen: number;
  /** Operations sent to be in flight whose answer came before the kill (then they were acknowledged). */
  answeredFirst: number;
  applied: number;
  absent: number;
  /** An in-flight snapshot: neither outcome leaves a trace the protocol shows without its id. */
  unobservable: number;
  /** Acknowledged operations read back after a crash (each counted once per schedule). */
  verified: number;
  /** Power cuts made, and what they discarded, summed. */
  cuts: CutSummary & { count: number };
}

export function newTally(): Tally {
  return {
    schedules: 0,
    crashes: 0,
    afterAck: 0,
    inFlight: 0,
    atWrite: 0,
    duringOpen: 0,
    answeredFirst: 0,
    applied: 0,
    absent: 0,
    unobservable: 0,
    verified: 0,
    cuts: { count: 0, files: 0, bytes: 0, removed: 0, restored: 0 },
  };
}

/**
 * Where the data directories go: a disk, not memory. Neither a kill nor the simulated power cut needs the
 * device (the page cache survives a kill; the interposer decides what a power cut keeps), but an fsync on
 * a disk takes time, and that gap is where a kill at an operation's first write lands in an
 * implementation that separates two writes by a sync. ASL_CONFORM_CRASH_DIR chooses another place.
 */
const TMPFS_MAGIC = 0x01021994;
export function scratchRoot(): string {
  const env = process.env.ASL_CONFORM_CRASH_DIR;
  if (env) return env;
  for (const d of [tmpdir(), "/var/tmp"]) {
    try {
      accessSync(d, constants.W_OK);
      if (statfsSync(d).type !== TMPFS_MAGIC) return d;
    } catch {}
  }
  return tmpdir();
}

function addCut(t: Tally, c: CutSummary): void {
  t.cuts.count++;
  t.cuts.files += c.files;
  t.cuts.bytes += c.bytes;
  t.cuts.removed += c.removed;
  t.cuts.restored += c.restored;
}

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => (ms < 0.5 ? setImmediate(resolve) : setTimeout(resolve, ms)));

export type Status = "pending" | "acked" | "applied" | "absent";
type Latency = Record<"large" | "small" | "tombstone" | "snapshot" | "open", number>;
const GUESS: Latency = { large: 20, small: 2, tombstone: 2, snapshot: 2, open: 20 };
const category = (op: Op): keyof Latency =>
  op.kind === "put" ? (op.large ? "large" : "small") : op.kind === "tombstone" ? "tombstone" : "snapshot";

export function request(op: Op): { op: OpName; args: unknown } {
  if (op.kind === "put")
    return { op: "store.put", args: { bytes: op.bytes, type_tag: null, structure: null } };
  if (op.kind === "tombstone") return { op: "ci.tombstone", args: { key: op.key } };
  return { op: "ci.snapshot", args: {} };
}

export function describeOp(op: Op, i: number): string {
  if (op.kind === "put") return `op #${i} (PUT of ${op.bytes.length} bytes, key ${op.key.slice(0, 12)}…)`;
  if (op.kind === "tombstone")
    return `op #${i} (tombstone of op #${op.target}'s key ${op.key.slice(0, 12)}…)`;
  return `op #${i} (snapshot)`;
}

/** The state a prefix of the issued operations gives: those acknowledged or applied, and maybe one more. */
interface Expected {
  position: number;
  /** key -> bytes visible, or null when a tombstone hides it; keys never PUT are absent. */
  keys: Map<string, Uint8Array | null>;
  /** acknowledged snapshot (op index) -> the keys visible in its state. */
  snaps: Map<number, Map<string, Uint8Array | null>>;
}

export function expected(ops: Op[], status: Status[], upto: number, plus?: number): Expected {
  const keys = new Map<string, Uint8Array | null>();
  const snaps = new Map<number, Map<string, Uint8Array | null>>();
  let position = 0;
  for (let i = 0; i < upto; i++) {
    const op = ops[i]!;
    if (!(status[i] === "acked" || status[i] === "applied" || i === plus)) continue;
    if (op.kind === "put") {
      keys.set(op.key, op.bytes);
      position++;
    } else if (op.kind === "tombstone") {
      keys.set(op.key, null);
      position++;
    } else if (status[i] === "acked") snaps.set(i, new Map(keys));
  }
  return { position, keys, snaps };
}

/** What the restarted implementation shows. */
interface Observed {
  position: string;
  gets: Map<string, Outcome<unknown>>;
  /** snapshot op index -> key -> lookup outcome. */
  lookups: Map<number, Map<string, Outcome<unknown>>>;
}

interface Diff {
  /** Identifies the observation, so the same difference under two candidate prefixes is recognised. */
  id: string;
  rule: "STO-REC-002" | "STO-REC-003";
  text: string;
}

export const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
export const errorOf = (o: Outcome<unknown>) => ("error" in o ? o.error : undefined);

export function diffs(
  e: Expected,
  obs: Observed,
  keyOp: Map<string, number>,
  ops: Op[],
  status: Status[],
  inflight: number | undefined,
): Diff[] {
  const out: Diff[] = [];
  const pos = Number(obs.position);
  if (pos !== e.position)
    out.push({
      id: "position",
      rule: pos < e.position ? "STO-REC-003" : "STO-REC-002",
      text:
        pos < e.position
          ? `CURRENT's position is ${obs.position}, before the ${e.position} of the acknowledged operations: entries were lost`
          : `CURRENT's position is ${obs.position}, past the ${e.position} this prefix of the issued operations explains`,
    });
  const lastAckedTombstone = (key: string) =>
    ops.some((op, i) => op.kind === "tombstone" && op.key === key && status[i] === "acked");
  for (const [key, got] of obs.gets) {
    const want = e.keys.get(key) ?? null;
    const at = keyOp.get(key)!;
    const what = `${describeOp(ops[at]!, at)}${at === inflight ? ", the operation in flight at the crash," : ""}`;
    const err = errorOf(got);
    if (!err) {
      const bytes = (got as { ok: { bytes: Uint8Array } }).ok.bytes;
      if (keyOf(bytes) !== key)
        out.push({
          id: `get ${key} torn`,
          rule: "STO-REC-002",
          text: `GET of ${what} returned ${bytes.length} bytes that are not what the PUT sent (${want ? `${want.length} bytes` : "no PUT of it was acknowledged"}): a torn or partial record`,
        });
      else if (want === null)
        out.push({
          id: `get ${key} visible`,
          rule: lastAckedTombstone(key) ? "STO-REC-003" : "STO-REC-002",
          text: lastAckedTombstone(key)
            ? `${what} is visible, but a tombstone of its key was acknowledged: the tombstone was lost`
            : `${what} is visible, but its PUT was never acknowledged nor in flight here`,
        });
      else if (!sameBytes(bytes, want))
        out.push({
          id: `get ${key} bytes`,
          rule: "STO-REC-002",
          text: `GET of ${what} returned other bytes`,
        });
    } else if (err.code === "STORE_NOT_FOUND") {
      if (want !== null)
        out.push({
          id: `get ${key} missing`,
          rule: "STO-REC-003",
          text: `GET of ${what} is STORE_NOT_FOUND, but its PUT was acknowledged: it was lost`,
        });
    } else
      out.push({
        id: `get ${key} error`,
        rule: want !== null && at !== inflight ? "STO-REC-003" : "STO-REC-002",
        text: `GET of ${what} answered ${err.code} (${err.message.slice(0, 160)})${at === inflight ? ": it is half-applied, its entry visible but its bytes unreadable" : want !== null ? ": an acknowledged PUT is unreadable" : ": an entry is visible but unreadable"}`,
      });
  }
  for (const [snap, keys] of e.snaps) {
    const got = obs.lookups.get(snap);
    if (!got) continue;
    let reported = false;
    for (const [key, o] of got) {
      const err = errorOf(o);
      if (err) {
        out.push({
          id: `snapshot ${snap}`,
          rule: "STO-REC-003",
          text: `the acknowledged snapshot of op #${snap} cannot be read (${err.code}: ${err.message.slice(0, 120)})`,
        });
        reported = true;
        break;
      }
      const found = (o as { ok: { found: boolean } }).ok.found;
      const want = (keys.get(key) ?? null) !== null;
      if (found !== want && !reported) {
        out.push({
          id: `snapshot ${snap} ${key}`,
          rule: "STO-REC-003",
          text: `at the acknowledged snapshot of op #${snap}, ${describeOp(ops[keyOp.get(key)!]!, keyOp.get(key)!)} is ${found ? "visible" : "absent"}, but was ${want ? "visible" : "absent"} when it was made`,
        });
        reported = true;
      }
    }
  }
  return out;
}

/** Batches of GETs whose answers stay far below the protocol's line limit. */
function chunks<T>(items: T[], size: (t: T) => number, budget: number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let used = 0;
  for (const it of items) {
    const n = size(it);
    if (cur.length > 0 && (used + n > budget || cur.length >= 1000)) {
      out.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(it);
    used += n;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

export function faultOf(o: Outcome<unknown>, what: string): CrashFault | undefined {
  if ("error" in o && o.fault) return new CrashFault(o.error.code, `${what}: ${o.error.message}`);
  return undefined;
}

export async function observe(
  impl: ProcessAdapter,
  position: string,
  ops: Op[],
  upto: number,
  snaps: Map<number, State>,
): Promise<Observed> {
  const keys = [...new Set(ops.slice(0, upto).flatMap((op) => (op.kind === "put" ? [op] : [])))];
  const gets = new Map<string, Outcome<unknown>>();
  for (const part of chunks(keys, (op) => op.bytes.length + 200, 4 * 1024 * 1024)) {
    const answers = await impl.batch(part.map((op) => ({ op: "store.get", args: { key: op.key } })));
    for (const [i, a] of answers.entries()) {
      const f = faultOf(a, "reading back after the restart");
      if (f) throw f;
      gets.set(part[i]!.key, a);
    }
  }
  const lookups = new Map<number, Map<string, Outcome<unknown>>>();
  const pairs = [...snaps].flatMap(([snap, at]) => keys.map((op) => ({ snap, at, key: op.key })));
  for (const part of chunks(pairs, () => 1, 2000)) {
    const answers = await impl.batch(
      part.map((p) => ({
        op: "ci.lookup",
        args: { key: p.key, at: { snapshot: p.at.snapshot, position: p.at.position } },
      })),
    );
    for (const [i, a] of answers.entries()) {
      const f = faultOf(a, "reading snapshots back after the restart");
      if (f) throw f;
      const p = part[i]!;
      if (!lookups.has(p.snap)) lookups.set(p.snap, new Map());
      lookups.get(p.snap)!.set(p.key, a);
    }
  }
  return { position, gets, lookups };
}

/** Starts the implementation as a process for a crash (no restarts: a crash is the harness's doing). */
export async function startImplementation(
  launch: Launch,
  env: Record<string, string>,
): Promise<ProcessAdapter> {
  try {
    return await ProcessAdapter.start({
      command: launch.command,
      ...(launch.cwd ? { cwd: launch.cwd } : {}),
      env,
      ...(launch.timeoutMs ? { timeoutMs: launch.timeoutMs } : {}),
      ...(launch.maxMessageBytes ? { maxMessageBytes: launch.maxMessageBytes } : {}),
      validate: launch.validate ?? false,
      maxRestarts: 0,
      harnessVersion: launch.harnessVersion ?? "0",
    });
  } catch (e) {
    if (e instanceof AdapterStartError) throw new CrashFault("PROTO_CRASH", e.message);
    throw e;
  }
}

export interface ScheduleResult {
  findings: Finding[];
  /** The schedule's description and what was in flight, for the report. */
  context: string;
}

/** Runs one schedule to its end, or to its first finding; throws CrashFault on a fault. */
export async function runSchedule(
  s: Schedule,
  launch: Launch,
  tally: Tally,
  power?: PowerCut,
  /** performance.now() after which no further crash of this schedule starts (its last recovery is still checked). */
  deadline = Number.POSITIVE_INFINITY,
): Promise<ScheduleResult & { cut: boolean }> {
  const root = scratchRoot();
  const dir = mkdtempSync(join(root, "asl-crash-"));
  const shadow = power ? mkdtempSync(join(root, "asl-crash-shadow-")) : "";
  let impl: ProcessAdapter | undefined;
  const context = `seed ${s.seed}, schedule ${s.index}: ${describeSchedule(s)}`;
  const found = (
    crash: string,
    ds: Diff[] | string,
    rule?: Diff["rule"],
  ): ScheduleResult & { cut: boolean } => {
    const list: Diff[] = typeof ds === "string" ? [{ id: "", rule: rule ?? "STO-REC-002", text: ds }] : ds;
    const byRule = new Map<string, string[]>();
    for (const d of list) byRule.set(d.rule, [...(byRule.get(d.rule) ?? []), d.text]);
    return {
      context,
      cut: false,
      findings: [...byRule].map(([r, texts]) => ({
        rules: [r],
        message: `schedule ${s.index}, ${crash}: ${texts.slice(0, 4).join("; ")}${texts.length > 4 ? `; and ${texts.length - 4} more` : ""}`,
      })),
    };
  };
  try {
    if (power) await power.prepare(dir, shadow);
    const env = power ? power.env(dir, shadow) : {};
    const start = () => startImplementation(launch, env);
    const latency: Latency = { ...GUESS };
    const open = async (a: ProcessAdapter) => {
      const t0 = performance.now();
      const o = await a.call("store.open", { dir });
      if ("ok" in o) latency.open = performance.now() - t0;
      return o;
    };
    const { ops } = operationsOf(s, 0);
    const status: Status[] = ops.map(() => "pending");
    const snaps = new Map<number, State>();
    const keyOp = new Map<string, number>();
    for (const [i, op] of ops.entries()) if (op.kind === "put") keyOp.set(op.key, i);
    const verified = new Set<number>();
    tally.schedules++;

    impl = await start();
    const first = await open(impl);
    const ff = faultOf(first, "store.open of an empty directory");
    if (ff) throw ff;
    if ("error" in first)
      return found(
        "before any crash",
        `store.open of an empty directory answered ${first.error.code}: ${first.error.message}`,
        "STO-REC-003",
      );
    if (first.ok.position !== "0")
      return found(
        "before any crash",
        `store.open of an empty directory gives position ${first.ok.position}, not 0`,
      );

    let next = 0;
    const send = async (op: Op, i: number): Promise<Outcome<unknown>> => {
      const r = request(op);
      const t0 = performance.now();
      const o = await impl!.call(r.op, r.args as never);
      if ("ok" in o) {
        latency[category(op)] = performance.now() - t0;
        status[i] = "acked";
        if (op.kind === "snapshot") snaps.set(i, o.ok as State);
      }
      return o;
    };
    let lives = 0;
    for (const [li, life] of s.lives.entries()) {
      if (li > 0 && performance.now() > deadline) break;
      lives++;
      const where = li === 0 ? "before the first crash" : `after crash ${li}`;
      for (let k = 0; k < life.ops; k++, next++) {
        const o = await send(ops[next]!, next);
        const f = faultOf(o, `${describeOp(ops[next]!, next)}, ${where}`);
        if (f) throw f;
        if ("error" in o)
          return found(
            where,
            `${describeOp(ops[next]!, next)} was refused: ${o.error.code}: ${o.error.message}${li > 0 ? " (a recovered store must take new operations)" : ""}`,
            li > 0 ? "STO-REC-002" : "STO-REC-003",
          );
      }
      // The crash.
      let inflight: number | undefined;
      let how = "killed right after an acknowledgment";
      if (life.end !== "after-ack") {
        const i = next++;
        const op = ops[i]!;
        let settled: Outcome<unknown> | undefined;
        // At a write under a power cut: just before the operation's write-th sync (the interposer stops the
        // process there), so that the bytes that sync was for are what the cut finds not durable.
        const holding = life.end === "at-write" && power?.hold !== undefined;
        if (holding) power.hold!(shadow, life.write);
        const before = life.end === "at-write" && !holding ? listing(dir) : undefined;
        const pending = send(op, i).then((o) => {
          settled = o;
        });
        // Up to a quarter past the time such an operation took: sometimes it completes first, or is applied
        // with its answer still unread when the kill lands. At-write: as soon as the directory changes.
        if (holding) {
          await impl.requestWritten();
          const end = performance.now() + 5000;
          while (!power.held!(shadow) && settled === undefined && performance.now() < end) await sleep(0.2);
        } else if (before)
          await untilChanged(
            dir,
            before,
            5000,
            impl.requestWritten(),
            life.write,
            Math.max(20, 2 * latency[category(op)]),
          );
        else await sleep(life.at * 1.25 * latency[category(op)]);
        const answered = settled;
        await impl.crash();
        if (holding) power.hold!(shadow, 0);
        await pending;
        if (answered && "ok" in answered) {
          tally.answeredFirst++;
          how = `${describeOp(op, i)} answered before the kill`;
        } else if (answered && "error" in answered && !answered.fault) {
          return found(
            where,
            `${describeOp(op, i)} was refused: ${answered.error.code}: ${answered.error.message}`,
          );
        } else {
          status[i] = "pending";
          snaps.delete(i);
          inflight = i;
          how = `killed with ${describeOp(op, i)} in flight`;
        }
        tally.inFlight++;
        if (life.end === "at-write") tally.atWrite++;
      } else {
        await impl.crash();
        tally.afterAck++;
      }
      tally.crashes++;
      if (power) addCut(tally, await power.cut(dir, shadow));
      const crash = `crash ${li + 1} (${how}${power ? ", then a power cut" : ""})`;
      if (life.openKill !== undefined) {
        impl = await start();
        const pending = open(impl);
        await sleep(life.openKill * latency.open);
        await impl.crash();
        await pending;
        tally.duringOpen++;
        tally.crashes++;
        if (power) addCut(tally, await power.cut(dir, shadow));
      }
      impl = await start();
      const reopened = await open(impl);
      const rf = faultOf(reopened, `store.open after ${crash}`);
      if (rf) throw rf;
      if ("error" in reopened)
        return found(
          crash,
          `store.open refused the directory: ${reopened.error.code}: ${reopened.error.message} (a crash leaves at most a torn tail, which recovery drops)`,
        );
      const obs = await observe(impl, reopened.ok.position, ops, next, snaps);
      const d0 = diffs(expected(ops, status, next), obs, keyOp, ops, status, inflight);
      const d1 =
        inflight === undefined
          ? undefined
          : diffs(expected(ops, status, next, inflight), obs, keyOp, ops, status, inflight);
      if (d0.length > 0 && (d1 === undefined || d1.length > 0)) {
        const both = d1 === undefined ? d0 : d0.filter((d) => d1.some((x) => x.id === d.id));
        if (both.length > 0) return found(crash, both);
        return found(
          crash,
          `${describeOp(ops[inflight!]!, inflight!)}, in flight at the crash, is half-applied: as if absent, ${d0
            .slice(0, 2)
            .map((d) => d.text)
            .join("; ")}; as if applied, ${d1!
            .slice(0, 2)
            .map((d) => d.text)
            .join("; ")}`,
        );
      }
      if (inflight !== undefined) {
        if (d0.length === 0 && d1!.length === 0) tally.unobservable++;
        else if (d0.length === 0) {
          status[inflight] = "absent";
          tally.absent++;
        } else {
          status[inflight] = "applied";
          tally.applied++;
        }
      }
      for (let i = 0; i < next; i++) if (status[i] === "acked") verified.add(i);
    }
    tally.verified += verified.size;
    // New PUTs after the last recovery: accepted, and read back.
    const r = stream(s.seed, s.index, 999_999);
    for (let k = 0; k < 2; k++) {
      const bytes = new TextEncoder().encode(
        `asl-conform crash seed ${s.seed} schedule ${s.index} new ${k} ${r()}`,
      );
      const p = await impl.call("store.put", { bytes, type_tag: null, structure: null });
      const pf = faultOf(p, "a new PUT after the last recovery");
      if (pf) throw pf;
      const g = "ok" in p ? await impl.call("store.get", { key: keyOf(bytes) }) : p;
      const gf = faultOf(g, "reading a new PUT back after the last recovery");
      if (gf) throw gf;
      if ("error" in g || !sameBytes((g.ok as { bytes: Uint8Array }).bytes, bytes))
        return found(
          `after crash ${lives}`,
          `a new PUT after recovery ${"error" in g ? `was refused or unreadable: ${g.error.code}: ${g.error.message}` : "reads back other bytes"}`,
        );
    }
    return { findings: [], context, cut: lives < s.lives.length };
  } finally {
    await impl?.crash();
    rmSync(dir, { recursive: true, force: true });
    if (shadow) rmSync(shadow, { recursive: true, force: true });
  }
}
