// npm run fuzz -- [--inputs N] [--seed S] [--save DIR]: mutates the golden segments (vectors/segments/**.atxi)
// deterministically from the seed and holds the reference reader to what it promises on every input.
// Classes: bit flips, boundary values written into u8/u16/u32/u64 fields, truncation, splicing two segments,
// byte runs inserted or removed; each also "+reseal", with footer_offset (for the classes that change the
// size) and the footer checksum made right again (DEC-006), so that defects past the checksum step are met.
// For each input: verifySegment either decodes it or refuses it with one AslError whose offset lies in the
// input; a decoded segment re-encodes to the same bytes (ATXI-INV-006); inspectSegment never throws and
// reports what the reader reports; a decoded segment alone and in a set with a valid golden segment
// answers the same queries with and without filters (DEC-007), or refuses with one typed error. Input i is
// derived from (seed, i) alone, so any crasher is reproducible; crashers are saved (bytes + a .json naming
// seed, index, class, base and what went wrong) under --save (default .tmp/fuzz-crashers). Exit 1 on any.
// Work per input is bounded (inputs stay within a few golden sizes; the reader is linear), so hangs are
// found by timing each input against a 2 s limit rather than with a worker per input.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getHeapStatistics } from "node:v8";
import { type AslError, isAslError } from "../reference/common/errors.ts";
import { SegmentSet } from "../reference/query/segment-set.ts";
import { type DecodedSegment, verifySegment } from "../reference/segment/decode.ts";
import { encodeSegment, sealChecksum, segmentInput } from "../reference/segment/encode.ts";
import { inspectSegment } from "../reference/segment/inspect.ts";
import { FOOTER_SIZE, H, MIN_SEGMENT_SIZE } from "../reference/segment/layout.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SEGMENTS_DIR = join(ROOT, "vectors/segments");
export const HANG_MS = 2000;
/** Crashers saved per kind at most (a systematic bug would otherwise fill the disk). */
const SAVE_LIMIT = 50;

export const BASE_CLASSES = ["bitflip", "boundary", "truncate", "splice", "insert", "remove"] as const;
export type BaseClass = (typeof BASE_CLASSES)[number];
export const CLASSES: readonly string[] = BASE_CLASSES.flatMap((c) => [c, `${c}+reseal`]);

// ---- randomness: one small generator per input, seeded from (seed, index) ----

/** splitmix32-style mixing of two integers into one 32-bit seed. */
function mix(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** mulberry32. */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  u64(): bigint {
    return (BigInt(this.int(2 ** 32)) << 32n) | BigInt(this.int(2 ** 32));
  }
}

// ---- the corpus ----

export interface Field {
  offset: number;
  size: 1 | 2 | 4 | 8;
}

export interface Base {
  name: string;
  bytes: Uint8Array;
  /** Fields the inspector lists (header, frames, records, refs, footer) plus aligned words of payloads. */
  fields: Field[];
  /** Decoded, when the golden segment is valid (a partner for the set queries). */
  decoded: DecodedSegment | undefined;
}

function listSegments(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith(".atxi")) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

export function loadCorpus(dir = SEGMENTS_DIR): Base[] {
  return listSegments(dir).map((file) => {
    const bytes = new Uint8Array(readFileSync(file));
    const report = inspectSegment(bytes);
    const fields: Field[] = [];
    for (const item of report.items) {
      for (const f of item.fields) {
        if (f.name === "payload") {
          // The words of a payload (filter headers and bodies, block contents) are fields too.
          for (let o = f.offset; o + 4 <= f.offset + f.size && o + 4 <= bytes.length; o += 4)
            fields.push(
              { offset: o, size: 4 },
              ...(o % 8 === 0 && o + 8 <= bytes.length ? [{ offset: o, size: 8 as const }] : []),
            );
        } else if (f.size === 1 || f.size === 2 || f.size === 4 || f.size === 8)
          fields.push({ offset: f.offset, size: f.size });
      }
    }
    const v = verifySegment(bytes.slice());
    return { name: relative(dir, file), bytes, fields, decoded: v.ok ? v.segment : undefined };
  });
}

// ---- mutations ----

const validCache = new WeakMap<readonly Base[], Base[]>();
function validOf(corpus: readonly Base[]): Base[] {
  let v = validCache.get(corpus);
  if (!v) {
    v = corpus.filter((b) => b.decoded !== undefined);
    validCache.set(corpus, v);
  }
  return v;
}

