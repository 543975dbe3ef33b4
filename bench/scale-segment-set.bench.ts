// The segment-set scale bench (heavy: runs only when named, e.g. `npm run bench -- --json scale`): ASL
// records written as segment files by the streamed writer into a temporary directory (removed after),
// opened as DiskSegments (positional reads; in memory only headers, filters and a sparse index) and looked
// up at CURRENT and at an older snapshot, with and without filters. The set is sharded (DEC-024) and laid
// out as a log: each generation is one segment per shard, keys repeat every `gens / 2` generations (the
// newer record shadows, one in 16 of them a tombstone), so lookups meet shadowing, tombstones and
// snapshots. `--size N` sets the records of the main rows (default 1e8). Also: lookup cost against the
// number of segments (1e7 records), incident edges over 10,000 one-edge segments, and compaction.
// Figures are reported, never asserted; a lookup that answers wrongly stops the bench.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmix64Halves, MIX, mulHi32 } from "../reference/filters/mix.ts";
import { compactToFile } from "../reference/query/compact.ts";
import { SegmentSet } from "../reference/query/segment-set.ts";
import { decodeSegment } from "../reference/segment/decode.ts";
import { encodeSegment } from "../reference/segment/encode.ts";
import { DiskSegment } from "../reference/segment/file.ts";
import { verifySegmentFile } from "../reference/segment/file-verify.ts";
import { writeSegmentFile } from "../reference/segment/file-writer.ts";
import { edgeId } from "../reference/tgk/edge.ts";
import { type Benchmark, type BenchResult, measure, scaleSize } from "./framework.ts";

const M64 = (1n << 64n) - 1n;
const BATCH = 65_536;

interface Layout {
  records: number;
  gens: number;
  shards: number;
}

interface Built {
  dir: string;
  layout: Layout;
  /** Records per generation (every generation the same, so keys line up across generations). */
  perGen: number;
  segments: DiskSegment[];
  set: SegmentSet;
  writeMs: number;
  openMs: number;
  bytes: number;
}

/** The lattice of keys of a generation: key j = off + j x stride (even: odd keys are never present). */
function lattice(perGen: number, g: number, gens: number): { stride: bigint; off: bigint } {
  const stride = (((1n << 64n) / BigInt(perGen)) >> 1n) << 1n;
  const cls = BigInt(g % Math.max(1, Math.floor(gens / 2)));
  const off = ((((cls + 1n) * 0x9e3779b97f4a7c15n) & M64) % stride) & ~1n;
  return { stride, off };
}

/** DEC-024 on key words (what shard() computes from a bigint). */
function shardOfWords(hi: number, lo: number, n: number): number {
  fmix64Halves(hi, lo);
  return mulHi32(MIX[1]!, n);
}

