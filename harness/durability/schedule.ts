// Crash schedules of the durability checks (DEC-041, spec/protocol.md section 8): a pure function of the
// run's seed and a schedule number, so that a failure names the one schedule that replays it
// (`--seed S --crash-schedule N`). A schedule is one data directory and a sequence of lives of the
// implementation on it; each life makes some acknowledged operations and ends in a crash (after the last
// acknowledgment, or with one more operation in flight), and the restart's store.open may be killed too.
// The operations (PUTs small and large, tombstones of earlier PUTs, snapshots) derive from the same seed.
import { createHash } from "node:crypto";

/**
 * How a life ends: a kill right after the last acknowledgment; with the next operation in flight, the kill
 * timed as a fraction of that operation's time; or with the next operation in flight, the kill landing as
 * soon as the operation's first write reaches the directory (aimed at the gap between two writes).
 */
export type CrashEnd = "after-ack" | "in-flight" | "at-write";

export interface Life {
  /** Operations acknowledged in this life before the crash. */
  ops: number;
  /** How the life ends: a kill right after the last acknowledgment, or with the next operation in flight. */
  end: CrashEnd;
  /** For "in-flight": where the kill lands, as a fraction of the time such an operation took so far. */
  at: number;
  /**
   * For "at-write": the kill lands as the operation's `write`-th change to the directory lands (1: its
   * first write, the gap between a PUT's data and its record; 2: its second, typically the log record
   * written and not yet synced, which a power cut then tears).
   */
  write: number;
  /** When set, the restart's store.open is killed too, at this fraction of the time an open took so far. */
  openKill?: number;
}

export interface Schedule {
  seed: number;
  index: number;
  lives: Life[];
}

export type Op =
  | { kind: "put"; bytes: Uint8Array; key: string; large: boolean }
  | { kind: "tombstone"; key: string; target: number }
  | { kind: "snapshot" };

