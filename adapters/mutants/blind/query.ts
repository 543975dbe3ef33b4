// Mutants written blind, from the spec alone: queries over a set of segments (DEC-029): visibility by
// logseq at S, tombstones across segments, filters as advisory, incidence by role, duplicate logseqs. Each
// runs a query engine of its own, the reference's semantics but for its one defect.
import { AslError } from "../../../reference/common/errors.ts";
import { filterProber } from "../../../reference/filters/filter.ts";
import { hiWord, loWord } from "../../../reference/filters/mix.ts";
import { SegmentSet } from "../../../reference/query/segment-set.ts";
import { type DecodedSegment, decodeSegment } from "../../../reference/segment/decode.ts";
import type { KeyedRecordTable } from "../../../reference/segment/records.ts";
import type { Answer, Handlers, Query } from "../../interface.ts";
import { bytesArg, u64 } from "../../reference/convert.ts";
import { aslHitWire, tgkHitWire } from "../../reference/segments.ts";
import { defineMutant, type Mutant } from "../mutant.ts";
import { answerAll, u64Text } from "./common.ts";

interface Defects {
  /** A segment's newest record for the key being a tombstone only makes that segment say nothing. */
  tombstoneLocal?: boolean;
  /** Filters looked up by a 0-based domain index: a query of domain d consults the filter of domain d + 1. */
  filterNextDomain?: boolean;
  /** Set-level logseq check only between segments adjacent in logseq_min order. */
  adjacentLogseqCheck?: boolean;
  /** Incidence selects by the winning edge record's role field instead of the refs' position. */
  roleFromRecord?: boolean;
}

type Probe = ((hi: number, lo: number) => boolean) | undefined;

function minLogseq(t: KeyedRecordTable): bigint | undefined {
  let m: bigint | undefined;
  for (let i = 0; i < t.count; i++) {
    const ls = t.logseq(i);
    if (m === undefined || ls < m) m = ls;
  }
  return m;
}

function logseqsOf(s: DecodedSegment): Set<bigint> {
  const out = new Set<bigint>();
  for (let i = 0; i < s.asl.count; i++) out.add(s.asl.logseq(i));
  for (let i = 0; i < s.tgk.count; i++) out.add(s.tgk.logseq(i));
  return out;
}

class BlindSet {
  private constructor(
    private readonly segs: readonly DecodedSegment[],
    private readonly d: Defects,
  ) {}

  static open(segments: readonly Uint8Array[], d: Defects): BlindSet {
    const segs = segments.map((b, i) => decodeSegment(bytesArg(b, `segments[${i}]`)));
    if (!d.adjacentLogseqCheck) {
      SegmentSet.open(segs); // the reference's set-level errors
      return new BlindSet(segs, d);
    }
    const ids = new Set<bigint>();
    for (const s of segs) {
      if (ids.has(s.segmentId))
        throw new AslError("QRY_DUPLICATE_SEGMENT_ID", `segment_id ${s.segmentId} appears twice`);
      ids.add(s.segmentId);
    }
    const order = [...segs].sort((a, b) =>
      a.logseqMin < b.logseqMin ? -1 : a.logseqMin > b.logseqMin ? 1 : 0,
    );
    for (let i = 1; i < order.length; i++) {
      const prev = order[i - 1]!;
      const cur = order[i]!;
      if (cur.logseqMin > prev.logseqMax) continue;
      const seen = logseqsOf(prev);
      for (const ls of logseqsOf(cur))
        if (seen.has(ls)) throw new AslError("QRY_DUPLICATE_LOGSEQ", `logseq ${ls} is used twice in the set`);
    }
    return new BlindSet(segs, d);
  }

  private probe(seg: DecodedSegment, domain: 1 | 2 | 3): Probe {
    const d = this.d.filterNextDomain ? domain + 1 : domain;
    if (d > 3) return undefined;
    const f = seg.filterFor(d as 1 | 2 | 3);
    return f ? filterProber(f) : undefined;
  }

