// Routing and early exit (DEC-024, DEC-029, ATXI-VIS-005): a set that walks only a key's shard, newest
// segment first, stops as soon as no older segment can hold a newer record, and answers small segments
// from an index merged at open, must answer every query at every S exactly as a scan of every record of
// every segment does. The segments here interleave their logseqs (overlapping ranges, loose bounds), so the
// early exit meets every case the walk can: a newer record further down, a tombstone, a record above S.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type IncidenceRole, SegmentSet, type SegmentSource } from "../../../reference/query/segment-set.ts";
import { shardInput } from "../../../reference/query/shard.ts";
import { type DecodedSegment, decodeSegment } from "../../../reference/segment/decode.ts";
import { encodeSegment, type SegmentInput } from "../../../reference/segment/encode.ts";
import type { TgkRecord } from "../../../reference/segment/model.ts";
import { ARTIFACT_POOL, EDGE_IDS, EDGE_POOL, logArb, type Op, recordsOf } from "./helpers.ts";

/** The oracle: the record with the greatest logseq <= S for the key over every record of every segment. */
function scanLookup(segs: readonly DecodedSegment[], s: bigint, kind: "asl" | "tgk", key: bigint) {
  let best: { seg: DecodedSegment; i: number; logseq: bigint } | undefined;
  for (const seg of segs) {
    if (seg.logseqMin > s) continue;
    const t = kind === "asl" ? seg.asl : seg.tgk;
    for (let i = 0; i < t.count; i++) {
      const ls = t.logseq(i);
      if (t.id(i) === key && ls <= s && (best === undefined || ls > best.logseq))
        best = { seg, i, logseq: ls };
    }
  }
  if (best === undefined) return undefined;
  const t = kind === "asl" ? best.seg.asl : best.seg.tgk;
  return t.tombstone(best.i) ? undefined : t.record(best.i);
}

function scanIncident(segs: readonly DecodedSegment[], s: bigint, node: bigint, role: IncidenceRole) {
  const out = new Map<bigint, TgkRecord>();
  for (const seg of segs) {
    const refs = seg.nodeRefs;
    if (refs === undefined || seg.logseqMin > s) continue;
    for (let i = 0; i < refs.count; i++) {
      const pos = refs.position(i);
      if (refs.nodeId(i) !== node || refs.logseq(i) > s) continue;
      if ((role === "from" && pos !== 1) || (role === "to" && pos !== 2)) continue;
      const rec = scanLookup(segs, s, "tgk", refs.tgkEdgeId(i)) as TgkRecord | undefined;
      if (rec !== undefined && rec.logseq === refs.logseq(i)) out.set(rec.tgkEdgeId, rec);
    }
  }
  return [...out.values()].sort((a, b) => (a.tgkEdgeId < b.tgkEdgeId ? -1 : 1));
}

/** Ops dealt to segments by `deal`; header bounds are loosened by `slack` (DEC-005: need not be tight). */
function dealtSegments(
  ops: readonly Op[],
  deal: readonly number[],
  count: number,
  slack: number,
): SegmentInput[] {
  return Array.from({ length: count }, (_, k): SegmentInput => {
    const mine = ops
      .map((op, i) => ({ op, i }))
      .filter((_, i) => (deal[i % Math.max(1, deal.length)] ?? 0) % count === k);
    const asl = [];
    const tgk = [];
    for (const { op, i } of mine) {
      const r = recordsOf([op], BigInt(i + 1));
      asl.push(...r.asl);
      tgk.push(...r.tgk);
    }
    const first = mine.length ? mine[0]!.i + 1 : 1 + k;
    const last = mine.length ? mine[mine.length - 1]!.i + 1 : 1 + k;
    return {
      segmentId: BigInt(k + 1),
      logseqMin: BigInt(Math.max(1, first - (slack % 2))),
      logseqMax: BigInt(last + (slack % 3)),
      aslRecords: asl,
      tgkRecords: tgk,
      edges: EDGE_POOL,
      filters:
        k % 3 === 2
          ? []
          : [
              { build: k % 2 === 0 ? "bloom" : "xor8", domain: 1 },
              { build: "bloom", domain: 2 },
              { build: "xor8", domain: 3 },
            ],
    };
  });
}

