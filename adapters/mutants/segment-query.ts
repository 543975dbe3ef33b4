// Mutants of snapshot-safe queries over a set of segments (ENC-ASL-TGK-INDEX section 10, DEC-029), and of
// the TGK edge identity, node projections and sharding (sections 8, 9 and 12). The query mutants answer
// through a deliberately plain scan of the decoded records (`answerByScan`), which with no defect switched
// on answers exactly as the reference (test/mutants/selftest.test.ts holds it to that), so each defect is
// one switch.
import { first8BigEndian, sha256 } from "../../reference/common/hash.ts";
import { filterMayContain } from "../../reference/filters/filter.ts";
import { fmix64, mulHi32 } from "../../reference/filters/mix.ts";
import { type DecodedSegment, decodeSegment } from "../../reference/segment/decode.ts";
import type { Segment } from "../../reference/segment/model.ts";
import { canonicalEdgeEncoding, compareNodeRefs, normalizeEdge } from "../../reference/tgk/edge.ts";
import type { Answer, Outcome, Query } from "../interface.ts";
import { aslHitWire, edgeArg, tgkHitWire } from "../reference/segments.ts";
import { defineMutant, type Handlers, type Mutant } from "./mutant.ts";

export interface ScanDefects {
  /** ATXI-VIS-002 broken: a record is visible when logseq < S. */
  visibleBelow?: boolean;
  /** ATXI-VIS-001 broken: a segment takes part when logseq_max <= S. */
  takePartByMax?: boolean;
  /** ATXI-VIS-003 broken: a tombstone hides only records of its own segment. */
  localTombstones?: boolean;
}

interface Rec {
  logseq: bigint;
  tombstone: boolean;
}

/** Answers one query by scanning every record of every segment: slow, plain, and the defects' host. */
export function answerByScan(segs: readonly Segment[], q: Query, d: ScanDefects = {}): Answer {
  const s = BigInt(q.at);
  const takesPart = (g: Segment) => (d.takePartByMax ? g.header.logseqMax : g.header.logseqMin) <= s;
  const visible = (ls: bigint) => (d.visibleBelow ? ls < s : ls <= s);
  function win<R extends Rec>(records: (g: Segment) => readonly R[]): R | undefined {
    let best: R | undefined;
    for (const g of segs) {
      if (!takesPart(g)) continue;
      let local: R | undefined;
      for (const r of records(g)) if (visible(r.logseq) && (!local || r.logseq > local.logseq)) local = r;
      const candidate = d.localTombstones && local?.tombstone ? undefined : local;
      if (candidate && (!best || candidate.logseq > best.logseq)) best = candidate;
    }
    return best && !best.tombstone ? best : undefined;
  }
  const edge = (id: bigint) => win((g) => g.tgkRecords.filter((r) => r.tgkEdgeId === id));
  if (q.kind === "artifact") {
    const id = BigInt(q.artifact_id);
    const r = win((g) => g.aslRecords.filter((x) => x.artifactId === id));
    return r === undefined
      ? { found: false }
      : {
          found: true,
          record: aslHitWire(r),
        };
  }
  if (q.kind === "edge") {
    const r = edge(BigInt(q.tgk_edge_id));
    return r === undefined
      ? { found: false }
      : {
          found: true,
          record: tgkHitWire(r),
        };
  }
  const node = BigInt(q.node_id);
  const want = q.role === "from" ? 1 : q.role === "to" ? 2 : 0;
  const candidates = new Map<bigint, bigint[]>();
  for (const g of segs) {
    if (!takesPart(g)) continue;
    for (const r of g.nodeRefs ?? []) {
      if (r.nodeId !== node || (want !== 0 && r.position !== want) || !visible(r.logseq)) continue;
      candidates.set(r.tgkEdgeId, [...(candidates.get(r.tgkEdgeId) ?? []), r.logseq]);
    }
  }
  const edges = [...candidates]
    .filter(([id, logseqs]) => {
      const r = edge(id);
      return r !== undefined && logseqs.includes(r.logseq);
    })
    .map(([id]) => id)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { edges: edges.map(String) };
}

interface ScanOptions extends ScanDefects {
  /** QRY_DUPLICATE_LOGSEQ and QRY_DUPLICATE_SEGMENT_ID: which the mutant fails to detect. */
  ignoreSetErrors?: string[];
}

/**
 * seg.query answered by the scan: the reference decides every error (set-level errors and per-query
 * ones), except the set errors the mutant does not detect, and the scan gives every answer.
 */
function scanQuery(ref: Handlers, o: ScanOptions): Handlers["seg.query"] {
  return (a) => {
    let refAnswers: Outcome<Answer>[] | undefined;
    try {
      refAnswers = ref["seg.query"](a).answers;
    } catch (e) {
      const code = (e as { code?: string }).code ?? "";
      if (!o.ignoreSetErrors?.includes(code)) throw e;
    }
    const segs = a.segments.map((b) => decodeSegment(b).toSegment());
    return {
      answers: a.queries.map((q, i): Outcome<Answer> => {
        const r = refAnswers?.[i];
        if (r && "error" in r) return r;
        try {
          return { ok: answerByScan(segs, q, o) };
        } catch (e) {
          return { error: { code: (e as { code?: string }).code ?? "INTERNAL", message: String(e) } };
        }
      }),
    };
  };
}

