// Edges of the query layer that mutation testing found untested: splitting a writer input by shard keeps
// everything that is not a record (filters, sort, edges, node refs, acceleration blocks), the u32 range of
// a shard count, a set opened out of logseq_min order, and the set-level errors with what they name.
// Every fixture is built inside its test, so per-test coverage sees which test reaches which code.
import { describe, expect, it } from "vitest";
import type { AslError } from "../../../reference/common/errors.ts";
import { buildFilter } from "../../../reference/filters/filter.ts";
import { SegmentSet } from "../../../reference/query/segment-set.ts";
import { shard, shardInput } from "../../../reference/query/shard.ts";
import { decodeSegment } from "../../../reference/segment/decode.ts";
import { encodeSegment, type SegmentInput } from "../../../reference/segment/encode.ts";
import type { AccelBlock, NodeEdgeRef } from "../../../reference/segment/model.ts";

const open = (inputs: readonly SegmentInput[]) =>
  SegmentSet.open(inputs.map((i) => decodeSegment(encodeSegment(i))));
const put = (logseq: bigint, artifactId: bigint) => ({ logseq, artifactId, tombstone: false });
const edge = (logseq: bigint, tgkEdgeId: bigint) => ({
  logseq,
  tgkEdgeId,
  role: 0 as const,
  tombstone: false,
});
const thrown = (f: () => unknown): AslError | Error | undefined => {
  try {
    f();
  } catch (e) {
    return e as AslError;
  }
  return undefined;
};

describe("shard and shardInput (DEC-024)", () => {
  it("[ATXI-SHD-001] a shard count is a u32 >= 1: 1 and 2^32 - 1 are taken; 0, 2^32, 1.5 and NaN are refused", () => {
    expect(shard(7n, 1)).toBe(0);
    const top = shard(7n, 0xffffffff);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(0xffffffff);
    for (const bad of [0, -1, 0x100000000, 1.5, Number.NaN]) {
      const e = thrown(() => shard(7n, bad));
      expect(e).toBeInstanceOf(RangeError);
      expect(e?.message).toContain(`shard count ${bad} is not a u32`);
    }
  });

  it("[ATXI-SHD-002] a split keeps the logseq range, filter requests (not prebuilt filters), the sort flag and the edges in every shard", () => {
    const requests = [
      { build: "xor8" as const, domain: 1 as const },
      { build: "bloom" as const, domain: 2 as const },
    ];
    const edges = [{ from: [1n], to: [2n] }];
    const input: SegmentInput = {
      segmentId: 100n,
      logseqMin: 5n,
      logseqMax: 50n,
      aslRecords: [put(6n, 11n), put(7n, 12n), put(8n, 13n)],
      filters: [requests[0]!, buildFilter("bloom", 1, [11n, 12n]), requests[1]!],
      edges,
      sort: false,
    };
    const parts = shardInput(input, 3, (s) => 1000n + BigInt(s));
    expect(parts.map((p) => p.segmentId)).toEqual([1000n, 1001n, 1002n]);
    for (const p of parts) {
      expect([p.logseqMin, p.logseqMax]).toEqual([5n, 50n]);
      expect(p.filters).toEqual(requests);
      expect(p.sort).toBe(false);
      expect(p.edges).toBe(edges);
      expect(p.tgkRecords).toEqual([]);
      expect(p.nodeRefs).toBeUndefined();
      expect(p.accelBlocks).toBeUndefined();
    }
    expect(parts.flatMap((p) => p.aslRecords ?? []).length).toBe(3);
  });

  it("[ATXI-SHD-002] with no filters and no sort flag given, a shard has no filters and leaves the sort flag unset", () => {
    const parts = shardInput({ segmentId: 1n, logseqMin: 1n, logseqMax: 2n }, 2, BigInt);
    for (const p of parts) {
      expect(p.filters).toEqual([]);
      expect("sort" in p).toBe(false);
      expect(p.aslRecords).toEqual([]);
      expect("edges" in p).toBe(false);
    }
  });

  it("[ATXI-SHD-002] node-edge refs, given or in a node-refs block, follow their edge's shard; unknown blocks go to every shard in place", () => {
    const refs: NodeEdgeRef[] = [];
    for (let e = 1n; e <= 12n; e++) refs.push({ logseq: e, nodeId: e % 3n, tgkEdgeId: e, position: 1 });
    const unknown: AccelBlock = {
      kind: "unknown",
      blockType: 9,
      version: 1,
      flags: 0,
      payload: new Uint8Array([1, 2, 3]),
    };
    const n = 3;
    const expected = Array.from({ length: n }, (_, s) => refs.filter((r) => shard(r.tgkEdgeId, n) === s));
    expect(expected.filter((x) => x.length > 0).length).toBeGreaterThan(1); // the split is not trivial

    const given = shardInput({ segmentId: 1n, logseqMin: 1n, logseqMax: 12n, nodeRefs: refs }, n, BigInt);
    expect(given.map((p) => p.nodeRefs)).toEqual(expected);

    const blocks: AccelBlock[] = [unknown, { kind: "node-refs", refs }, unknown];
    const inBlock = shardInput(
      { segmentId: 1n, logseqMin: 1n, logseqMax: 12n, accelBlocks: blocks },
      n,
      BigInt,
    );
    inBlock.forEach((p, s) => {
      expect(p.accelBlocks).toEqual([unknown, { kind: "node-refs", refs: expected[s] }, unknown]);
      expect(p.accelBlocks![0]).toBe(unknown);
      expect(p.nodeRefs).toBeUndefined();
    });

    const onlyUnknown = shardInput(
      { segmentId: 1n, logseqMin: 1n, logseqMax: 12n, accelBlocks: [unknown] },
      n,
      BigInt,
    );
    for (const p of onlyUnknown) expect(p.accelBlocks).toEqual([unknown]);
  });
});