/** Writes the layout's segment files and opens them as a set. */
function build(layout: Layout): Built {
  const { records, gens, shards } = layout;
  const perGen = Math.floor(records / gens);
  const half = Math.max(1, Math.floor(gens / 2));
  const dir = mkdtempSync(join(tmpdir(), "asl-scale-seg-"));
  const paths: string[] = [];
  const shardOf: number[] = [];
  let bytes = 0;
  const t0 = performance.now();
  const route = new Uint32Array(perGen);
  for (let g = 0; g < gens; g++) {
    const { stride, off } = lattice(perGen, g, gens);
    const sHi = Number(stride >> 32n);
    const sLo = Number(stride & 0xffffffffn);
    const counts = new Array<number>(shards).fill(0);
    const walk = (f: (j: number, hi: number, lo: number) => void) => {
      let hi = Number(off >> 32n);
      let lo = Number(off & 0xffffffffn);
      for (let j = 0; j < perGen; j++) {
        f(j, hi, lo);
        const sum = lo + sLo;
        lo = sum >>> 0;
        hi = (hi + sHi + (sum > 0xffffffff ? 1 : 0)) >>> 0;
      }
    };
    walk((j, hi, lo) => {
      const s = shards === 1 ? 0 : shardOfWords(hi, lo, shards);
      route[j] = s;
      counts[s]!++;
    });
    // Each shard's segment gets its own run of logseqs (segments of a set never share one, ATXI-VIS-005),
    // dealt to its records by a permutation so that logseq order is not key order.
    const buffers = counts.map((c) => new Uint32Array(6 * c));
    const fill = new Array<number>(shards).fill(0);
    const firstLogseq: number[] = [];
    let next = g * perGen + 1;
    for (let s = 0; s < shards; s++) {
      firstLogseq.push(next);
      next += counts[s]!;
    }
    const mult = counts.map((c) => (c % 7919 === 0 ? 7927 : 7919));
    walk((j, hi, lo) => {
      const s = route[j]!;
      const i = fill[s]!++;
      const w = buffers[s]!;
      const ls = firstLogseq[s]! + ((i * mult[s]!) % counts[s]!);
      const x = 6 * i;
      w[x] = ls >>> 0;
      w[x + 1] = Math.floor(ls / 2 ** 32);
      w[x + 2] = lo;
      w[x + 3] = hi;
      if (g >= half && j % 16 === 0) {
        w[x + 4] = 0;
        w[x + 5] = 1 << 16; // tombstone flag, no type tag
      } else {
        w[x + 4] = j & 0xffff;
        w[x + 5] = 1; // has_type_tag
      }
    });
    for (let s = 0; s < shards; s++) {
      const c = counts[s]!;
      if (c === 0) continue;
      const w = buffers[s]!;
      const path = join(dir, `g${g}-s${s}.seg`);
      const r = writeSegmentFile(path, {
        segmentId: BigInt(g * shards + s + 1),
        logseqMin: BigInt(firstLogseq[s]!),
        logseqMax: BigInt(firstLogseq[s]! + c - 1),
        asl: {
          count: c,
          *batches() {
            for (let i = 0; i < c; i += BATCH) {
              const sub = w.subarray(6 * i, 6 * Math.min(c, i + BATCH));
              yield new Uint8Array(sub.buffer, sub.byteOffset, sub.byteLength);
            }
          },
        },
        blooms: [1],
      });
      bytes += r.bytes;
      paths.push(path);
      shardOf.push(s);
    }
  }
  const writeMs = performance.now() - t0;
  const t1 = performance.now();
  const segments = paths.map((p) => DiskSegment.open(p));
  const set = SegmentSet.open(segments, { shards: { count: shards, of: shardOf } });
  const openMs = performance.now() - t1;
  return { dir, layout, perGen, segments, set, writeMs, openMs, bytes };
}

function release(b: Built): void {
  for (const s of b.segments) s.close();
  rmSync(b.dir, { recursive: true, force: true });
}

const live = new Set<Built>();
process.on("exit", () => {
  for (const b of live) release(b);
});

/** Query keys: even ones from the lattices (with the generation and index they came from), odd ones absent. */
function queries(b: Built, n: number, seed = 0x2545f4914f6cdd1dn): { key: bigint; g: number; j: number }[] {
  const out: { key: bigint; g: number; j: number }[] = [];
  let x = seed;
  for (let q = 0; q < n; q++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & M64;
    if (q % 2 === 1) {
      out.push({ key: x | 1n, g: -1, j: -1 });
      continue;
    }
    const g = Number((x >> 40n) % BigInt(b.layout.gens));
    const j = Number((x >> 8n) % BigInt(b.perGen));
    const { stride, off } = lattice(b.perGen, g, b.layout.gens);
    out.push({ key: off + BigInt(j) * stride, g, j });
  }
  return out;
}

/** The newest generation below `below` holding key (g, j), or -1. */
function newestGen(b: Built, g: number, below: number): number {
  const half = Math.max(1, Math.floor(b.layout.gens / 2));
  let best = -1;
  for (let h = g % half; h < below; h += half) best = h;
  return best;
}