const scanMutant = (def: Omit<Mutant, "create">, o: ScanOptions) =>
  defineMutant(def, ({ ref }) => ({ "seg.query": scanQuery(ref, o) }));

/** The plain scan with no defect: it must conform, or the query mutants prove nothing. */
export const scanControl = scanMutant(
  { id: "control-query-by-scan", description: "no defect", rules: [], capabilities: ["segment-query"] },
  {},
);

const visibleBelow = scanMutant(
  {
    id: "query-visibility-strict",
    description: "a record is taken as visible at S when logseq < S, leaving out logseq = S",
    rules: ["ATXI-VIS-002"],
    capabilities: ["segment-query"],
  },
  { visibleBelow: true },
);

const takePartByMax = scanMutant(
  {
    id: "query-take-part-by-max",
    description: "a segment takes part at S when its logseq_max <= S instead of its logseq_min",
    rules: ["ATXI-VIS-001"],
    capabilities: ["segment-query"],
  },
  { takePartByMax: true },
);

const localTombstones = scanMutant(
  {
    id: "query-local-tombstones",
    description: "a tombstone hides its key only within its own segment, not across segments",
    rules: ["ATXI-VIS-003"],
    capabilities: ["segment-query"],
  },
  { localTombstones: true },
);

const duplicateLogseq = scanMutant(
  {
    id: "query-duplicate-logseq-undetected",
    description: "a set of segments that use one logseq twice is queried instead of refused",
    rules: ["ATXI-VIS-005"],
    capabilities: ["segment-query"],
  },
  { ignoreSetErrors: ["QRY_DUPLICATE_LOGSEQ"] },
);

const duplicateSegmentId = scanMutant(
  {
    id: "query-duplicate-segment-id-undetected",
    description: "a set of segments that share a segment_id is queried instead of refused",
    rules: ["ATXI-HDR-007"],
    capabilities: ["segment-query"],
  },
  { ignoreSetErrors: ["QRY_DUPLICATE_SEGMENT_ID"] },
);

/** The filter's "possibly present" is taken as a hit: a false positive answers with a record. */
const filterAuthoritative = defineMutant(
  {
    id: "query-filter-authoritative",
    description: "a filter's 'possibly present' for a key its segment does not hold is answered as a hit",
    rules: ["ATXI-FLT-003", "ATXI-VIS-004"],
    capabilities: ["segment-query"],
  },
  ({ ref }) => ({
    "seg.query": (a) => {
      const r = ref["seg.query"](a);
      if (a.use_filters === false) return r;
      const segs: DecodedSegment[] = a.segments.map((b) => decodeSegment(b));
      return {
        answers: r.answers.map((ans, i) => {
          const q = a.queries[i]!;
          if (!("ok" in ans) || !("found" in ans.ok) || ans.ok.found || q.kind === "incident") return ans;
          const s = BigInt(q.at);
          const key = BigInt(q.kind === "artifact" ? q.artifact_id : q.tgk_edge_id);
          for (const g of segs) {
            if (g.logseqMin > s) continue;
            const f = g.filterFor(q.kind === "artifact" ? 1 : 2);
            const plain = g.toSegment();
            const holds =
              q.kind === "artifact"
                ? plain.aslRecords.some((x) => x.artifactId === key)
                : plain.tgkRecords.some((x) => x.tgkEdgeId === key);
            if (f === undefined || holds || !filterMayContain(f, key)) continue;
            const logseq = g.logseqMin.toString();
            const record =
              q.kind === "artifact"
                ? { logseq, artifact_id: key.toString(), has_type_tag: 0, type_tag: 0 }
                : { logseq, tgk_edge_id: key.toString(), has_edge_type: 0, edge_type_key: 0, role: 0 };
            return { ok: { found: true, record } } as Outcome<Answer>;
          }
          return ans;
        }),
      };
    },
  }),
);

const rolesSwapped = defineMutant(
  {
    id: "query-incident-roles-swapped",
    description: "incidence by role reads position 1 as 'to' and 2 as 'from'",
    rules: ["ATXI-NPR-005"],
    capabilities: ["segment-query", "node-projections"],
  },
  ({ ref }) => ({
    "seg.query": (a) =>
      ref["seg.query"]({
        ...a,
        queries: Array.isArray(a.queries)
          ? a.queries.map((q) =>
              q.kind === "incident" && q.role !== "any"
                ? { ...q, role: q.role === "from" ? "to" : "from" }
                : q,
            )
          : a.queries,
      }),
  }),
);

