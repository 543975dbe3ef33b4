// Snapshot-safe queries over a set of segments (ENC-ASL-TGK-INDEX sections 9 and 10, DEC-024, DEC-029): at
// S the segments with logseq_min <= S take part; among their records for a key with logseq <= S the
// greatest logseq wins, and a winning tombstone hides the key, also across segments. Rules: ATXI-VIS-001..005,
// ATXI-FLT-003, ATXI-FLT-005, ATXI-HDR-007, ATXI-NPR-005, ATXI-INV-001, ATXI-INV-003, ATXI-INV-008,
// ATXI-SHD-001, ATXI-SHD-002.
//
// How a lookup avoids visiting every segment (the answers are those of a scan of every record, which
// test/reference/segment/query-routing.test.ts checks at every S):
// - Small segments (at most `smallSegmentRecords` records and refs) are merged at open into one sorted
//   index of (key, logseq) -> (segment, record), and one of node_id -> (segment, ref): a set of 10,000
//   one-edge segments answers with one binary search per key instead of 10,000.
// - The other segments are grouped by shard (DEC-024: a set opened with `shards` routes a key to the one
//   shard that can hold it) and walked newest first, by logseq_max. Logseqs are unique across the set
//   (ATXI-VIS-005, checked at open), so once a record with logseq L has been found, a segment whose
//   logseq_max <= L holds no record that could beat it, nor does any older one: the walk stops there.
// - Filters, when consulted, only ever let a segment be skipped (DEC-007: no false negatives), so answers
//   are identical with and without them.
import { AslError } from "../common/errors.ts";
import { filterProber, type KnownFilter } from "../filters/filter.ts";
import { hiWord, loWord } from "../filters/mix.ts";
import { decodeSegment } from "../segment/decode.ts";
import type { AslRecord, TgkRecord } from "../segment/model.ts";
import { lt64, u64 } from "../segment/words.ts";
import type { Position } from "../tgk/edge.ts";
import { shard, shardOfWords } from "./shard.ts";

export interface QueryOptions {
  /** Consult the segments' filters to skip segments (default true). Never changes an answer. */
  useFilters?: boolean;
}

export type IncidenceRole = "from" | "to" | "any";

/**
 * The records of one kind of a segment, sorted by (id, logseq) (DEC-004), as the set reads them: the
 * lazy tables of a decoded segment (AslTable, TgkTable) or the positional reads of a segment on disk.
 */
export interface RecordSource<R> {
  readonly count: number;
  /** Index of the newest record for id (idHi:idLo) with logseq <= (sHi:sLo), or -1. */
  findLatest(idHi: number, idLo: number, sHi: number, sLo: number): number;
  logseq(i: number): bigint;
  id(i: number): bigint;
  tombstone(i: number): boolean;
  record(i: number): R;
}

/** The node-edge refs of a segment, sorted by (node_id, position, tgk_edge_id, logseq) (DEC-004). */
export interface RefSource {
  readonly count: number;
  /** Index of the first ref whose node_id is >= (hi:lo). */
  lowerBound(hi: number, lo: number): number;
  hasNode(i: number, hi: number, lo: number): boolean;
  position(i: number): Position;
  tgkEdgeId(i: number): bigint;
  nodeId(i: number): bigint;
  logseq(i: number): bigint;
}

/** What a set needs of a segment: a DecodedSegment, or an on-disk segment (reference/query/disk-segment.ts). */
export interface SegmentSource {
  readonly segmentId: bigint;
  readonly logseqMin: bigint;
  readonly logseqMax: bigint;
  readonly asl: RecordSource<AslRecord>;
  readonly tgk: RecordSource<TgkRecord>;
  /** undefined when the segment carries no node projections. */
  readonly nodeRefs: RefSource | undefined;
  /** The first known filter of a domain, if any (the one a query consults). */
  filterFor(domain: 1 | 2 | 3): KnownFilter | undefined;
}