const MAX = { 1: 0xffn, 2: 0xffffn, 4: 0xffffffffn, 8: (1n << 64n) - 1n } as const;

function boundaryValues(size: 1 | 2 | 4 | 8, segSize: number): bigint[] {
  const n = BigInt(segSize);
  const max = MAX[size];
  const vals = [0n, 1n, 2n, 3n, max, max - 1n, (max + 1n) >> 1n, n, n - 1n, n + 1n, n - 8n, n + 8n, n - 32n];
  vals.push(n - BigInt(FOOTER_SIZE) + 8n, n / 2n, 64n, 24n, 32n, 96n);
  if (size >= 4) vals.push(0x7fffffffn, 0x80000000n);
  if (size === 8)
    vals.push((1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, 1n << 63n, (1n << 63n) - 1n, 1n << 32n);
  return vals.filter((v) => v >= 0n && v <= max);
}

function writeLe(b: Uint8Array, offset: number, size: number, v: bigint): void {
  for (let i = 0; i < size && offset + i < b.length; i++)
    b[offset + i] = Number((v >> BigInt(8 * i)) & 0xffn);
}

/** A length: aligned to 8 half the time (the footer check wants a multiple of 8), else any. */
function someLength(rng: Rng, max: number): number {
  const n = 1 + rng.int(Math.max(1, max));
  return rng.chance(0.5) ? Math.max(8, n - (n % 8)) : n;
}

function runOf(rng: Rng, n: number, near: Uint8Array, at: number): Uint8Array {
  const out = new Uint8Array(n);
  const kind = rng.int(4);
  if (kind === 1) out.fill(0xff);
  else if (kind === 2) for (let i = 0; i < n; i++) out[i] = rng.int(256);
  else if (kind === 3) out.set(near.subarray(at, at + n));
  return out;
}

/** Makes footer_offset and the footer checksum right for the bytes as they are (a no-op under 96 bytes). */
function reseal(b: Uint8Array, fixFooterOffset: boolean): void {
  if (b.length < MIN_SEGMENT_SIZE) return;
  if (fixFooterOffset)
    new DataView(b.buffer, b.byteOffset, b.byteLength).setBigUint64(
      H.footerOffset,
      BigInt(b.length - FOOTER_SIZE),
      true,
    );
  sealChecksum(b);
}

export interface Mutant {
  index: number;
  cls: string;
  base: string;
  /** The second base of a splice. */
  other?: string;
  bytes: Uint8Array;
}

/** A base: a valid golden segment three times in four (the malformed ones stop early), else any. */
function pickBase(rng: Rng, corpus: readonly Base[], valid: readonly Base[]): Base {
  return valid.length > 0 && rng.chance(0.75) ? rng.pick(valid) : rng.pick(corpus);
}

/** Input `index` of the run seeded `seed`: a pure function of the two and the corpus. */
export function mutant(corpus: readonly Base[], seed: number, index: number): Mutant {
  const rng = new Rng(mix(seed, index));
  const cls = CLASSES[index % CLASSES.length]!;
  const [baseCls, resealed] = cls.split("+") as [BaseClass, string | undefined];
  const valid = validOf(corpus);
  const base = pickBase(rng, corpus, valid);
  let b = base.bytes.slice();
  let other: string | undefined;
  switch (baseCls) {
    case "bitflip": {
      const flips = 1 + rng.int(rng.chance(0.7) ? 1 : 8);
      for (let k = 0; k < flips; k++) {
        const bit = rng.int(b.length * 8);
        b[bit >> 3] = b[bit >> 3]! ^ (1 << (bit & 7));
      }
      break;
    }
    case "boundary": {
      const writes = 1 + (rng.chance(0.8) ? 0 : rng.int(3));
      for (let k = 0; k < writes; k++) {
        // Most writes hit a real field; some hit any aligned word.
        const f: Field =
          base.fields.length > 0 && rng.chance(0.85)
            ? rng.pick(base.fields)
            : { offset: rng.int(b.length >> 2) << 2, size: rng.pick([2, 4, 8] as const) };
        writeLe(b, f.offset, f.size, rng.pick(boundaryValues(f.size, b.length)));
      }
      break;
    }
    case "truncate": {
      const keep = rng.chance(0.3) ? rng.int(MIN_SEGMENT_SIZE + 1) : rng.int(b.length);
      b = b.slice(0, rng.chance(0.5) ? keep - (keep % 8) : keep);
      break;
    }
    case "splice": {
      const o = pickBase(rng, corpus, valid);
      other = o.name;
      let cutA = rng.int(b.length + 1);
      let cutB = rng.int(o.bytes.length + 1);
      if (rng.chance(0.5)) {
        cutA -= cutA % 8;
        cutB -= cutB % 8;
      }
      const out = new Uint8Array(cutA + o.bytes.length - cutB);
      out.set(b.subarray(0, cutA), 0);
      out.set(o.bytes.subarray(cutB), cutA);
      b = out;
      break;
    }
    case "insert": {
      const at = rng.int(b.length + 1);
      const run = runOf(rng, someLength(rng, 64), b, at);
      const out = new Uint8Array(b.length + run.length);
      out.set(b.subarray(0, at), 0);
      out.set(run, at);
      out.set(b.subarray(at), at + run.length);
      b = out;
      break;
    }
    case "remove": {
      const at = rng.int(b.length);
      const n = Math.min(someLength(rng, 64), b.length - at);
      const out = new Uint8Array(b.length - n);
      out.set(b.subarray(0, at), 0);
      out.set(b.subarray(at + n), at);
      b = out;
      break;
    }
  }
  if (resealed) reseal(b, baseCls !== "bitflip" && baseCls !== "boundary");
  return { index, cls, base: base.name, ...(other ? { other } : {}), bytes: b };
}

// ---- the checks ----

export type CrashKind = "untyped" | "round-trip" | "inspect" | "query" | "hang";

export interface Crash {
  kind: CrashKind;
  detail: string;
}

export interface Outcome {
  decoded: boolean;
  /** The reader's code when refused. */
  code?: string;
  /** Set codes (QRY_*) the set openings were refused with. */
  setCodes: string[];
  crashes: Crash[];
  /**
   * V8's external memory (ArrayBuffers: every typed array the engine allocates) after the input minus
   * before: a cheap estimate that a garbage collection during the input makes smaller, never larger.
   */
  external: number;
}

/** What the fuzzer calls: the reference by default; a test substitutes a broken part to see it caught. */
export interface Engine {
  verify: typeof verifySegment;
  inspect: typeof inspectSegment;
  encode: typeof encodeSegment;
  openSet: (segs: DecodedSegment[]) => SegmentSet;
}

export const REFERENCE: Engine = {
  verify: verifySegment,
  inspect: inspectSegment,
  encode: encodeSegment,
  openSet: (segs) => SegmentSet.open(segs),
};

function describe(e: unknown): string {
  if (isAslError(e)) return `AslError ${e.describe()}`;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `non-Error thrown: ${String(e)}`;
}

const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x)) ?? "undefined";