  private winner(
    s: bigint,
    key: bigint,
    kind: "asl" | "tgk",
    useFilters: boolean,
  ): { seg: DecodedSegment; i: number } | undefined {
    let best: { seg: DecodedSegment; i: number; ls: bigint } | undefined;
    for (const seg of this.segs) {
      if (seg.logseqMin > s) continue;
      const probe = useFilters ? this.probe(seg, kind === "asl" ? 1 : 2) : undefined;
      if (probe !== undefined && !probe(hiWord(key), loWord(key))) continue;
      const t = kind === "asl" ? seg.asl : seg.tgk;
      const i = t.findLatest(hiWord(key), loWord(key), hiWord(s), loWord(s));
      if (i < 0) continue;
      if (this.d.tombstoneLocal && t.tombstone(i)) continue;
      const ls = t.logseq(i);
      if (best === undefined || ls > best.ls) best = { seg, i, ls };
    }
    return best;
  }

  artifact(s: bigint, id: bigint, useFilters: boolean): Answer {
    const w = this.winner(s, id, "asl", useFilters);
    if (w === undefined || w.seg.asl.tombstone(w.i)) return { found: false };
    return { found: true, record: aslHitWire(w.seg.asl.record(w.i)) };
  }

  edge(s: bigint, id: bigint, useFilters: boolean): Answer {
    const w = this.winner(s, id, "tgk", useFilters);
    if (w === undefined || w.seg.tgk.tombstone(w.i)) return { found: false };
    return { found: true, record: tgkHitWire(w.seg.tgk.record(w.i)) };
  }

  incident(s: bigint, node: bigint, role: "from" | "to" | "any", useFilters: boolean): Answer {
    const taking = this.segs.filter((seg) => seg.logseqMin <= s);
    for (const seg of taking) {
      const m = minLogseq(seg.tgk);
      if (seg.nodeRefs === undefined && m !== undefined && m <= s)
        throw new AslError(
          "QRY_NO_PROJECTIONS",
          `segment ${seg.segmentId} holds TGK records but no projections`,
        );
    }
    const byRecord = this.d.roleFromRecord === true;
    const candidates = new Map<bigint, bigint[]>();
    for (const seg of taking) {
      const refs = seg.nodeRefs;
      if (refs === undefined) continue;
      const probe = useFilters ? this.probe(seg, 3) : undefined;
      if (probe !== undefined && !probe(hiWord(node), loWord(node))) continue;
      for (let i = refs.lowerBound(hiWord(node), loWord(node)); i < refs.count; i++) {
        if (!refs.hasNode(i, hiWord(node), loWord(node))) break;
        const pos = refs.position(i);
        if (!byRecord && (role === "from" ? pos !== 1 : role === "to" ? pos !== 2 : false)) continue;
        if (refs.logseq(i) > s) continue;
        const e = refs.tgkEdgeId(i);
        candidates.set(e, [...(candidates.get(e) ?? []), refs.logseq(i)]);
      }
    }
    const out: bigint[] = [];
    for (const [e, logseqs] of candidates) {
      const w = this.winner(s, e, "tgk", useFilters);
      if (w === undefined || w.seg.tgk.tombstone(w.i)) continue;
      const rec = w.seg.tgk.record(w.i);
      if (!logseqs.includes(rec.logseq)) continue;
      // role 1 = from, 2 = to, 3 = both (DEC-013), read as the direction the node takes in the edge.
      if (byRecord && role === "from" && rec.role !== 1 && rec.role !== 3) continue;
      if (byRecord && role === "to" && rec.role !== 2 && rec.role !== 3) continue;
      out.push(e);
    }
    return { edges: out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String) };
  }

  answer(q: Query, useFilters: boolean): Answer {
    const at = u64(q.at, "query.at");
    switch (q.kind) {
      case "artifact":
        return this.artifact(at, u64(q.artifact_id, "query.artifact_id"), useFilters);
      case "edge":
        return this.edge(at, u64(q.tgk_edge_id, "query.tgk_edge_id"), useFilters);
      case "incident":
        if (q.role !== "from" && q.role !== "to" && q.role !== "any")
          throw new AslError("PROTO_BAD_REQUEST", "role must be from, to or any", { field: "query.role" });
        return this.incident(at, u64(q.node_id, "query.node_id"), q.role, useFilters);
      default:
        throw new AslError(
          "PROTO_BAD_REQUEST",
          `unknown query kind ${JSON.stringify((q as { kind?: unknown }).kind)}`,
          { field: "query.kind" },
        );
    }
  }
}