export interface SetOptions {
  /**
   * The set is sharded (DEC-024): `count` shards, and `of[i]` the shard of segments[i]. Every record of
   * a segment of shard k must route to k (shardInput writes such segments); the set trusts this rather
   * than read every record at open, and looks a key up only in its shard's segments.
   */
  shards?: { count: number; of: readonly number[] };
  /**
   * Segments with at most this many records and node refs together are merged into the in-memory index
   * at open (default 1024). Changes no answer: 0 and Infinity are what the tests compare.
   */
  smallSegmentRecords?: number;
}

type Probe = ((hi: number, lo: number) => boolean) | undefined;

interface Member {
  seg: SegmentSource;
  /** Position in the list the set was opened with (error messages name segments in that order). */
  index: number;
  /** Probes of the first known filter of domains 1, 2, 3 (index 0 unused). */
  probes: [undefined, Probe, Probe, Probe];
  /** The smallest logseq of its TGK records (computed when first needed), null when it has none. */
  minTgkLogseq?: bigint | null;
}

/** The winning record of a lookup: its segment, index in that segment's table, and logseq. */
interface Hit {
  member: Member;
  i: number;
  logseq: bigint;
}

const U64_MAX = (1n << 64n) - 1n;
const DEFAULT_SMALL = 1024;

function needU64(v: bigint, what: string): void {
  if (typeof v !== "bigint" || v < 0n || v > U64_MAX)
    throw new RangeError(`${what} must be a u64 bigint, got ${String(v)}`);
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts entry numbers 0..n-1 by the u64 pairs (a, b) given as 32-bit words (hi/lo each), stably: one
 * typed-array sort of the entry numbers with a word comparator.
 */
function sortedOrder(n: number, w: Uint32Array, stride: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => {
    const a = stride * x;
    const b = stride * y;
    for (let k = 0; k < stride; k++) if (w[a + k] !== w[b + k]) return w[a + k]! - w[b + k]!;
    return x - y;
  });
  return order;
}

/**
 * The records of one kind of every small segment, merged and sorted by (id, logseq): entry k holds the
 * words [id hi, id lo, logseq hi, logseq lo] and is record `rec[k]` of small member `mem[k]`. A lookup is
 * one upper-bound search over (id, S) on 32-bit words (no BigInt made on the way).
 */
class MergedKeys {
  readonly words: Uint32Array;
  readonly mem: Uint32Array;
  readonly rec: Uint32Array;
  readonly count: number;

  constructor(members: readonly Member[], table: (m: Member) => RecordSource<unknown>) {
    let n = 0;
    for (const m of members) n += table(m).count;
    const w = new Uint32Array(4 * n);
    const mem = new Uint32Array(n);
    const rec = new Uint32Array(n);
    let k = 0;
    members.forEach((member, m) => {
      const t = table(member);
      for (let i = 0; i < t.count; i++, k++) {
        const id = t.id(i);
        const ls = t.logseq(i);
        w.set([hiWord(id), loWord(id), hiWord(ls), loWord(ls)], 4 * k);
        mem[k] = m;
        rec[k] = i;
      }
    });
    const order = sortedOrder(n, w, 4);
    this.words = new Uint32Array(4 * n);
    this.mem = new Uint32Array(n);
    this.rec = new Uint32Array(n);
    order.forEach((from, to) => {
      this.words.set(w.subarray(4 * from, 4 * from + 4), 4 * to);
      this.mem[to] = mem[from]!;
      this.rec[to] = rec[from]!;
    });
    this.count = n;
  }

  /** Entry of the newest record for id (kHi:kLo) with logseq <= (sHi:sLo), or -1. */
  findLatest(kHi: number, kLo: number, sHi: number, sLo: number): number {
    const w = this.words;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = 4 * mid;
      const after =
        w[x] !== kHi || w[x + 1] !== kLo
          ? lt64(kHi, kLo, w[x]!, w[x + 1]!)
          : lt64(sHi, sLo, w[x + 2]!, w[x + 3]!);
      if (after) hi = mid;
      else lo = mid + 1;
    }
    if (lo === 0) return -1;
    const x = 4 * (lo - 1);
    return w[x] === kHi && w[x + 1] === kLo ? lo - 1 : -1;
  }

  logseq(k: number): bigint {
    return u64(this.words[4 * k + 2]!, this.words[4 * k + 3]!);
  }
}