describe("routing and early exit equal a full scan (DEC-024, DEC-029)", () => {
  it("[ATXI-VIS-001] [ATXI-VIS-002] [ATXI-VIS-003] [ATXI-VIS-005] [ATXI-SHD-002] every lookup and incidence answer at every S equals the scan's, sharded or not, small-segment index or walk", () => {
    fc.assert(
      fc.property(
        logArb,
        fc.array(fc.nat({ max: 7 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat({ max: 5 }),
        fc.constantFrom(0, 2, Number.POSITIVE_INFINITY),
        fc.boolean(),
        (ops, deal, count, shards, slack, small, useFilters) => {
          const inputs = dealtSegments(ops, deal, count, slack);
          const split = inputs.flatMap((input, k) =>
            shardInput(input, shards, (s) => BigInt(k * shards + s + 1)).map((part, s) => ({ part, s })),
          );
          const segs = split.map(({ part }) => decodeSegment(encodeSegment(part)));
          const set = SegmentSet.open(segs, {
            shards: { count: shards, of: split.map(({ s }) => s) },
            smallSegmentRecords: small,
          });
          for (let s = 0n; s <= BigInt(ops.length + 3); s++) {
            for (const a of ARTIFACT_POOL)
              expect(set.lookupArtifact(s, a, { useFilters })).toEqual(scanLookup(segs, s, "asl", a));
            for (const e of EDGE_IDS)
              expect(set.lookupEdge(s, e, { useFilters })).toEqual(scanLookup(segs, s, "tgk", e));
            for (let n = 0n; n < 6n; n++)
              for (const role of ["from", "to", "any"] as const)
                expect(set.incidentEdges(s, n, role, { useFilters })).toEqual(scanIncident(segs, s, n, role));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("[ATXI-VIS-005] the walk goes newest first and stops at the first segment no older one can beat", () => {
    const seg = (id: bigint, min: bigint, max: bigint, logseqs: bigint[]) =>
      decodeSegment(
        encodeSegment({
          segmentId: id,
          logseqMin: min,
          logseqMax: max,
          aslRecords: logseqs.map((logseq) => ({ logseq, artifactId: 7n, tombstone: false })),
        }),
      );
    // Segment 3 [21, 30] holds the newest record of key 7; segment 2 [11, 20] and segment 1 [1, 10] older ones.
    const segs = [seg(1n, 1n, 10n, [1n, 2n]), seg(2n, 11n, 20n, [12n]), seg(3n, 21n, 30n, [25n])];
    const probed: bigint[] = [];
    const counted = segs.map(
      (s): SegmentSource => ({
        segmentId: s.segmentId,
        logseqMin: s.logseqMin,
        logseqMax: s.logseqMax,
        tgk: s.tgk,
        nodeRefs: s.nodeRefs,
        filterFor: (d) => s.filterFor(d),
        asl: {
          count: s.asl.count,
          findLatest: (...a) => {
            probed.push(s.segmentId);
            return s.asl.findLatest(...a);
          },
          logseq: (i) => s.asl.logseq(i),
          id: (i) => s.asl.id(i),
          tombstone: (i) => s.asl.tombstone(i),
          record: (i) => s.asl.record(i),
        },
      }),
    );
    const set = SegmentSet.open(counted, { smallSegmentRecords: 0 });
    expect(set.lookupArtifact(100n, 7n)?.logseq).toBe(25n);
    expect(probed).toEqual([3n]);
    probed.length = 0;
    // At S = 20, segment 3 takes no part (ATXI-VIS-001); segment 2 answers, segment 1 is never read.
    expect(set.lookupArtifact(20n, 7n)?.logseq).toBe(12n);
    expect(probed).toEqual([2n]);
    probed.length = 0;
    // At S = 11 segment 2 has no visible record, so the walk goes on to segment 1.
    expect(set.lookupArtifact(11n, 7n)?.logseq).toBe(2n);
    expect(probed).toEqual([2n, 1n]);
  });

  it("[ATXI-SHD-001] a sharded set probes only the key's shard, and refuses a shard assignment that is not one", () => {
    const input: SegmentInput = {
      segmentId: 1n,
      logseqMin: 1n,
      logseqMax: 100n,
      aslRecords: Array.from({ length: 40 }, (_, i) => ({
        logseq: BigInt(i + 1),
        artifactId: BigInt(i * 7919),
        tombstone: false,
      })),
    };
    const parts = shardInput(input, 4, (s) => BigInt(s + 10)).map((p) => decodeSegment(encodeSegment(p)));
    const set = SegmentSet.open(parts, { shards: { count: 4, of: [0, 1, 2, 3] }, smallSegmentRecords: 0 });
    for (let i = 0; i < 40; i++)
      expect(set.lookupArtifact(100n, BigInt(i * 7919))?.logseq).toBe(BigInt(i + 1));
    // Told the wrong shards, the set looks in the wrong place: routing is real, not a scan.
    const wrong = SegmentSet.open(parts, { shards: { count: 4, of: [1, 2, 3, 0] }, smallSegmentRecords: 0 });
    const found = Array.from({ length: 40 }, (_, i) => wrong.lookupArtifact(100n, BigInt(i * 7919))).filter(
      Boolean,
    );
    expect(found).toEqual([]);
    expect(() => SegmentSet.open(parts, { shards: { count: 4, of: [0, 1, 2] } })).toThrow(
      /names 3 shards for 4/,
    );
    expect(() => SegmentSet.open(parts, { shards: { count: 4, of: [0, 1, 2, 4] } })).toThrow(
      /shards.of\[3\] = 4/,
    );
    expect(() => SegmentSet.open(parts, { shards: { count: 0, of: [0, 0, 0, 0] } })).toThrow(/shard count 0/);
  });
});
