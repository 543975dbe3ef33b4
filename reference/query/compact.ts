// Compaction: merge the segments of a set (or some of them) into one segment that keeps every answer at
// every retained snapshot (DEC-039). A record is kept when it is the newest record of its key at or below
// some retained snapshot S (CURRENT always retained): that is what a query at S returns (ATXI-VIS-002);
// so a shadowed record, or a tombstone, is dropped only when no retained snapshot can see it. A record
// shadowed inside the merged segments is shadowed whatever other segments hold, so merging part of a set
// is safe; only when the segments are the whole set (`wholeSet`) is a tombstone with nothing older left of
// its key dropped as well (it hides nothing). Node-edge refs follow their kept edge records (DEC-016).
// The output is deterministic: the same segments and options give the same bytes (DEC-025).
// Rules: ATXI-VIS-001..005, ATXI-INV-008, ATXI-NPR-002, ATXI-NPR-005.
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import type { FilterRequest } from "../filters/filter.ts";
import { encodeSegment } from "../segment/encode.ts";
import { aslBatch, type RecordBatches, tgkBatch, writeSegmentFile } from "../segment/file-writer.ts";
import type { AslRecord, NodeEdgeRef, TgkRecord } from "../segment/model.ts";
import type { RecordSource, SegmentSource } from "./segment-set.ts";

export interface CompactOptions {
  segmentId: bigint;
  /** Snapshots whose answers must survive (CURRENT is always retained). */
  retain: readonly bigint[];
  /** The segments are the whole set: a tombstone with nothing older kept of its key is dropped too. */
  wholeSet?: boolean;
}

const U64_MAX = (1n << 64n) - 1n;

/** A min-heap of table cursors by (id, logseq): the k-way merge of sorted tables in bounded memory. */
class MergeHeap<R> {
  private readonly heap: { t: RecordSource<R>; i: number; id: bigint; ls: bigint }[] = [];
  constructor(tables: readonly RecordSource<R>[]) {
    for (const t of tables) if (t.count > 0) this.push({ t, i: 0, id: t.id(0), ls: t.logseq(0) });
  }
  private less(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.id < y.id || (x.id === y.id && x.ls < y.ls);
  }
  private swap(a: number, b: number): void {
    const h = this.heap;
    [h[a], h[b]] = [h[b]!, h[a]!];
  }
  private push(c: { t: RecordSource<R>; i: number; id: bigint; ls: bigint }): void {
    this.heap.push(c);
    for (let k = this.heap.length - 1; k > 0 && this.less(k, (k - 1) >> 1); k = (k - 1) >> 1)
      this.swap(k, (k - 1) >> 1);
  }
  get empty(): boolean {
    return this.heap.length === 0;
  }
  peekId(): bigint {
    return this.heap[0]!.id;
  }
  /** The smallest (table, index), advancing its cursor. */
  pop(): [RecordSource<R>, number, bigint] {
    const top = this.heap[0]!;
    const out: [RecordSource<R>, number, bigint] = [top.t, top.i, top.ls];
    if (top.i + 1 < top.t.count) {
      top.i++;
      top.id = top.t.id(top.i);
      top.ls = top.t.logseq(top.i);
    } else {
      const last = this.heap.pop()!;
      if (this.heap.length === 0) return out;
      this.heap[0] = last;
    }
    for (let k = 0; ; ) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < this.heap.length && this.less(l, m)) m = l;
      if (r < this.heap.length && this.less(r, m)) m = r;
      if (m === k) break;
      this.swap(k, m);
      k = m;
    }
    return out;
  }
}

