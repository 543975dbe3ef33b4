// Generated segment contents for the codec, query and sharding properties: small valid encoder inputs over
// one log (distinct logseqs, shuffled records, ids near 0 or at 2^60), a fixed pool of TGK edges, and
// queries over them. Segments are built by the reference (the oracle), never by the implementation.
import fc from "fast-check";
import type { Edge, Query, SegmentInput } from "../../adapters/interface.ts";
import { segmentHandlers } from "../../adapters/reference/segments.ts";

const FILTERS = [
  { kind: "bloom", domain: "asl" },
  { kind: "xor8", domain: "tgk" },
  { kind: "xor8", domain: "asl" },
  { kind: "bloom", domain: "node" },
] as const;

/**
 * Records, filters and projections of one segment; `kinds` limits the filters to the kinds an implementation
 * claims (DEC-011: a reader or writer that does not implement a filter kind treats it as unknown).
 */
export const recordsArbFor = (kinds: ReadonlySet<string> = new Set(["bloom", "xor8"])) =>
  fc.record({
    asl: fc.array(
      fc.record({
        id: fc.bigInt({ min: 0n, max: 6n }),
        tag: fc.option(fc.nat(3), { nil: null }),
        tomb: fc.boolean(),
      }),
      { maxLength: 12 },
    ),
    tgk: fc.array(
      fc.record({
        e: fc.nat(3),
        type: fc.option(fc.nat(3), { nil: null }),
        role: fc.nat(3),
        tomb: fc.boolean(),
      }),
      { maxLength: 8 },
    ),
    big: fc.boolean(),
    filters: fc.subarray(FILTERS.filter((f) => kinds.has(f.kind))),
    projections: fc.boolean(),
  });
export const recordsArb = recordsArbFor();
export type Records = typeof recordsArb extends fc.Arbitrary<infer T> ? T : never;

/** The filter kinds of the claimed capabilities. */
export function claimedKinds(claimed: ReadonlySet<string>): Set<string> {
  return new Set([
    ...(claimed.has("filter-bloom") ? ["bloom"] : []),
    ...(claimed.has("filter-xor") ? ["xor8"] : []),
  ]);
}

export const EDGE_POOL: Edge[] = [
  { edge_type: null, from: ["1"], to: ["2"] },
  { edge_type: 4, from: ["2", "3"], to: ["1"] },
  { edge_type: null, from: ["5"], to: ["5"] },
  { edge_type: null, from: [], to: ["18446744073709551615"] },
];

let poolIds: string[] | undefined;
/** The ids of EDGE_POOL, as the reference computes them (DEC-016). */
export const edgeIds = (): string[] =>
  (poolIds ??= EDGE_POOL.map((e) => segmentHandlers["tgk.edge_id"]({ edge: e }).edge_id));

/** A valid encoder input over one log: logseqs are distinct, in shuffled records. */
export function inputFrom(r: Records, segmentId: number, logseqBase: number): SegmentInput {
  let ls = logseqBase;
  const bigOff = r.big ? 1n << 60n : 0n;
  const ids = edgeIds();
  const asl = r.asl.map((a) => ({
    logseq: String(++ls),
    artifact_id: String(a.id + bigOff),
    type_tag: a.tomb ? null : a.tag,
    tombstone: a.tomb,
  }));
  const tgk = r.tgk.map((t) => ({
    logseq: String(++ls),
    tgk_edge_id: ids[t.e]!,
    edge_type_key: t.tomb ? null : t.type,
    role: t.tomb ? 0 : t.role,
    tombstone: t.tomb,
  }));
  return {
    segment_id: String(segmentId),
    logseq_min: String(logseqBase + 1),
    logseq_max: String(Math.max(ls, logseqBase + 1)),
    asl_records: asl,
    tgk_records: tgk,
    edges: r.projections ? EDGE_POOL : [],
    node_projections: r.projections,
    filters: [...r.filters],
  };
}

export const queryArb = (maxAt: number) =>
  fc.record({
    kind: fc.constantFrom("artifact", "edge", "incident"),
    key: fc.nat(6),
    // Ask at 2^60 + key too, where the segments of `big` records put their ids: two distinct ids there can
    // round to one float64, which a reader holding ids as JS numbers confuses.
    big: fc.boolean(),
    at: fc.nat(maxAt),
    role: fc.constantFrom("from", "to", "any"),
  });
export type QueryChoice = typeof queryArb extends (n: number) => fc.Arbitrary<infer T> ? T : never;

export function queryFrom(q: QueryChoice): Query {
  const ids = edgeIds();
  return q.kind === "artifact"
    ? { kind: "artifact", artifact_id: String(BigInt(q.key) + (q.big ? 1n << 60n : 0n)), at: String(q.at) }
    : q.kind === "edge"
      ? { kind: "edge", tgk_edge_id: ids[q.key % ids.length]!, at: String(q.at) }
      : { kind: "incident", node_id: String(q.key), role: q.role as "from" | "to" | "any", at: String(q.at) };
}

export const encode = (input: SegmentInput): Uint8Array => segmentHandlers["seg.encode"]({ input }).bytes;