/** Looks the queries up at S and checks every answer at CURRENT against the layout; returns found / total. */
function check(b: Built, qs: ReturnType<typeof queries>, s: bigint, current: boolean): number {
  let found = 0;
  const half = Math.max(1, Math.floor(b.layout.gens / 2));
  for (const q of qs) {
    const r = b.set.lookupArtifact(s, q.key);
    if (r !== undefined) found++;
    if (!current) continue;
    const newest = q.g < 0 ? -1 : newestGen(b, q.g, b.layout.gens);
    const want = newest >= 0 && !(newest >= half && q.j % 16 === 0);
    if (
      want !== (r !== undefined) ||
      (r !== undefined && (r.artifactId !== q.key || r.typeTag !== (q.j & 0xffff)))
    )
      throw new Error(
        `scale bench: lookup of ${q.key} at CURRENT answered ${JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}` : v))}`,
      );
  }
  return found / qs.length;
}

function lookupRows(
  prefix: string,
  layout: Layout,
  variants: { filters: boolean; snapshot: "current" | "older" }[],
): Benchmark[] {
  let built: Built | undefined;
  return variants.map(
    (v, k): Benchmark => ({
      name: `${prefix}/lookup`,
      heavy: true,
      params: {
        records: layout.records,
        segments: layout.gens * layout.shards,
        shards: layout.shards,
        filters: String(v.filters),
        snapshot: v.snapshot,
      },
      run(): BenchResult {
        if (built === undefined) {
          built = build(layout);
          live.add(built);
        }
        const b = built;
        const qs = queries(b, 4096);
        // Older: the snapshot at the end of generation 3/4 of the log (later generations take no part).
        const S = v.snapshot === "current" ? M64 : BigInt(Math.floor((3 * layout.gens) / 4) * b.perGen);
        const foundRate = check(b, qs, S, v.snapshot === "current");
        const useFilters = v.filters;
        // The row's figure: keys no earlier lookup of this process touched (a fresh seed per row), each
        // looked up once, for at most 2 s: their blocks were never read by a lookup, so at 1e9 records
        // (25 GB of files) they come from the disk or from whatever the page cache still holds of the
        // writing, never from an earlier pass over the same keys.
        const fresh = queries(b, 1 << 16, 0x9e3779b97f4a7c15n + BigInt(k + 1) * 0x2545f4914f6cdd1dn);
        let done = 0;
        const t0 = process.hrtime.bigint();
        const limit = 2_000_000_000n;
        while (done < fresh.length && (done & 255 || process.hrtime.bigint() - t0 < limit))
          b.set.lookupArtifact(S, fresh[done++]!.key, { useFilters });
        const coldNs = Number(process.hrtime.bigint() - t0);
        // Then the same 4,096 keys over and over for 1 s (their blocks cached after the first pass).
        let i = 0;
        const warm = measure(() => {
          for (let n = 0; n < 256; n++, i = (i + 1) % qs.length)
            b.set.lookupArtifact(S, qs[i]!.key, { useFilters });
          return 256;
        }, 1000);
        const r = { ops_per_s: done / (coldNs / 1e9), ns_per_op: coldNs / done };
        const rss = process.memoryUsage().rss;
        const out: BenchResult = {
          ...r,
          rss_bytes: rss,
          extra: {
            us_per_lookup: r.ns_per_op / 1000,
            fresh_keys_looked_up: done,
            warm_ops_per_s: warm.ops_per_s,
            warm_us_per_lookup: warm.ns_per_op / 1000,
            found_rate: foundRate,
            write_s: b.writeMs / 1000,
            open_s: b.openMs / 1000,
            file_bytes: b.bytes,
            records_actual: b.perGen * layout.gens,
          },
        };
        if (k === variants.length - 1) {
          release(b);
          live.delete(b);
          built = undefined;
        }
        return out;
      },
    }),
  );
}

const RECORDS = scaleSize(1e8);
const ALL_VARIANTS = [
  { filters: true, snapshot: "current" as const },
  { filters: false, snapshot: "current" as const },
  { filters: true, snapshot: "older" as const },
  { filters: false, snapshot: "older" as const },
];
const SCALING = Math.min(RECORDS, 1e7);
const COMPACT = Math.min(RECORDS, 2e6);
const big = (_: string, v: unknown) => (typeof v === "bigint" ? `${v}` : v);

/**
 * The main layout: 8 shards, and generations of at most 12.5 million records (8 at 1e8, 80 at 1e9), so the
 * generator holds at most one generation (300 MB) while the writer streams it.
 */
const MAIN: Layout = { records: RECORDS, gens: Math.max(8, Math.ceil(RECORDS / 12_500_000)), shards: 8 };

export const benchmarks: Benchmark[] = [
  ...lookupRows("scale/segment-set", MAIN, ALL_VARIANTS),
  // Lookup cost against the number of segments, unsharded.
  ...[1, 10, 100, 1000].flatMap((gens) =>
    lookupRows("scale/segment-set/by-segments", { records: SCALING, gens, shards: 1 }, [
      { filters: true, snapshot: "current" },
      { filters: false, snapshot: "current" },
    ]),
  ),
  {
    name: "scale/segment-set/verify",
    heavy: true,
    params: { records: SCALING, segments: 1 },
    run(): BenchResult {
      // One segment file never opened by this process, verified by streaming (every DEC-027 check).
      const b = build({ records: SCALING, gens: 1, shards: 1 });
      try {
        const path = b.segments[0]!.path;
        const rss0 = process.memoryUsage().rss;
        const t = performance.now();
        const v = verifySegmentFile(path);
        const s = (performance.now() - t) / 1000;
        if (!v.ok) throw new Error(`scale bench: the written segment does not verify: ${v.error.message}`);
        v.segment.close();
        const rss = process.memoryUsage().rss;
        return {
          ops_per_s: 1 / s,
          bytes_per_s: b.bytes / s,
          rss_bytes: rss,
          extra: { verify_s: s, file_bytes: b.bytes, rss_growth_bytes: rss - rss0 },
        };
      } finally {
        release(b);
      }
    },
  },
  {
    name: "scale/segment-set/compact",
    heavy: true,
    params: { records: COMPACT, segments: 100, retained: 1 },
    run(): BenchResult {
      // 100 segments (keys shadowed every 50 generations, tombstones) merged into one file keeping CURRENT
      // and one older snapshot (DEC-039); lookups before and after, every answer at CURRENT checked.
      const layout = { records: COMPACT, gens: 100, shards: 1 };
      const b = build(layout);
      live.add(b);
      try {
        const qs = queries(b, 4096);
        const older = BigInt(Math.floor((3 * layout.gens) / 4) * b.perGen);
        const lookups = (bb: Built, S: bigint) =>
          measure(() => {
            for (let n = 0; n < 256; n++) bb.set.lookupArtifact(S, qs[n % qs.length]!.key);
            return 256;
          }, 800);
        check(b, qs, M64, true);
        const beforeOlder = qs.map((q) => b.set.lookupArtifact(older, q.key));
        const before = lookups(b, M64);
        const path = join(b.dir, "compacted.seg");
        const t = performance.now();
        const out = compactToFile(b.segments, path, {
          segmentId: 1_000_000n,
          retain: [older],
          wholeSet: true,
        });
        const compactS = (performance.now() - t) / 1000;
        const seg = DiskSegment.open(path);
        const after: Built = { ...b, segments: [seg], set: SegmentSet.open([seg]) };
        try {
          check(after, qs, M64, true);
          qs.forEach((q, i) => {
            const r = after.set.lookupArtifact(older, q.key);
            if (JSON.stringify(r, big) !== JSON.stringify(beforeOlder[i], big))
              throw new Error(
                `scale bench: compaction changed the answer for ${q.key} at the retained snapshot`,
              );
          });
          const r = lookups(after, M64);
          return {
            ...r,
            rss_bytes: process.memoryUsage().rss,
            extra: {
              us_per_lookup_after: r.ns_per_op / 1000,
              us_per_lookup_before: before.ns_per_op / 1000,
              compact_s: compactS,
              records_in: b.perGen * layout.gens,
              records_out: out.records,
            },
          };
        } finally {
          seg.close();
        }
      } finally {
        release(b);
        live.delete(b);
      }
    },
  },
  {
    name: "scale/segment-set/incident",
    heavy: true,
    params: { segments: 10_000, edges_per_segment: 1 },
    run(): BenchResult {
      // 10,000 one-edge segments, every edge from node 0 (the hub) to its own node: the hub has 10,000
      // incident edges, each in its own segment.
      const segs = Array.from({ length: 10_000 }, (_, i) => {
        const edge = { from: [0n], to: [BigInt(i + 1)] };
        const logseq = BigInt(i + 1);
        return decodeSegment(
          encodeSegment({
            segmentId: logseq,
            logseqMin: logseq,
            logseqMax: logseq,
            tgkRecords: [{ logseq, tgkEdgeId: edgeId(edge), role: 1, tombstone: false }],
            edges: [edge],
          }),
        );
      });
      const t = performance.now();
      const set = SegmentSet.open(segs);
      const openMs = performance.now() - t;
      let answers = 0;
      const r = measure(() => {
        answers = set.incidentEdges(M64, 0n, "any").length;
        return 1;
      }, 1000);
      if (answers !== 10_000)
        throw new Error(`scale bench: the hub has ${answers} incident edges, not 10,000`);
      return {
        ...r,
        rss_bytes: process.memoryUsage().rss,
        extra: { ms_per_query: r.ns_per_op / 1e6, answers, open_ms: openMs },
      };
    },
  },
];
