// Snapshot-safe queries over a set of decoded segments (ENC-ASL-TGK-INDEX section 10, DEC-029): at S the
// segments with logseq_min <= S take part; among their records for a key with logseq <= S the greatest
// logseq wins, and a winning tombstone hides the key, also across segments. Lookups binary-search the
// sorted records of each segment (DEC-004); filters, when consulted, only ever let a segment be skipped
// (DEC-007: no false negatives), so answers are identical with and without them. Incidence by node uses
// the node projections (DEC-016). Rules: ATXI-VIS-001..005, ATXI-FLT-003, ATXI-FLT-005, ATXI-HDR-007,
// ATXI-NPR-005, ATXI-INV-001, ATXI-INV-003, ATXI-INV-008, ATXI-SHD-002.
import { AslError } from "../common/errors.ts";
import { filterProber } from "../filters/filter.ts";
import { hiWord, loWord } from "../filters/mix.ts";
import { type DecodedSegment, decodeSegment } from "../segment/decode.ts";
import type { AslRecord, TgkRecord } from "../segment/model.ts";
import type { KeyedRecordTable } from "../segment/records.ts";
import { lt64 } from "../segment/words.ts";

export interface QueryOptions {
  /** Consult the segments' filters to skip segments (default true). Never changes an answer. */
  useFilters?: boolean;
}

export type IncidenceRole = "from" | "to" | "any";

type Probe = ((hi: number, lo: number) => boolean) | undefined;

interface Member {
  seg: DecodedSegment;
  /** Probes of the first known filter of domains 1, 2, 3 (index 0 unused). */
  probes: [undefined, Probe, Probe, Probe];
  /** The smallest logseq of the segment's TGK records, or undefined when it has none. */
  minTgkLogseq: bigint | undefined;
}

const U64_MAX = (1n << 64n) - 1n;

function needU64(v: bigint, what: string): void {
  if (typeof v !== "bigint" || v < 0n || v > U64_MAX)
    throw new RangeError(`${what} must be a u64 bigint, got ${String(v)}`);
}

function minLogseq(t: KeyedRecordTable): bigint | undefined {
  let m: bigint | undefined;
  for (let i = 0; i < t.count; i++) {
    const ls = t.logseq(i);
    if (m === undefined || ls < m) m = ls;
  }
  return m;
}

export class SegmentSet {
  /** Members sorted by logseq_min, so the segments taking part at S are a prefix. */
  private readonly members: Member[];

  private constructor(members: Member[]) {
    this.members = members;
  }

  /** Opens a set; QRY_DUPLICATE_SEGMENT_ID, then QRY_DUPLICATE_LOGSEQ, when the set breaks DEC-029. */
  static open(segments: readonly DecodedSegment[]): SegmentSet {
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
    const members = segments
      .map((seg): Member => {
        const probe = (d: 1 | 2 | 3): Probe => {
          const f = seg.filterFor(d);
          return f ? filterProber(f) : undefined;
        };
        return { seg, probes: [undefined, probe(1), probe(2), probe(3)], minTgkLogseq: minLogseq(seg.tgk) };
      })
      .sort((a, b) => (a.seg.logseqMin < b.seg.logseqMin ? -1 : a.seg.logseqMin > b.seg.logseqMin ? 1 : 0));
    return new SegmentSet(members);
  }

  /** Decodes (fully validating) every segment, then opens the set. */
  static fromBytes(segments: readonly Uint8Array[]): SegmentSet {
    return SegmentSet.open(segments.map((b) => decodeSegment(b)));
  }

  get size(): number {
    return this.members.length;
  }

