// Shared arbitraries and builders for the segment tests: random valid writer inputs (records, edges,
// filters) that fast-check shrinks, and a BigInt reference model of DEC-029 visibility.
import fc from "fast-check";
import type { SegmentInput } from "../../../reference/segment/encode.ts";
import type { AslRecord, TgkRecord } from "../../../reference/segment/model.ts";
import { type Edge, edgeId } from "../../../reference/tgk/edge.ts";

export const U64_MAX = (1n << 64n) - 1n;

/** Ids drawn from a small pool (so keys repeat across versions) plus a few extremes. */
export const idArb = fc.oneof(
  fc.bigInt({ min: 0n, max: 12n }),
  fc.constantFrom(U64_MAX, (1n << 53n) + 1n, 1n << 63n),
  fc.bigInt({ min: 0n, max: U64_MAX }),
);

export interface Op {
  kind: "asl" | "tgk";
  id: number;
  tombstone: boolean;
  tag: number | undefined;
  role: 0 | 1 | 2 | 3;
}

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom("asl" as const, "tgk" as const),
  id: fc.nat({ max: 7 }),
  tombstone: fc.boolean(),
  tag: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }),
  role: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
});

/** A small pool of edges over nodes 0..5 (ids computed per DEC-016). */
export const EDGE_POOL: Edge[] = [
  { from: [0n], to: [1n] },
  { from: [1n, 2n], to: [3n] },
  { from: [3n], to: [3n, 4n] },
  { from: [], to: [5n] },
  { from: [2n], to: [] },
  { from: [4n, 5n], to: [0n, 1n] },
  { from: [0n], to: [2n], edgeType: 1 },
  { from: [5n], to: [4n] },
];
export const EDGE_IDS = EDGE_POOL.map(edgeId);
export const ARTIFACT_POOL = [0n, 1n, 2n, 1n << 60n, (1n << 53n) + 1n, U64_MAX, 77n, 78n];

/** A log of operations: op i gets logseq i + 1 (one sequence for ASL and TGK, DEC-005). */
export const logArb = fc.array(opArb, { maxLength: 40 });

export function recordsOf(ops: readonly Op[], first = 1n): { asl: AslRecord[]; tgk: TgkRecord[] } {
  const asl: AslRecord[] = [];
  const tgk: TgkRecord[] = [];
  ops.forEach((op, i) => {
    const logseq = first + BigInt(i);
    if (op.kind === "asl") {
      asl.push({
        logseq,
        artifactId: ARTIFACT_POOL[op.id]!,
        typeTag: op.tombstone ? undefined : op.tag,
        tombstone: op.tombstone,
      });
    } else {
      tgk.push({
        logseq,
        tgkEdgeId: EDGE_IDS[op.id]!,
        edgeTypeKey: op.tombstone ? undefined : op.tag,
        role: op.tombstone ? 0 : op.role,
        tombstone: op.tombstone,
      });
    }
  });
  return { asl, tgk };
}

/** Cuts a log into consecutive segments at the given points; every segment carries projections and filters. */
export function segmentsOf(ops: readonly Op[], cuts: readonly number[], filters: boolean): SegmentInput[] {
  const points = [...new Set([0, ...cuts.map((c) => c % (ops.length + 1)), ops.length])].sort(
    (a, b) => a - b,
  );
  const out: SegmentInput[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const lo = points[k]!;
    const hi = points[k + 1]!;
    const { asl, tgk } = recordsOf(ops.slice(lo, hi), BigInt(lo + 1));
    out.push({
      segmentId: BigInt(k + 1),
      logseqMin: BigInt(lo + 1),
      logseqMax: BigInt(Math.max(hi, lo + 1)),
      aslRecords: asl,
      tgkRecords: tgk,
      edges: EDGE_POOL,
      filters: filters
        ? [
            { build: k % 2 === 0 ? "bloom" : "xor8", domain: 1 },
            { build: k % 2 === 0 ? "xor8" : "bloom", domain: 2 },
            { build: "bloom", domain: 3 },
          ]
        : [],
    });
  }
  return out;
}

/** The DEC-029 model: the newest op <= S for a key, by a plain reverse scan (the oracle of the oracle). */
export function modelLookup(
  ops: readonly Op[],
  s: number,
  kind: "asl" | "tgk",
  id: number,
): { logseq: bigint } | undefined {
  for (let i = Math.min(s, ops.length) - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (op.kind === kind && op.id === id) return op.tombstone ? undefined : { logseq: BigInt(i + 1) };
  }
  return undefined;
}