/** 32-bit mixing of (seed, a, b): independent streams per schedule and per operation. */
function mix(seed: number, a: number, b: number): number {
  let h =
    (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^
      Math.imul(a + 1, 0xc2b2ae35) ^
      Math.imul(b + 7, 0x27d4eb2f)) >>>
    0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A small PRNG (mulberry32) over one stream: numbers in [0, 1). */
export function stream(seed: number, a: number, b: number): () => number {
  let s = mix(seed, a, b);
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Schedule `index` of a run with `seed`: 2 to 4 crashes on one directory, the first at a write (at the
 * first write in even schedules, the second in odd ones; drawn for the others).
 */
export function scheduleOf(seed: number, index: number): Schedule {
  const r = stream(seed, index, 0);
  // Its own stream, so that adding the write's number left every other draw of a schedule as it was.
  const w = stream(seed, index, 0x77726974);
  const n = 2 + Math.floor(r() * 3);
  const lives: Life[] = [];
  for (let i = 0; i < n; i++) {
    const ops = 1 + Math.floor(r() * 10);
    const x = r();
    // Every directory's first crash is at a write (the kill hardest to survive, and it runs even when a
    // time budget cuts the schedule short); the others are drawn.
    const end: CrashEnd = i === 0 ? "at-write" : x < 0.35 ? "after-ack" : x < 0.7 ? "in-flight" : "at-write";
    const at = r();
    const killOpen = r() < 0.2;
    const openAt = r();
    const write = i === 0 ? 1 + (index % 2) : 1 + Math.floor(w() * 2);
    lives.push({ ops, end, at, write, ...(killOpen ? { openKill: openAt } : {}) });
  }
  return { seed, index, lives };
}

/** The schedules of a run that makes at least `crashes` crashes. */
export function schedulesFor(seed: number, crashes: number): Schedule[] {
  const out: Schedule[] = [];
  let total = 0;
  for (let i = 0; total < crashes; i++) {
    const s = scheduleOf(seed, i);
    out.push(s);
    total += s.lives.length;
  }
  return out;
}

/** Bytes of `n` from one stream, fast (whole 32-bit words), led by a header that makes every PUT unique. */
function bytesFor(seed: number, index: number, i: number, n: number): Uint8Array {
  const head = new TextEncoder().encode(`asl-conform crash seed ${seed} schedule ${index} op ${i}\n`);
  const out = new Uint8Array(head.length + n);
  out.set(head);
  let x = mix(seed, index, 1_000_000 + i) | 1;
  const words = Math.ceil(n / 4);
  const body = new Uint8Array(words * 4);
  const view = new Uint32Array(body.buffer);
  for (let w = 0; w < words; w++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    view[w] = x >>> 0;
  }
  out.set(body.subarray(0, n), head.length);
  return out;
}

/** Sizes: most PUTs small (up to 400 bytes), some large (64 KiB to 2 MiB) so that a kill can land mid-write. */
const LARGE_MIN = 64 * 1024;
const LARGE_SPAN = 2 * 1024 * 1024 - LARGE_MIN;

/**
 * Every operation a schedule issues, in order. `inFlight` holds the indexes of the operations a life sends
 * and then kills before their answer: those lean to large PUTs (a kill has more to land in), those killed
 * at their first write are PUTs, and the rest mix PUTs, tombstones of earlier PUTs' keys and snapshots.
 */
export function operationsOf(s: Schedule, extra: number): { ops: Op[]; inFlight: Set<number> } {
  const inFlight = new Set<number>();
  const atWrite = new Set<number>();
  let total = 0;
  for (const l of s.lives) {
    total += l.ops;
    if (l.end === "at-write") atWrite.add(total);
    if (l.end !== "after-ack") inFlight.add(total++);
  }
  total += extra;
  const ops: Op[] = [];
  const puts: number[] = [];
  for (let i = 0; i < total; i++) {
    const r = stream(s.seed, s.index, i + 1);
    const x = r();
    let op: Op;
    // A kill at a write is aimed at the gaps between a PUT's writes: that operation is always a PUT.
    if (atWrite.has(i)) op = put(s, i, x < 0.5, r);
    else if (inFlight.has(i) && x < 0.6) op = put(s, i, true, r);
    else if (i > 0 && x < 0.14) op = { kind: "snapshot" };
    else if (puts.length > 0 && x < 0.3) {
      const target = puts[Math.floor(r() * puts.length)]!;
      op = { kind: "tombstone", key: (ops[target] as { key: string }).key, target };
    } else op = put(s, i, r() < 0.15, r);
    if (op.kind === "put") puts.push(i);
    ops.push(op);
  }
  return { ops, inFlight };
}

function put(s: Schedule, i: number, large: boolean, r: () => number): Op {
  const n = large ? LARGE_MIN + Math.floor(r() * LARGE_SPAN) : Math.floor(r() * 401);
  const bytes = bytesFor(s.seed, s.index, i, n);
  return { kind: "put", bytes, key: keyOf(bytes), large };
}

const ordinal = (n: number) => (n === 1 ? "first" : n === 2 ? "second" : n === 3 ? "third" : `${n}th`);

/** One line per life, for a failure's report: what the schedule does. */
export function describeSchedule(s: Schedule): string {
  return s.lives
    .map(
      (l, i) =>
        `crash ${i + 1}: ${l.ops} acknowledged operation${l.ops === 1 ? "" : "s"}, then ${
          l.end === "after-ack"
            ? "the kill"
            : l.end === "at-write"
              ? `one more sent and the kill at its ${ordinal(l.write)} write to the directory (under a power cut: just before its ${ordinal(l.write)} sync)`
              : `one more sent and the kill at ${(l.at * 1.25).toFixed(2)} of such an operation's time`
        }${l.openKill !== undefined ? `; the restart's store.open killed at ${l.openKill.toFixed(2)} of its time` : ""}`,
    )
    .join("; ");
}

/** An artifact's key: the SHA-256 of its bytes (ASL/INDEXES/1). */
export function keyOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