/** The retained snapshots, ascending, CURRENT included. */
function retained(opts: CompactOptions): bigint[] {
  for (const s of opts.retain)
    if (typeof s !== "bigint" || s < 0n || s > U64_MAX)
      throw new RangeError(`retain: ${String(s)} is not a u64 snapshot`);
  return [...new Set([...opts.retain, U64_MAX])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The first retained snapshot >= l (there is one: CURRENT is U64_MAX). */
function firstAtOrAbove(snaps: readonly bigint[], l: bigint): bigint {
  let lo = 0;
  let hi = snaps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (snaps[mid]! < l) lo = mid + 1;
    else hi = mid;
  }
  return snaps[lo]!;
}

/**
 * The records to keep, in (id, logseq) order. Of a key's records L1 < L2 < ... < Ln, record i is what
 * snapshots in [Li, Li+1) see; it is kept when a retained snapshot falls there (the last one always, for
 * CURRENT). With `wholeSet`, kept tombstones older than every kept put of their key are dropped.
 */
function* kept<R extends AslRecord | TgkRecord>(
  tables: readonly RecordSource<R>[],
  snaps: readonly bigint[],
  wholeSet: boolean,
): Generator<R> {
  const heap = new MergeHeap(tables);
  while (!heap.empty) {
    const id = heap.peekId();
    const group: [RecordSource<R>, number, bigint][] = [];
    while (!heap.empty && heap.peekId() === id) group.push(heap.pop());
    let leading = wholeSet;
    for (let k = 0; k < group.length; k++) {
      const [t, i, ls] = group[k]!;
      const next = k + 1 < group.length ? group[k + 1]![2] : undefined;
      if (next !== undefined && firstAtOrAbove(snaps, ls) >= next) continue; // no retained S sees it
      if (leading && t.tombstone(i)) continue; // hides nothing: nothing older of its key is kept
      leading = false;
      yield t.record(i);
    }
  }
}

function bounds(segments: readonly SegmentSource[]): { logseqMin: bigint; logseqMax: bigint } {
  if (segments.length === 0) throw new RangeError("compaction needs at least one segment");
  let logseqMin = segments[0]!.logseqMin;
  let logseqMax = segments[0]!.logseqMax;
  for (const s of segments) {
    if (s.logseqMin < logseqMin) logseqMin = s.logseqMin;
    if (s.logseqMax > logseqMax) logseqMax = s.logseqMax;
  }
  return { logseqMin, logseqMax };
}

/**
 * A segment with TGK records but no projections makes incidence fail with QRY_NO_PROJECTIONS (ATXI-NPR-005)
 * from its first TGK logseq on; merged with others, that answer would move. Such input is refused.
 */
function needProjections(segments: readonly SegmentSource[]): boolean {
  const withRefs = segments.some((s) => s.nodeRefs !== undefined);
  for (const s of segments) {
    if (s.nodeRefs === undefined && s.tgk.count > 0 && withRefs)
      throw new RangeError(
        `segment ${s.segmentId} holds TGK records without node projections while others have them: merging would change QRY_NO_PROJECTIONS answers`,
      );
  }
  return withRefs;
}

/**
 * Merges the segments into one, in memory (encodeSegment): records kept by DEC-039, the node-edge refs of
 * kept edge records, bloom filters over every domain that has keys.
 */
export function compactSegments(segments: readonly SegmentSource[], opts: CompactOptions): Uint8Array {
  const snaps = retained(opts);
  const whole = opts.wholeSet ?? false;
  const withRefs = needProjections(segments);
  const asl = [
    ...kept(
      segments.map((s) => s.asl),
      snaps,
      whole,
    ),
  ];
  const tgk = [
    ...kept(
      segments.map((s) => s.tgk),
      snaps,
      whole,
    ),
  ];
  let nodeRefs: NodeEdgeRef[] | undefined;
  if (withRefs) {
    const live = new Set(tgk.filter((r) => !r.tombstone).map((r) => `${r.tgkEdgeId}:${r.logseq}`));
    nodeRefs = [];
    for (const s of segments) {
      const refs = s.nodeRefs;
      for (let i = 0; i < (refs?.count ?? 0); i++) {
        const ref = {
          logseq: refs!.logseq(i),
          nodeId: refs!.nodeId(i),
          tgkEdgeId: refs!.tgkEdgeId(i),
          position: refs!.position(i),
        };
        if (live.has(`${ref.tgkEdgeId}:${ref.logseq}`)) nodeRefs.push(ref);
      }
    }
  }
  const filters: FilterRequest[] = [];
  if (asl.length > 0) filters.push({ build: "bloom", domain: 1 });
  if (tgk.length > 0) filters.push({ build: "bloom", domain: 2 });
  if ((nodeRefs?.length ?? 0) > 0) filters.push({ build: "bloom", domain: 3 });
  return encodeSegment({
    segmentId: opts.segmentId,
    ...bounds(segments),
    aslRecords: asl,
    tgkRecords: tgk,
    ...(nodeRefs === undefined ? {} : { nodeRefs }),
    filters,
  });
}

/**
 * Merges segments without node projections into one segment file in bounded memory: the kept records go
 * once through the k-way merge into a scratch file beside `path`, which the streamed writer then reads
 * (bloom filters over the ASL and TGK keys). Returns the file's size and checksum.
 */
export function compactToFile(
  segments: readonly SegmentSource[],
  path: string,
  opts: CompactOptions,
): { bytes: number; checksum: bigint; records: number } {
  const snaps = retained(opts);
  const whole = opts.wholeSet ?? false;
  for (const s of segments)
    if (s.nodeRefs !== undefined && s.nodeRefs.count > 0)
      throw new RangeError(`segment ${s.segmentId} has node projections: compactSegments merges those`);
  const scratch = `${path}.records`;
  try {
    const spill = <R extends AslRecord | TgkRecord>(
      tables: RecordSource<R>[],
      file: string,
      encode: (rs: R[]) => Uint8Array,
    ): RecordBatches => {
      const fd = openSync(file, "w");
      let count = 0;
      let buf: R[] = [];
      try {
        for (const r of kept(tables, snaps, whole)) {
          buf.push(r);
          if (buf.length === 65_536) {
            writeSync(fd, encode(buf));
            count += buf.length;
            buf = [];
          }
        }
        if (buf.length > 0) writeSync(fd, encode(buf));
        count += buf.length;
      } finally {
        closeSync(fd);
      }
      return { count, batches: () => readBack(file, count) };
    };
    const asl = spill(
      segments.map((s) => s.asl),
      `${scratch}.asl`,
      aslBatch,
    );
    const tgk = spill(
      segments.map((s) => s.tgk),
      `${scratch}.tgk`,
      tgkBatch,
    );
    const blooms: (1 | 2)[] = [];
    if (asl.count > 0) blooms.push(1);
    if (tgk.count > 0) blooms.push(2);
    const r = writeSegmentFile(path, { segmentId: opts.segmentId, ...bounds(segments), asl, tgk, blooms });
    return { ...r, records: asl.count + tgk.count };
  } finally {
    rmSync(`${scratch}.asl`, { force: true });
    rmSync(`${scratch}.tgk`, { force: true });
  }
}

/** The records of a scratch file, in batches of 65,536. */
function* readBack(file: string, count: number): Generator<Uint8Array> {
  const fd = openSync(file, "r");
  try {
    const buf = new Uint8Array(24 * 65_536);
    for (let done = 0; done < count; ) {
      const n = Math.min(65_536, count - done);
      const part = buf.subarray(0, 24 * n);
      let got = 0;
      while (got < part.length) {
        const k = readSync(fd, part, got, part.length - got, 24 * done + got);
        if (k === 0) throw new Error(`compaction scratch file ${file} ended early`);
        got += k;
      }
      yield part;
      done += n;
    }
  } finally {
    closeSync(fd);
  }
}