/**
 * The node-edge refs of every small segment, sorted by node_id: entry k holds the words [node hi, node lo,
 * edge hi, edge lo, logseq hi, logseq lo, position], so an incidence query reads nothing else.
 */
class MergedRefs {
  static readonly W = 7;
  readonly words: Uint32Array;
  readonly count: number;

  constructor(members: readonly Member[]) {
    const W = MergedRefs.W;
    let n = 0;
    for (const m of members) n += m.seg.nodeRefs?.count ?? 0;
    const w = new Uint32Array(W * n);
    let k = 0;
    for (const member of members) {
      const refs = member.seg.nodeRefs;
      for (let i = 0; i < (refs?.count ?? 0); i++, k++) {
        const node = refs!.nodeId(i);
        const e = refs!.tgkEdgeId(i);
        const ls = refs!.logseq(i);
        w.set(
          [hiWord(node), loWord(node), hiWord(e), loWord(e), hiWord(ls), loWord(ls), refs!.position(i)],
          W * k,
        );
      }
    }
    const order = sortedOrder(n, w, W);
    this.words = new Uint32Array(W * n);
    order.forEach((from, to) => {
      this.words.set(w.subarray(W * from, W * from + W), W * to);
    });
    this.count = n;
  }

  /** The first entry whose node_id is >= (hi:lo). */
  lowerBound(nHi: number, nLo: number): number {
    const w = this.words;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = MergedRefs.W * mid;
      if (lt64(w[x]!, w[x + 1]!, nHi, nLo)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class SegmentSet {
  /** Members in the order the set was opened with. */
  private readonly members: Member[];
  /** The small members, merged (their position in `small` is what MergedKeys.mem names). */
  private readonly small: Member[];
  private readonly smallAsl: MergedKeys;
  private readonly smallTgk: MergedKeys;
  private readonly smallRefs: MergedRefs;
  /** The other members of each shard, newest first (logseq_max descending). */
  private readonly shardLists: Member[][];
  /** The other members holding node refs (incidence visits every shard: refs follow their edge). */
  private readonly bigWithRefs: Member[];
  /** Members without node projections, by logseq_min (QRY_NO_PROJECTIONS). */
  private readonly withoutRefs: Member[];
  /** 1 for an unsharded set. */
  private readonly shardCount: number;

  private constructor(segments: readonly SegmentSource[], opts: SetOptions) {
    const limit = opts.smallSegmentRecords ?? DEFAULT_SMALL;
    const shardCount = opts.shards?.count ?? 1;
    const shardOf = opts.shards?.of;
    if (opts.shards !== undefined) {
      shard(0n, shardCount); // the u32 >= 1 check of DEC-024
      if (shardOf!.length !== segments.length)
        throw new RangeError(`shards.of names ${shardOf!.length} shards for ${segments.length} segments`);
      shardOf!.forEach((k, i) => {
        if (!Number.isInteger(k) || k < 0 || k >= shardCount)
          throw new RangeError(`shards.of[${i}] = ${k} is not a shard in [0, ${shardCount})`);
      });
    }
    this.members = segments.map((seg, index): Member => {
      const probe = (d: 1 | 2 | 3): Probe => {
        const f = seg.filterFor(d);
        return f ? filterProber(f) : undefined;
      };
      return { seg, index, probes: [undefined, probe(1), probe(2), probe(3)] };
    });
    const isSmall = (m: Member) => m.seg.asl.count + m.seg.tgk.count + (m.seg.nodeRefs?.count ?? 0) <= limit;
    this.small = this.members.filter(isSmall);
    this.smallAsl = new MergedKeys(this.small, (m) => m.seg.asl);
    this.smallTgk = new MergedKeys(this.small, (m) => m.seg.tgk);
    this.smallRefs = new MergedRefs(this.small);
    const newestFirst = (a: Member, b: Member) =>
      cmpBig(b.seg.logseqMax, a.seg.logseqMax) ||
      cmpBig(b.seg.logseqMin, a.seg.logseqMin) ||
      a.index - b.index;
    const big = this.members.filter((m) => !isSmall(m)).sort(newestFirst);
    this.shardLists = Array.from({ length: shardOf ? shardCount : 1 }, () => []);
    for (const m of big) this.shardLists[shardOf ? shardOf[m.index]! : 0]!.push(m);
    this.bigWithRefs = big.filter((m) => m.seg.nodeRefs !== undefined);
    this.shardCount = shardOf ? shardCount : 1;
    this.withoutRefs = this.members
      .filter((m) => m.seg.nodeRefs === undefined)
      .sort((a, b) => cmpBig(a.seg.logseqMin, b.seg.logseqMin) || a.index - b.index);
  }

  /** Opens a set; QRY_DUPLICATE_SEGMENT_ID, then QRY_DUPLICATE_LOGSEQ, when the set breaks DEC-029. */
  static open(segments: readonly SegmentSource[], opts: SetOptions = {}): SegmentSet {
    const ids = new Map<bigint, number>();
    segments.forEach((s, i) => {
      const prev = ids.get(s.segmentId);
      if (prev !== undefined) {
        throw new AslError(
          "QRY_DUPLICATE_SEGMENT_ID",
          `segments ${prev} and ${i} of the set share segment_id ${s.segmentId}`,
          { field: "header.segment_id", rule: "ATXI-HDR-007" },
        );
      }
      ids.set(s.segmentId, i);
    });
    checkSetLogseqs(segments);
    return new SegmentSet(segments, opts);
  }

  /** Decodes (fully validating) every segment, then opens the set. */
  static fromBytes(segments: readonly Uint8Array[], opts: SetOptions = {}): SegmentSet {
    return SegmentSet.open(
      segments.map((b) => decodeSegment(b)),
      opts,
    );
  }

  get size(): number {
    return this.members.length;
  }

  /** The winning record for key (kHi:kLo) at S (sHi:sLo), or undefined (ATXI-VIS-002, ATXI-VIS-003). */
  private winner(
    sHi: number,
    sLo: number,
    kHi: number,
    kLo: number,
    kind: "asl" | "tgk",
    useFilters: boolean,
  ): Hit | undefined {
    const merged = kind === "asl" ? this.smallAsl : this.smallTgk;
    let best: Hit | undefined;
    const k = merged.findLatest(kHi, kLo, sHi, sLo);
    if (k >= 0) best = { member: this.small[merged.mem[k]!]!, i: merged.rec[k]!, logseq: merged.logseq(k) };
    const list = this.shardLists[this.shardCount === 1 ? 0 : shardOfWords(kHi, kLo, this.shardCount)]!;
    if (list.length === 0) return best;
    const s = u64(sHi, sLo);
    const domain = kind === "asl" ? 1 : 2;
    for (const member of list) {
      // Early exit: this and every later member hold only logseqs <= logseq_max <= best's, and none
      // equals best's (ATXI-VIS-005), so none can win.
      if (best !== undefined && member.seg.logseqMax <= best.logseq) break;
      if (member.seg.logseqMin > s) continue; // takes no part at S (ATXI-VIS-001)
      const probe = member.probes[domain];
      if (useFilters && probe !== undefined && !probe(kHi, kLo)) continue;
      const t = kind === "asl" ? member.seg.asl : member.seg.tgk;
      const i = t.findLatest(kHi, kLo, sHi, sLo);
      if (i < 0) continue;
      const logseq = t.logseq(i);
      if (best === undefined || logseq > best.logseq) best = { member, i, logseq };
    }
    return best;
  }

  private find(s: bigint, key: bigint, kind: "asl" | "tgk", opts: QueryOptions): Hit | undefined {
    needU64(s, "S");
    needU64(key, kind === "asl" ? "artifact_id" : "tgk_edge_id");
    return this.winner(hiWord(s), loWord(s), hiWord(key), loWord(key), kind, opts.useFilters ?? true);
  }

  /** The artifact record visible for artifact_id at S, or undefined (absent or tombstoned). */
  lookupArtifact(s: bigint, artifactId: bigint, opts: QueryOptions = {}): AslRecord | undefined {
    const w = this.find(s, artifactId, "asl", opts);
    if (w === undefined || w.member.seg.asl.tombstone(w.i)) return undefined;
    return w.member.seg.asl.record(w.i);
  }

  /** The edge record visible for tgk_edge_id at S, or undefined (absent or tombstoned). */
  lookupEdge(s: bigint, tgkEdgeId: bigint, opts: QueryOptions = {}): TgkRecord | undefined {
    const w = this.find(s, tgkEdgeId, "tgk", opts);
    if (w === undefined || w.member.seg.tgk.tombstone(w.i)) return undefined;
    return w.member.seg.tgk.record(w.i);
  }

  /**
   * The edges incident to a node at S by role (DEC-029): the visible edges with a node-edge ref (node, e,
   * position) carrying the logseq of e's winning record, sorted by tgk_edge_id. Every taking-part segment
   * with a TGK record at or below S must carry node projections (QRY_NO_PROJECTIONS), checked before any
   * filter is consulted so that the answer never depends on filters. Cost: one search of the merged refs
   * and one per large segment with refs, then one lookup per candidate edge.
   */
  incidentEdges(s: bigint, nodeId: bigint, role: IncidenceRole, opts: QueryOptions = {}): TgkRecord[] {
    needU64(s, "S");
    needU64(nodeId, "node_id");
    const useFilters = opts.useFilters ?? true;
    this.checkProjections(s);
    const nHi = hiWord(nodeId);
    const nLo = loWord(nodeId);
    const sHi = hiWord(s);
    const sLo = loWord(s);
    // Candidates as words [edge hi, edge lo, logseq hi, logseq lo]: the refs to the node, in the role,
    // with logseq <= S.
    const cand: number[] = [];
    const wanted = (pos: number) => (role === "from" ? pos === 1 : role === "to" ? pos === 2 : true);
    const merged = this.smallRefs;
    const mw = merged.words;
    const W = MergedRefs.W;
    for (let k = merged.lowerBound(nHi, nLo); k < merged.count; k++) {
      const x = W * k;
      if (mw[x] !== nHi || mw[x + 1] !== nLo) break;
      if (wanted(mw[x + 6]!) && !lt64(sHi, sLo, mw[x + 4]!, mw[x + 5]!))
        cand.push(mw[x + 2]!, mw[x + 3]!, mw[x + 4]!, mw[x + 5]!);
    }
    for (const member of this.bigWithRefs) {
      if (member.seg.logseqMin > s) continue;
      const refs = member.seg.nodeRefs!;
      const probe = member.probes[3];
      if (useFilters && probe !== undefined && !probe(nHi, nLo)) continue;
      for (let i = refs.lowerBound(nHi, nLo); i < refs.count && refs.hasNode(i, nHi, nLo); i++) {
        const ls = refs.logseq(i);
        if (!wanted(refs.position(i)) || ls > s) continue;
        const e = refs.tgkEdgeId(i);
        cand.push(hiWord(e), loWord(e), hiWord(ls), loWord(ls));
      }
    }
    // By edge id: each edge's winner is found once, and the answer comes out sorted by tgk_edge_id.
    const words = Uint32Array.from(cand);
    const order = sortedOrder(words.length / 4, words, 4);
    const out: TgkRecord[] = [];
    for (let a = 0; a < order.length; ) {
      const x = 4 * order[a]!;
      const eHi = words[x]!;
      const eLo = words[x + 1]!;
      let b = a + 1;
      while (b < order.length && words[4 * order[b]!] === eHi && words[4 * order[b]! + 1] === eLo) b++;
      const w = this.winner(sHi, sLo, eHi, eLo, "tgk", useFilters);
      if (w !== undefined && !w.member.seg.tgk.tombstone(w.i)) {
        const wHi = hiWord(w.logseq);
        const wLo = loWord(w.logseq);
        for (let c = a; c < b; c++) {
          const y = 4 * order[c]!;
          if (words[y + 2] === wHi && words[y + 3] === wLo) {
            out.push(w.member.seg.tgk.record(w.i));
            break;
          }
        }
      }
      a = b;
    }
    return out;
  }

  /** QRY_NO_PROJECTIONS (ATXI-NPR-005): the first member by logseq_min taking part at S without refs. */
  private checkProjections(s: bigint): void {
    for (const member of this.withoutRefs) {
      const seg = member.seg;
      if (seg.logseqMin > s) return;
      if (member.minTgkLogseq === undefined) member.minTgkLogseq = minLogseq(seg.tgk);
      if (member.minTgkLogseq !== null && member.minTgkLogseq <= s) {
        throw new AslError(
          "QRY_NO_PROJECTIONS",
          `segment ${seg.segmentId} takes part at S = ${s} and holds TGK records but no node projections`,
          { field: "header.flags", rule: "ATXI-NPR-005" },
        );
      }
    }
  }
}

function minLogseq(t: RecordSource<unknown>): bigint | null {
  let m: bigint | null = null;
  for (let i = 0; i < t.count; i++) {
    const ls = t.logseq(i);
    if (m === null || ls < m) m = ls;
  }
  return m;
}

/**
 * QRY_DUPLICATE_LOGSEQ (ATXI-VIS-005): no logseq is used in two segments of the set. Segments whose
 * [logseq_min, logseq_max] overlap no other cannot share one (each segment is unique inside already);
 * the logseqs of the others are sorted together and the smallest repeat is reported.
 */
function checkSetLogseqs(segments: readonly SegmentSource[]): void {
  const order = [...segments].sort((a, b) => cmpBig(a.logseqMin, b.logseqMin));
  const overlapping = new Set<SegmentSource>();
  let reach: SegmentSource | undefined;
  for (const seg of order) {
    if (reach !== undefined && seg.logseqMin <= reach.logseqMax) {
      overlapping.add(seg);
      overlapping.add(reach);
    }
    if (reach === undefined || seg.logseqMax > reach.logseqMax) reach = seg;
  }
  if (overlapping.size === 0) return;
  const members = [...overlapping];
  const total = members.reduce((n, s) => n + s.asl.count + s.tgk.count, 0);
  const all = new BigUint64Array(total);
  let k = 0;
  for (const s of members) {
    for (let i = 0; i < s.asl.count; i++) all[k++] = s.asl.logseq(i);
    for (let i = 0; i < s.tgk.count; i++) all[k++] = s.tgk.logseq(i);
  }
  all.sort();
  for (let i = 1; i < total; i++) {
    if (all[i] !== all[i - 1]) continue;
    const ls = all[i]!;
    const holders = segments
      .filter((s) => hasLogseq(s.asl, ls) || hasLogseq(s.tgk, ls))
      .map((s) => s.segmentId);
    throw new AslError(
      "QRY_DUPLICATE_LOGSEQ",
      `logseq ${ls} is used in segments ${holders.join(", ")} of the set`,
      { field: "logseq", rule: "ATXI-VIS-005" },
    );
  }
}

function hasLogseq(t: RecordSource<unknown>, ls: bigint): boolean {
  for (let i = 0; i < t.count; i++) if (t.logseq(i) === ls) return true;
  return false;
}