function queryWith(d: Defects): Pick<Handlers, "seg.query"> {
  return {
    "seg.query": (a) => {
      if (!Array.isArray(a.segments) || !Array.isArray(a.queries))
        throw new AslError("PROTO_BAD_REQUEST", "segments and queries must be arrays");
      const set = BlindSet.open(a.segments, d);
      return { answers: answerAll(a.queries, (q) => set.answer(q, a.use_filters !== false)) };
    },
  };
}

const visibilityExclusive = defineMutant(
  {
    id: "blind-qry-visibility-exclusive",
    description:
      "At snapshot S a record is taken as visible when logseq < S (S read as a count of entries, as a 0-based log position would be) instead of logseq <= S.",
    rules: ["ATXI-VIS-002"],
    capabilities: ["segment-query"],
  },
  ({ ref }) => ({
    "seg.query": (a) => {
      const queries = Array.isArray(a.queries)
        ? a.queries.map((q) => {
            const s = u64Text(q.at);
            return s !== undefined && s > 0n ? { ...q, at: (s - 1n).toString() } : q;
          })
        : a.queries;
      return ref["seg.query"]({ ...a, queries });
    },
  }),
);

const tombstoneHidesOnlyOwnSegment = defineMutant(
  {
    id: "blind-qry-tombstone-hides-only-own-segment",
    description:
      "A segment whose newest visible record for a key is a tombstone is skipped as holding nothing, so an older live record in another segment wins instead of the key being absent.",
    rules: ["ATXI-VIS-003"],
    capabilities: ["segment-query"],
  },
  () => queryWith({ tombstoneLocal: true }),
);

const filterOfNextDomain = defineMutant(
  {
    id: "blind-qry-filter-of-next-domain",
    description:
      "With use_filters, a query indexes the segment's filters by a 0-based domain, so an artifact lookup consults the TGK filter and an edge lookup the node filter, and skips segments that hold the key.",
    rules: ["ATXI-FLT-003", "ATXI-VIS-004"],
    capabilities: ["segment-query"],
  },
  () => queryWith({ filterNextDomain: true }),
);

const duplicateLogseqAdjacentOnly = defineMutant(
  {
    id: "blind-qry-duplicate-logseq-adjacent-only",
    description:
      "QRY_DUPLICATE_LOGSEQ is looked for only between segments adjacent in logseq_min order whose ranges overlap, comparing each with its predecessor's logseq_max rather than the furthest reach so far, so a repeat between non-adjacent segments passes.",
    rules: ["ATXI-VIS-005"],
    capabilities: ["segment-query"],
  },
  () => queryWith({ adjacentLogseqCheck: true }),
);

const incidenceRoleFromRecord = defineMutant(
  {
    id: "blind-qry-incidence-role-from-record",
    description:
      "Incidence by role selects edges by the winning TGK record's role field (from = 1 or 3, to = 2 or 3) instead of by the position of the node's own refs (1 from, 2 to).",
    rules: ["ATXI-NPR-005"],
    capabilities: ["segment-query", "node-projections"],
  },
  () => queryWith({ roleFromRecord: true }),
);

export const queryMutants: readonly Mutant[] = [
  visibilityExclusive,
  tombstoneHidesOnlyOwnSegment,
  filterOfNextDomain,
  duplicateLogseqAdjacentOnly,
  incidenceRoleFromRecord,
];
