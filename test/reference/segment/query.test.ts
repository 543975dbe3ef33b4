// Queries over segment sets (DEC-029): visibility at S, tombstones across segments, filters on and off,
// 1 shard versus N shards (DEC-024), incidence by node, and the QRY_* errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { segmentHandlers } from "../../../adapters/reference/segments.ts";
import { VECTORS_DIR } from "../../../catalog/paths.ts";
import { readManifest, readSegmentBytes, type SetCase } from "../../../harness/vectors/read.ts";
import { type IncidenceRole, SegmentSet } from "../../../reference/query/segment-set.ts";
import { shard, shardInput } from "../../../reference/query/shard.ts";
import { decodeSegment } from "../../../reference/segment/decode.ts";
import { encodeSegment, type SegmentInput } from "../../../reference/segment/encode.ts";
import { ARTIFACT_POOL, EDGE_IDS, EDGE_POOL, logArb, modelLookup, type Op, segmentsOf } from "./helpers.ts";

const open = (inputs: readonly SegmentInput[]) =>
  SegmentSet.open(inputs.map((i) => decodeSegment(encodeSegment(i))));

/** Every answer a set gives for the pools, at every S from 0 to past the end. */
function answers(set: SegmentSet, maxS: number, useFilters: boolean): unknown[] {
  const out: unknown[] = [];
  for (let s = 0; s <= maxS + 1; s++) {
    const S = BigInt(s);
    for (const a of ARTIFACT_POOL) out.push(set.lookupArtifact(S, a, { useFilters }));
    for (const e of EDGE_IDS) out.push(set.lookupEdge(S, e, { useFilters }));
    for (let n = 0n; n < 6n; n++)
      for (const role of ["from", "to", "any"] as IncidenceRole[])
        out.push(set.incidentEdges(S, n, role, { useFilters }));
  }
  return out;
}

const cutsArb = fc.array(fc.nat({ max: 40 }), { maxLength: 4 });