/** Runs `f` with and without filters: equal answers, or the same typed error both times. */
function sameWithAndWithoutFilters(
  what: string,
  f: (useFilters: boolean) => unknown,
  crashes: Crash[],
): void {
  const run = (useFilters: boolean): { ok: string } | { err: unknown } => {
    try {
      return { ok: show(f(useFilters)) };
    } catch (e) {
      return { err: e };
    }
  };
  const a = run(true);
  const b = run(false);
  for (const r of [a, b])
    if ("err" in r && !isAslError(r.err)) {
      crashes.push({ kind: "untyped", detail: `${what} threw ${describe(r.err)}` });
      return;
    }
  const key = (r: typeof a) => ("ok" in r ? `ok ${r.ok}` : `error ${(r.err as AslError).code}`);
  if (key(a) !== key(b))
    crashes.push({ kind: "query", detail: `${what}: with filters ${key(a)}, without ${key(b)}` });
}

const U64_MAX = (1n << 64n) - 1n;

function queries(set: SegmentSet, seg: DecodedSegment, label: string, rng: Rng, crashes: Crash[]): void {
  const s = seg.toSegment();
  const some = <T>(xs: readonly T[], n: number): T[] =>
    xs.length <= n ? [...xs] : Array.from({ length: n }, () => rng.pick(xs));
  const snapshots = [
    seg.logseqMax,
    seg.logseqMin,
    0n,
    U64_MAX,
    ...some(s.aslRecords, 1).map((r) => r.logseq),
  ];
  const artifacts = [...some(s.aslRecords, 2).map((r) => r.artifactId), rng.u64(), 0n, U64_MAX];
  const edges = [...some(s.tgkRecords, 2).map((r) => r.tgkEdgeId), rng.u64()];
  const nodes = [...some(s.nodeRefs ?? [], 2).map((r) => r.nodeId), rng.u64()];
  for (const S of snapshots) {
    for (const k of artifacts)
      sameWithAndWithoutFilters(
        `${label} lookupArtifact(${S}, ${k})`,
        (u) => set.lookupArtifact(S, k, { useFilters: u }),
        crashes,
      );
    for (const k of edges)
      sameWithAndWithoutFilters(
        `${label} lookupEdge(${S}, ${k})`,
        (u) => set.lookupEdge(S, k, { useFilters: u }),
        crashes,
      );
    for (const n of nodes)
      for (const role of ["from", "to", "any"] as const)
        sameWithAndWithoutFilters(
          `${label} incidentEdges(${S}, ${n}, ${role})`,
          (u) => set.incidentEdges(S, n, role, { useFilters: u }),
          crashes,
        );
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Every check on one input. `partners` are decoded valid golden segments to open sets with. */
export function check(
  bytes: Uint8Array,
  partners: readonly DecodedSegment[],
  rng: Rng,
  engine: Engine = REFERENCE,
): Outcome {
  const crashes: Crash[] = [];
  const setCodes: string[] = [];
  const external = getHeapStatistics().external_memory;
  const out = (decoded: boolean, code?: string): Outcome => ({
    decoded,
    ...(code ? { code } : {}),
    setCodes,
    crashes,
    external: getHeapStatistics().external_memory - external,
  });

  let v: ReturnType<typeof verifySegment>;
  try {
    v = engine.verify(bytes);
  } catch (e) {
    crashes.push({ kind: "untyped", detail: `verifySegment threw ${describe(e)}` });
    return out(false);
  }
  if (!v.ok && (v.error.offset === undefined || v.error.offset < 0 || v.error.offset > bytes.length))
    crashes.push({
      kind: "untyped",
      detail: `${v.error.code} names offset ${v.error.offset}, outside the ${bytes.length}-byte input`,
    });

  // inspect: never throws, and reports what the reader reports.
  try {
    const r = engine.inspect(bytes);
    const said = r.error ? `${r.error.code} at ${r.error.offset}` : "ok";
    const truth = v.ok ? "ok" : `${v.error.code} at ${v.error.offset}`;
    if (said !== truth)
      crashes.push({ kind: "inspect", detail: `inspect says ${said}, the reader ${truth}` });
  } catch (e) {
    if (!(isAslError(e) && !v.ok && e.code === v.error.code))
      crashes.push({ kind: "inspect", detail: `inspectSegment threw ${describe(e)}` });
  }
  if (!v.ok) return out(false, v.error.code);

  // Round trip: the decoded segment re-encodes to the same bytes.
  const seg = v.segment;
  try {
    const again = engine.encode(segmentInput(seg.toSegment()));
    const at = equalBytes(again, bytes);
    if (at >= 0)
      crashes.push({
        kind: "round-trip",
        detail: `re-encoding gives ${again.length} bytes differing from the ${bytes.length} input bytes at offset ${at}`,
      });
  } catch (e) {
    crashes.push({ kind: "round-trip", detail: `re-encoding the decoded segment threw ${describe(e)}` });
  }

  // Queries: alone, and with a valid partner.
  const sets: [string, DecodedSegment[]][] = [["alone", [seg]]];
  const others = partners.filter((p) => p.segmentId !== seg.segmentId);
  if (others.length > 0) sets.push(["with a partner", [seg, rng.pick(others)]]);
  for (const [label, members] of sets) {
    let set: SegmentSet;
    try {
      set = engine.openSet(members);
    } catch (e) {
      if (isAslError(e)) setCodes.push(e.code);
      else crashes.push({ kind: "untyped", detail: `SegmentSet.open (${label}) threw ${describe(e)}` });
      continue;
    }
    queries(set, seg, label, rng, crashes);
  }
  return out(true);
}

// ---- the run ----

export interface FuzzOptions {
  inputs: number;
  seed: number;
  /** The first input's index (default 0): `--from I --inputs 1` replays input I. */
  from?: number;
  /** Where crashers go; undefined saves nothing. */
  save?: string;
  engine?: Engine;
  corpus?: Base[];
  onProgress?: (done: number) => void;
}

export interface ClassCount {
  inputs: number;
  decoded: number;
  refused: number;
  crashers: number;
}

export interface FuzzReport {
  inputs: number;
  seed: number;
  decoded: number;
  refused: number;
  byCode: Record<string, number>;
  setCodes: Record<string, number>;
  byClass: Record<string, ClassCount>;
  crashes: Record<CrashKind, number>;
  /** Inputs with at least one crash. */
  crashers: number;
  saved: string[];
  seconds: number;
  slowestMs: number;
  peakRssMiB: number;
  /** Largest growth of ArrayBuffer bytes over one input, divided by that input's size, and in bytes. */
  maxExternalRatio: number;
  maxExternalBytes: number;
}

export function runFuzz(opts: FuzzOptions): FuzzReport {
  const corpus = opts.corpus ?? loadCorpus();
  if (corpus.length === 0) throw new Error(`no golden segments under ${SEGMENTS_DIR}`);
  const partners = corpus.flatMap((b) => (b.decoded ? [b.decoded] : []));
  const engine = opts.engine ?? REFERENCE;
  const rep: FuzzReport = {
    inputs: 0,
    seed: opts.seed,
    decoded: 0,
    refused: 0,
    byCode: {},
    setCodes: {},
    byClass: Object.fromEntries(CLASSES.map((c) => [c, { inputs: 0, decoded: 0, refused: 0, crashers: 0 }])),
    crashes: { untyped: 0, "round-trip": 0, inspect: 0, query: 0, hang: 0 },
    crashers: 0,
    saved: [],
    seconds: 0,
    slowestMs: 0,
    peakRssMiB: 0,
    maxExternalRatio: 0,
    maxExternalBytes: 0,
  };
  const savedPerKind = new Map<CrashKind, number>();
  const started = performance.now();
  const from = opts.from ?? 0;
  for (let i = from; i < from + opts.inputs; i++) {
    const m = mutant(corpus, opts.seed, i);
    const t0 = performance.now();
    const o = check(m.bytes, partners, new Rng(mix(opts.seed ^ 0x5bd1e995, i)), engine);
    const ms = performance.now() - t0;
    if (ms > rep.slowestMs) rep.slowestMs = ms;
    if (ms > HANG_MS) o.crashes.push({ kind: "hang", detail: `took ${ms.toFixed(0)} ms (limit ${HANG_MS})` });
    if (m.bytes.length > 0 && o.external > 0) {
      rep.maxExternalRatio = Math.max(rep.maxExternalRatio, o.external / m.bytes.length);
      rep.maxExternalBytes = Math.max(rep.maxExternalBytes, o.external);
    }
    const c = rep.byClass[m.cls]!;
    rep.inputs++;
    c.inputs++;
    if (o.decoded) {
      rep.decoded++;
      c.decoded++;
    } else if (o.code) {
      rep.refused++;
      c.refused++;
      rep.byCode[o.code] = (rep.byCode[o.code] ?? 0) + 1;
    }
    for (const code of o.setCodes) rep.setCodes[code] = (rep.setCodes[code] ?? 0) + 1;
    if (o.crashes.length > 0) {
      rep.crashers++;
      c.crashers++;
      const kinds = [...new Set(o.crashes.map((x) => x.kind))];
      for (const k of kinds) rep.crashes[k]++;
      if (opts.save && kinds.some((k) => (savedPerKind.get(k) ?? 0) < SAVE_LIMIT)) {
        for (const k of kinds) savedPerKind.set(k, (savedPerKind.get(k) ?? 0) + 1);
        rep.saved.push(saveCrasher(opts.save, opts.seed, m, o.crashes));
      }
    }
    if (opts.onProgress && rep.inputs % 10000 === 0) opts.onProgress(rep.inputs);
  }
  rep.seconds = (performance.now() - started) / 1000;
  rep.peakRssMiB = process.resourceUsage().maxRSS / 1024;
  return rep;
}

function saveCrasher(dir: string, seed: number, m: Mutant, crashes: Crash[]): string {
  mkdirSync(dir, { recursive: true });
  const name = `seed${seed}-input${m.index}-${m.cls.replace("+", "-")}`;
  writeFileSync(join(dir, `${name}.atxi`), m.bytes);
  writeFileSync(
    join(dir, `${name}.json`),
    `${JSON.stringify(
      {
        seed,
        index: m.index,
        class: m.cls,
        base: m.base,
        ...(m.other ? { other: m.other } : {}),
        size: m.bytes.length,
        replay: `npm run fuzz -- --seed ${seed} --from ${m.index} --inputs 1`,
        crashes,
      },
      null,
      2,
    )}\n`,
  );
  return join(dir, `${name}.atxi`);
}

const top = (counts: Record<string, number>, n: number): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");

/** The one line the README quotes. */
export function summaryLine(r: FuzzReport): string {
  const rate = r.seconds > 0 ? Math.round(r.inputs / r.seconds) : r.inputs;
  return (
    `fuzz: ${r.inputs} inputs (seed ${r.seed}): ${r.crashes.untyped} untyped errors, ${r.crashes.hang} hangs, ` +
    `${r.crashes["round-trip"]} round-trip mismatches, ${r.crashes.inspect} inspect disagreements, ` +
    `${r.crashes.query} query disagreements; decoded ${r.decoded}, refused ${r.refused} (${top(r.byCode, 4)}${Object.keys(r.byCode).length > 4 ? ", ..." : ""}); ` +
    `${rate} inputs/s; slowest input ${r.slowestMs.toFixed(0)} ms; peak RSS ${Math.round(r.peakRssMiB)} MiB; ` +
    `largest ArrayBuffer growth over one input ${r.maxExternalRatio.toFixed(1)}x its size (at most ${r.maxExternalBytes} bytes)`
  );
}

export function classTable(r: FuzzReport): string {
  const rows = [
    `${"class".padEnd(18)}${"inputs".padStart(9)}${"decoded".padStart(9)}${"refused".padStart(9)}${"crashers".padStart(10)}`,
  ];
  for (const [c, n] of Object.entries(r.byClass))
    rows.push(
      `${c.padEnd(18)}${String(n.inputs).padStart(9)}${String(n.decoded).padStart(9)}${String(n.refused).padStart(9)}${String(n.crashers).padStart(10)}`,
    );
  rows.push(`refused by code: ${top(r.byCode, 50)}`);
  if (Object.keys(r.setCodes).length > 0) rows.push(`sets refused by code: ${top(r.setCodes, 10)}`);
  return rows.join("\n");
}

// ---- the command ----

const USAGE = "usage: npm run fuzz -- [--inputs N] [--seed S] [--from I] [--save DIR]";
export const DEFAULT_INPUTS = 50000;

function parseArgs(argv: string[]): { inputs: number; seed: number; from: number; save: string } {
  const opts = { inputs: DEFAULT_INPUTS, seed: 1, from: 0, save: join(ROOT, ".tmp/fuzz-crashers") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const whole = (v: string): number => {
      if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
        throw new UsageError(`${a} takes a whole number, not "${v}"`);
      return Number(v);
    };
    if (a === "--inputs") opts.inputs = whole(value());
    else if (a === "--seed") opts.seed = whole(value()) >>> 0;
    else if (a === "--from") opts.from = whole(value());
    else if (a === "--save") opts.save = resolve(value());
    else throw new UsageError(`unknown option ${a}`);
  }
  return opts;
}

class UsageError extends Error {}

function main(): number {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`fuzz: ${e.message}; ${USAGE}\n`);
    return 2;
  }
  const tty = process.stderr.isTTY;
  const r = runFuzz({
    ...args,
    onProgress: (n) => {
      if (tty) process.stderr.write(`\rfuzz: ${n}/${args.inputs}`);
    },
  });
  if (tty) process.stderr.write("\r\x1b[K");
  process.stdout.write(`${classTable(r)}\n`);
  if (r.crashers > 0)
    process.stdout.write(
      `${r.crashers} crashers; saved ${r.saved.length} under ${relative(process.cwd(), args.save) || "."}${r.saved.length < r.crashers ? ` (at most ${SAVE_LIMIT} per kind)` : ""}\n`,
    );
  process.stdout.write(`${summaryLine(r)}\n`);
  return r.crashers > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main();
}