/** The edge type is hashed into the canonical encoding, so an edge's id changes with its type. */
const edgeIdWithType = defineMutant(
  {
    id: "tgk-edge-id-includes-type",
    description:
      "the tgk_edge_id hashes the edge type after the canonical encoding, so the type changes identity",
    rules: ["ATXI-INV-003", "ATXI-INV-002"],
    capabilities: ["tgk-edges", "node-projections"],
  },
  ({ ref }) => {
    const idOf = (wire: Parameters<Handlers["tgk.edge_id"]>[0]["edge"]) => {
      const e = edgeArg(wire);
      if (e.edgeType === undefined) return undefined;
      const enc = canonicalEdgeEncoding(e);
      const withType = new Uint8Array(enc.length + 4);
      withType.set(enc);
      new DataView(withType.buffer).setUint32(enc.length, e.edgeType, true);
      return first8BigEndian(sha256(withType)).toString();
    };
    return {
      "tgk.edge_id": (a) => {
        const r = ref["tgk.edge_id"](a);
        return { edge_id: idOf(a.edge) ?? r.edge_id };
      },
      "tgk.project": (a) => {
        const r = ref["tgk.project"](a);
        const id = idOf(a.edge);
        return id === undefined ? r : { refs: r.refs.map((x) => ({ ...x, tgk_edge_id: id })) };
      },
    };
  },
);

/** The canonical encoding lists from and to in the order given, unsorted. */
const edgeIdUnsorted = defineMutant(
  {
    id: "tgk-edge-id-unsorted-nodes",
    description:
      "the canonical edge encoding lists the from and to nodes in the order given instead of ascending",
    rules: ["ATXI-INV-002"],
    capabilities: ["tgk-edges"],
  },
  ({ ref }) => ({
    "tgk.edge_id": (a) => {
      ref["tgk.edge_id"](a); // the reference's checks (TGK_INVALID_EDGE)
      const e = edgeArg(a.edge);
      normalizeEdge(e);
      const prefix = new TextEncoder().encode("TGK-EDGE/1");
      const out = new Uint8Array(prefix.length + 8 + 8 * (e.from.length + e.to.length));
      const dv = new DataView(out.buffer);
      out.set(prefix);
      let p = prefix.length;
      for (const list of [e.from, e.to]) {
        dv.setUint32(p, list.length, true);
        p += 4;
        for (const id of list) {
          dv.setBigUint64(p, id, true);
          p += 8;
        }
      }
      return { edge_id: first8BigEndian(sha256(out)).toString() };
    },
  }),
);

const projectionPositionsSwapped = defineMutant(
  {
    id: "tgk-projection-positions-swapped",
    description: "node projections give from nodes position 2 and to nodes position 1",
    rules: ["ATXI-NPR-002"],
    capabilities: ["node-projections"],
  },
  ({ ref }) => ({
    "tgk.project": (a) => {
      const refs = ref["tgk.project"](a).refs.map((r) => ({ ...r, position: (3 - r.position) as 1 | 2 }));
      const big = refs.map((r) => ({
        wire: r,
        logseq: BigInt(r.logseq),
        nodeId: BigInt(r.node_id),
        tgkEdgeId: BigInt(r.tgk_edge_id),
        position: r.position,
      }));
      return { refs: big.sort(compareNodeRefs).map((r) => r.wire) };
    },
  }),
);

const shardModulo = defineMutant(
  {
    id: "shard-modulo",
    description: "shard(key, N) is fmix64(key) mod N instead of DEC-024's multiply-shift of the high word",
    rules: ["ATXI-SHD-001"],
    capabilities: ["sharding"],
  },
  ({ ref }) => ({
    "shard.assign": (a) => {
      ref["shard.assign"](a); // the reference's checks
      return { shard: Number(fmix64(BigInt(a.key)) % BigInt(a.shards)) };
    },
  }),
);

/** floor(h x (N - 1) / 2^32): the last shard never gets a key; its keys land on the others. */
const shardOffByOne = defineMutant(
  {
    id: "shard-count-off-by-one",
    description: "shard(key, N) spreads keys over N - 1 shards, so the last shard never gets any",
    rules: ["ATXI-SHD-001"],
    capabilities: ["sharding"],
  },
  ({ ref }) => ({
    "shard.assign": (a) => {
      const r = ref["shard.assign"](a);
      if (a.shards < 2) return r;
      const hi = Number(fmix64(BigInt(a.key)) >> 32n);
      return { shard: mulHi32(hi, a.shards - 1) };
    },
  }),
);

export const segmentQueryMutants: Mutant[] = [
  visibleBelow,
  takePartByMax,
  localTombstones,
  duplicateLogseq,
  duplicateSegmentId,
  filterAuthoritative,
  rolesSwapped,
];

export const edgeMutants: Mutant[] = [
  edgeIdWithType,
  edgeIdUnsorted,
  projectionPositionsSwapped,
  shardModulo,
  shardOffByOne,
];