  /** How many members take part at S (ATXI-VIS-001: logseq_min <= S). */
  private takingPart(s: bigint): number {
    let a = 0;
    let b = this.members.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (this.members[mid]!.seg.logseqMin <= s) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /** The winning record for a key at S: [member, index], or undefined (ATXI-VIS-002, ATXI-VIS-003). */
  private winner(
    s: bigint,
    key: bigint,
    kind: "asl" | "tgk",
    opts: QueryOptions,
  ): [Member, number] | undefined {
    needU64(s, "S");
    needU64(key, kind === "asl" ? "artifact_id" : "tgk_edge_id");
    const useFilters = opts.useFilters ?? true;
    const domain = kind === "asl" ? 1 : 2;
    const kHi = hiWord(key);
    const kLo = loWord(key);
    const sHi = hiWord(s);
    const sLo = loWord(s);
    let best: [Member, number] | undefined;
    let bHi = 0;
    let bLo = 0;
    const n = this.takingPart(s);
    for (let m = 0; m < n; m++) {
      const member = this.members[m]!;
      const probe = member.probes[domain];
      if (useFilters && probe !== undefined && !probe(kHi, kLo)) continue;
      const t = kind === "asl" ? member.seg.asl : member.seg.tgk;
      const i = t.findLatest(kHi, kLo, sHi, sLo);
      if (i < 0) continue;
      const w = (t.start >>> 2) + 6 * i;
      const lHi = t.words[w + 1]!;
      const lLo = t.words[w]!;
      if (best === undefined || lt64(bHi, bLo, lHi, lLo)) {
        best = [member, i];
        bHi = lHi;
        bLo = lLo;
      }
    }
    return best;
  }

  /** The artifact record visible for artifact_id at S, or undefined (absent or tombstoned). */
  lookupArtifact(s: bigint, artifactId: bigint, opts: QueryOptions = {}): AslRecord | undefined {
    const w = this.winner(s, artifactId, "asl", opts);
    if (w === undefined || w[0].seg.asl.tombstone(w[1])) return undefined;
    return w[0].seg.asl.record(w[1]);
  }

  /** The edge record visible for tgk_edge_id at S, or undefined (absent or tombstoned). */
  lookupEdge(s: bigint, tgkEdgeId: bigint, opts: QueryOptions = {}): TgkRecord | undefined {
    const w = this.winner(s, tgkEdgeId, "tgk", opts);
    if (w === undefined || w[0].seg.tgk.tombstone(w[1])) return undefined;
    return w[0].seg.tgk.record(w[1]);
  }

  /**
   * The edges incident to a node at S by role (DEC-029): the visible edges with a node-edge ref (node, e,
   * position) carrying the logseq of e's winning record, sorted by tgk_edge_id. Every taking-part segment
   * with a TGK record at or below S must carry node projections (QRY_NO_PROJECTIONS), checked before any
   * filter is consulted so that the answer never depends on filters.
   */
  incidentEdges(s: bigint, nodeId: bigint, role: IncidenceRole, opts: QueryOptions = {}): TgkRecord[] {
    needU64(s, "S");
    needU64(nodeId, "node_id");
    const useFilters = opts.useFilters ?? true;
    const n = this.takingPart(s);
    for (let m = 0; m < n; m++) {
      const { seg, minTgkLogseq } = this.members[m]!;
      if (seg.nodeRefs === undefined && minTgkLogseq !== undefined && minTgkLogseq <= s) {
        throw new AslError(
          "QRY_NO_PROJECTIONS",
          `segment ${seg.segmentId} takes part at S = ${s} and holds TGK records but no node projections`,
          { field: "header.flags", rule: "ATXI-NPR-005" },
        );
      }
    }
    const nHi = hiWord(nodeId);
    const nLo = loWord(nodeId);
    const sHi = hiWord(s);
    const sLo = loWord(s);
    const candidates = new Map<bigint, bigint[]>();
    for (let m = 0; m < n; m++) {
      const member = this.members[m]!;
      const refs = member.seg.nodeRefs;
      if (refs === undefined) continue;
      const probe = member.probes[3];
      if (useFilters && probe !== undefined && !probe(nHi, nLo)) continue;
      for (let i = refs.lowerBound(nHi, nLo); i < refs.count && refs.hasNode(i, nHi, nLo); i++) {
        const pos = refs.position(i);
        if (role === "from" ? pos !== 1 : role === "to" ? pos !== 2 : false) continue;
        const w = (refs.start >>> 2) + 8 * i;
        if (lt64(sHi, sLo, refs.words[w + 1]!, refs.words[w]!)) continue;
        const e = refs.tgkEdgeId(i);
        const list = candidates.get(e);
        if (list) list.push(refs.logseq(i));
        else candidates.set(e, [refs.logseq(i)]);
      }
    }
    const out: TgkRecord[] = [];
    for (const [e, logseqs] of candidates) {
      const rec = this.lookupEdge(s, e, opts);
      if (rec !== undefined && logseqs.includes(rec.logseq)) out.push(rec);
    }
    return out.sort((a, b) => (a.tgkEdgeId < b.tgkEdgeId ? -1 : a.tgkEdgeId > b.tgkEdgeId ? 1 : 0));
  }
}

/**
 * QRY_DUPLICATE_LOGSEQ (ATXI-VIS-005): no logseq is used in two segments of the set. Segments whose
 * [logseq_min, logseq_max] overlap no other cannot share one (each segment is unique inside already);
 * the logseqs of the others are sorted together and the smallest repeat is reported.
 */
function checkSetLogseqs(segments: readonly DecodedSegment[]): void {
  const order = [...segments].sort((a, b) =>
    a.logseqMin < b.logseqMin ? -1 : a.logseqMin > b.logseqMin ? 1 : 0,
  );
  const overlapping = new Set<DecodedSegment>();
  let reach: DecodedSegment | undefined;
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

function hasLogseq(t: KeyedRecordTable, ls: bigint): boolean {
  for (let i = 0; i < t.count; i++) if (t.logseq(i) === ls) return true;
  return false;
}