describe("segment sets (DEC-029)", () => {
  const inputs = (): SegmentInput[] => [
    { segmentId: 1n, logseqMin: 1n, logseqMax: 10n, aslRecords: [put(3n, 1n), put(5n, 2n)] },
    { segmentId: 2n, logseqMin: 11n, logseqMax: 20n, aslRecords: [put(12n, 1n), put(15n, 3n)] },
    { segmentId: 3n, logseqMin: 21n, logseqMax: 30n, aslRecords: [put(21n, 2n), put(22n, 1n)] },
  ];

  it("[ATXI-VIS-001] a set answers the same whatever order its segments are given in", () => {
    const [a, b, c] = inputs() as [SegmentInput, SegmentInput, SegmentInput];
    const answersOf = (set: SegmentSet) => {
      const out: unknown[] = [];
      for (let s = 0n; s <= 31n; s++)
        for (let k = 1n; k <= 3n; k++) out.push(set.lookupArtifact(s, k)?.logseq);
      return out;
    };
    const inOrder = answersOf(open([a, b, c]));
    expect(inOrder.filter((x) => x !== undefined).length).toBeGreaterThan(40);
    for (const order of [
      [c, b, a],
      [b, c, a],
      [c, a, b],
      [b, a, c],
    ])
      expect(answersOf(open(order))).toEqual(inOrder);
  });

  it("[ATXI-HDR-007] two segments with one segment_id: QRY_DUPLICATE_SEGMENT_ID naming both places and the id", () => {
    const [a, b] = inputs() as [SegmentInput, SegmentInput];
    const e = thrown(() => open([a, { ...b, segmentId: 1n }])) as AslError;
    expect(e.code).toBe("QRY_DUPLICATE_SEGMENT_ID");
    expect(e.message).toBe("segments 0 and 1 of the set share segment_id 1");
    expect([e.field, e.rule]).toEqual(["header.segment_id", "ATXI-HDR-007"]);
  });

  it("[ATXI-VIS-005] a logseq used in two segments, ASL in one and TGK in the other, is refused naming both", () => {
    const e = thrown(() =>
      open([
        { segmentId: 8n, logseqMin: 10n, logseqMax: 20n, tgkRecords: [edge(15n, 4n)] },
        { segmentId: 7n, logseqMin: 1n, logseqMax: 15n, aslRecords: [put(15n, 1n)] },
      ]),
    ) as AslError;
    expect(e.code).toBe("QRY_DUPLICATE_LOGSEQ");
    expect(e.message).toBe("logseq 15 is used in segments 8, 7 of the set");
    expect([e.field, e.rule]).toEqual(["logseq", "ATXI-VIS-005"]);
  });

  it("[ATXI-VIS-005] ranges that only touch at one logseq overlap: a logseq used at both ends is refused", () => {
    const code = (segs: SegmentInput[]) => (thrown(() => open(segs)) as AslError | undefined)?.code;
    const a = { segmentId: 1n, logseqMin: 1n, logseqMax: 10n, aslRecords: [put(10n, 1n)] };
    expect(code([a, { segmentId: 2n, logseqMin: 10n, logseqMax: 20n, aslRecords: [put(10n, 2n)] }])).toBe(
      "QRY_DUPLICATE_LOGSEQ",
    );
    // Overlapping ranges with distinct logseqs are a valid set.
    expect(code([a, { segmentId: 2n, logseqMin: 10n, logseqMax: 20n, aslRecords: [put(11n, 2n)] }])).toBe(
      undefined,
    );
  });

  it("[ATXI-VIS-005] a long segment overlaps every later one it reaches past a shorter one", () => {
    // A spans 1..100; B (10..20) ends inside it; C (30..40) overlaps A only, and repeats A's logseq 35.
    const e = thrown(() =>
      open([
        { segmentId: 1n, logseqMin: 1n, logseqMax: 100n, aslRecords: [put(35n, 1n)] },
        { segmentId: 2n, logseqMin: 10n, logseqMax: 20n, aslRecords: [put(15n, 2n)] },
        { segmentId: 3n, logseqMin: 30n, logseqMax: 40n, tgkRecords: [edge(35n, 3n)] },
      ]),
    ) as AslError;
    expect(e.code).toBe("QRY_DUPLICATE_LOGSEQ");
    expect(e.message).toBe("logseq 35 is used in segments 1, 3 of the set");
  });

  it("[ATXI-NPR-005] QRY_NO_PROJECTIONS starts at the smallest TGK logseq of a segment, not the first record's", () => {
    // Records sort by tgk_edge_id (DEC-004): edge 1 at logseq 8 comes before edge 2 at logseq 5.
    const set = open([
      { segmentId: 1n, logseqMin: 1n, logseqMax: 10n, tgkRecords: [edge(8n, 1n), edge(5n, 2n)] },
    ]);
    expect(set.incidentEdges(4n, 1n, "any")).toEqual([]);
    const e = thrown(() => set.incidentEdges(5n, 1n, "any")) as AslError;
    expect(e.code).toBe("QRY_NO_PROJECTIONS");
    expect(e.message).toBe("segment 1 takes part at S = 5 and holds TGK records but no node projections");
    expect([e.field, e.rule]).toEqual(["header.flags", "ATXI-NPR-005"]);
  });

  it("[ATXI-VIS-002] S and the key of a lookup are u64 bigints; anything else is a RangeError naming which", () => {
    const set = open(inputs());
    const msg = (f: () => unknown) => {
      const e = thrown(f);
      expect(e).toBeInstanceOf(RangeError);
      return e?.message;
    };
    const big = 1n << 64n;
    expect(msg(() => set.lookupArtifact(-1n, 1n))).toBe("S must be a u64 bigint, got -1");
    expect(msg(() => set.lookupArtifact(big, 1n))).toBe(`S must be a u64 bigint, got ${big}`);
    expect(msg(() => set.lookupArtifact(1n, big))).toBe(`artifact_id must be a u64 bigint, got ${big}`);
    expect(msg(() => set.lookupEdge(1n, -2n))).toBe("tgk_edge_id must be a u64 bigint, got -2");
    expect(msg(() => set.lookupArtifact(1 as unknown as bigint, 1n))).toBe("S must be a u64 bigint, got 1");
    expect(msg(() => set.incidentEdges(-1n, 1n, "any"))).toBe("S must be a u64 bigint, got -1");
    expect(msg(() => set.incidentEdges(1n, big, "any"))).toBe(`node_id must be a u64 bigint, got ${big}`);
    expect(set.lookupArtifact((1n << 64n) - 1n, 1n)?.logseq).toBe(22n);
  });
});