describe("visibility (DEC-029)", () => {
  const put = (logseq: bigint, artifactId: bigint, typeTag?: number) => ({
    logseq,
    artifactId,
    typeTag,
    tombstone: false,
  });
  const del = (logseq: bigint, artifactId: bigint) => ({ logseq, artifactId, tombstone: true });
  const set = open([
    { segmentId: 1n, logseqMin: 1n, logseqMax: 10n, aslRecords: [put(3n, 1n, 1), put(5n, 2n)] },
    { segmentId: 2n, logseqMin: 11n, logseqMax: 20n, aslRecords: [del(12n, 1n), put(15n, 2n, 9)] },
    { segmentId: 3n, logseqMin: 21n, logseqMax: 30n, aslRecords: [put(21n, 3n), put(22n, 1n)] },
  ]);
  it("[ATXI-VIS-002] a record with logseq == S is visible, and not at S - 1", () => {
    expect(set.lookupArtifact(3n, 1n)).toMatchObject({ logseq: 3n });
    expect(set.lookupArtifact(2n, 1n)).toBeUndefined();
    expect(set.lookupArtifact(0n, 1n)).toBeUndefined();
  });
  it("[ATXI-VIS-003] a tombstone above S is ignored", () => {
    expect(set.lookupArtifact(11n, 1n)).toMatchObject({ logseq: 3n });
  });
  it("[ATXI-VIS-003] a tombstone hides an older put in an earlier segment, until a newer put", () => {
    expect(set.lookupArtifact(12n, 1n)).toBeUndefined();
    expect(set.lookupArtifact(21n, 1n)).toBeUndefined();
    expect(set.lookupArtifact(22n, 1n)).toMatchObject({ logseq: 22n });
  });
  it("[ATXI-VIS-001] a segment with logseq_min > S takes no part", () => {
    expect(set.lookupArtifact(20n, 3n)).toBeUndefined();
    expect(set.lookupArtifact(21n, 3n)).toMatchObject({ logseq: 21n });
  });
  it("[ATXI-INV-003] [ATXI-INV-001] a newer record with another type tag shadows the older; ids compare on all 64 bits", () => {
    expect(set.lookupArtifact(14n, 2n)).toEqual({
      logseq: 5n,
      artifactId: 2n,
      typeTag: undefined,
      tombstone: false,
    });
    expect(set.lookupArtifact(15n, 2n)).toEqual({
      logseq: 15n,
      artifactId: 2n,
      typeTag: 9,
      tombstone: false,
    });
    expect(set.lookupArtifact(30n, 2n + (1n << 32n))).toBeUndefined();
  });
  it("[ATXI-VIS-002] [ATXI-VIS-003] [ATXI-NPR-005] lookups and incidence agree with a reverse-scan model of the log", () => {
    fc.assert(
      fc.property(logArb, cutsArb, (ops: Op[], cuts) => {
        const s = open(segmentsOf(ops, cuts, true));
        for (let S = 0; S <= ops.length + 1; S++) {
          ARTIFACT_POOL.forEach((a, id) => {
            expect(s.lookupArtifact(BigInt(S), a)?.logseq).toBe(modelLookup(ops, S, "asl", id)?.logseq);
          });
          EDGE_IDS.forEach((e, id) => {
            expect(s.lookupEdge(BigInt(S), e)?.logseq).toBe(modelLookup(ops, S, "tgk", id)?.logseq);
          });
          for (let n = 0n; n < 6n; n++) {
            const want = EDGE_IDS.filter(
              (_, id) => modelLookup(ops, S, "tgk", id) && EDGE_POOL[id]!.from.includes(n),
            ).sort((x, y) => (x < y ? -1 : 1));
            expect(s.incidentEdges(BigInt(S), n, "from").map((r) => r.tgkEdgeId)).toEqual(want);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
  it("[ATXI-INV-008] adding segments above S changes no answer at S", () => {
    fc.assert(
      fc.property(logArb, cutsArb, fc.nat({ max: 40 }), (ops, cuts, k) => {
        const S = k % (ops.length + 1);
        const all = segmentsOf(ops, cuts, false);
        const below = segmentsOf(ops.slice(0, S), cuts, false);
        expect(answers(open(all), S, false).slice(0, answersAt(S))).toEqual(
          answers(open(below), S, false).slice(0, answersAt(S)),
        );
      }),
      { numRuns: 30 },
    );
  });
});

/** Number of answers `answers` produces for S = 0..S. */
function answersAt(S: number): number {
  return (S + 1) * (ARTIFACT_POOL.length + EDGE_IDS.length + 18);
}

describe("filters and shards are invisible", () => {
  it("[ATXI-FLT-003] [ATXI-VIS-004] [ATXI-FLT-005] every answer is the same with filters consulted, ignored or absent", () => {
    fc.assert(
      fc.property(logArb, cutsArb, (ops, cuts) => {
        const withFilters = open(segmentsOf(ops, cuts, true));
        const expected = answers(withFilters, ops.length, false);
        expect(answers(withFilters, ops.length, true)).toEqual(expected);
        expect(answers(open(segmentsOf(ops, cuts, false)), ops.length, true)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
  it("[ATXI-SHD-002] [ATXI-SHD-001] 1 shard and N shards answer every query at every S identically", () => {
    fc.assert(
      fc.property(logArb, cutsArb, fc.integer({ min: 2, max: 5 }), (ops, cuts, n) => {
        const one = segmentsOf(ops, cuts, true);
        const many = one.flatMap((input, k) => shardInput(input, n, (s) => BigInt(k * n + s + 1)));
        for (const input of one) {
          const parts = shardInput(input, n, (s) => BigInt(s));
          for (const r of input.aslRecords ?? [])
            expect(parts[shard(r.artifactId, n)]!.aslRecords).toContain(r);
          for (const r of input.tgkRecords ?? [])
            expect(parts[shard(r.tgkEdgeId, n)]!.tgkRecords).toContain(r);
        }
        expect(answers(open(many), ops.length, true)).toEqual(answers(open(one), ops.length, true));
      }),
      { numRuns: 30 },
    );
  });
});

describe("set errors", () => {
  const sets = readManifest<SetCase>(VECTORS_DIR, "sets/manifest.json");
  for (const set of sets) {
    const codes = [
      ...new Set([
        ...(set.open_error ? [set.open_error.code] : []),
        ...set.queries.flatMap((q) => (q.expect && "error" in q.expect ? [q.expect.error] : [])),
      ]),
    ];
    it(`${set.rules.map((r) => `[${r}]`).join(" ")} set vector ${set.id} answers its ${set.queries.length} queries as committed${codes.length ? ` (${codes.join(", ")})` : ""}`, () => {
      const bytes = set.members.map((m) => readSegmentBytes(VECTORS_DIR, m));
      if (set.open_error) {
        expect(() => SegmentSet.fromBytes(bytes)).toThrow(
          expect.objectContaining({ code: set.open_error.code }),
        );
        return;
      }
      expect(set.queries.length).toBeGreaterThan(0);
      const { answers } = segmentHandlers["seg.query"]({
        segments: bytes,
        use_filters: false,
        queries: set.queries.map((q) => q.query),
      });
      answers.forEach((a, i) => {
        const want = set.queries[i]!.expect!;
        expect(
          "ok" in a ? { ok: JSON.parse(JSON.stringify(a.ok)) } : { error: a.error.code },
          JSON.stringify(set.queries[i]!.query),
        ).toEqual(want);
      });
    });
  }
  it("[ATXI-VIS-005] [ATXI-HDR-007] every QRY_* code has a set vector", () => {
    const have = new Set(
      sets.flatMap((s) => [
        s.open_error?.code,
        ...s.queries.map((q) => (q.expect && "error" in q.expect ? q.expect.error : undefined)),
      ]),
    );
    expect(
      ["QRY_DUPLICATE_SEGMENT_ID", "QRY_DUPLICATE_LOGSEQ", "QRY_NO_PROJECTIONS"].filter((c) => !have.has(c)),
    ).toEqual([]);
  });
  it("[ATXI-NPR-005] incidence fails with QRY_NO_PROJECTIONS only once a TGK record of the member without projections is visible", () => {
    const s = open([
      {
        segmentId: 1n,
        logseqMin: 1n,
        logseqMax: 10n,
        aslRecords: [{ logseq: 1n, artifactId: 1n, tombstone: false }],
        tgkRecords: [{ logseq: 5n, tgkEdgeId: EDGE_IDS[0]!, role: 1, tombstone: false }],
      },
    ]);
    expect(s.incidentEdges(4n, 0n, "any")).toEqual([]);
    expect(() => s.incidentEdges(5n, 0n, "any")).toThrow(
      expect.objectContaining({ code: "QRY_NO_PROJECTIONS" }),
    );
    expect(s.lookupEdge(5n, EDGE_IDS[0]!)).toMatchObject({ logseq: 5n });
  });
});
