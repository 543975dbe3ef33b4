// The segment writer and reader: layout, round trips, determinism, re-encoding, writer refusals, inspect.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSegment, readSegment, verifySegment } from "../../../reference/segment/decode.ts";
import {
  encodeSegment,
  type SegmentInput,
  sealChecksum,
  segmentInput,
} from "../../../reference/segment/encode.ts";
import { inspectSegment } from "../../../reference/segment/inspect.ts";
import { deriveNodeRefs, edgesById } from "../../../reference/tgk/edge.ts";
import { EDGE_POOL, logArb, recordsOf, U64_MAX } from "./helpers.ts";

const le64 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset).getBigUint64(o, true);

function inputOf(ops: Parameters<typeof recordsOf>[0], extra: Partial<SegmentInput> = {}): SegmentInput {
  const { asl, tgk } = recordsOf(ops);
  return {
    segmentId: 9n,
    logseqMin: 1n,
    logseqMax: BigInt(Math.max(1, ops.length)),
    aslRecords: asl,
    tgkRecords: tgk,
    edges: EDGE_POOL,
    ...extra,
  };
}

const FILTERS: SegmentInput["filters"] = [
  { build: "bloom", domain: 1 },
  { build: "xor8", domain: 2 },
  { build: "xor8", domain: 3 },
];

describe("layout (DEC-001..DEC-003)", () => {
  it("[ATXI-LAY-001] [ATXI-HDR-001] [ATXI-FTR-001] an empty segment is 96 bytes: header, footer, 'ATXI' little-endian", () => {
    const b = encodeSegment({ segmentId: 0x0102030405060708n, logseqMin: 1n, logseqMax: 2n });
    expect(b.length).toBe(96);
    expect([...b.subarray(0, 4)]).toEqual([0x41, 0x54, 0x58, 0x49]);
    expect([...b.subarray(8, 16)]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(le64(b, 48)).toBe(64n); // record_area_offset
    expect(le64(b, 56)).toBe(64n); // footer_offset
  });
  it("[ATXI-LAY-001] [ATXI-HDR-005] [ATXI-HDR-006] sections follow each other: filters, ASL, TGK, acceleration, footer", () => {
    const b = encodeSegment(
      inputOf(
        [
          { kind: "asl", id: 1, tombstone: false, tag: 3, role: 0 },
          { kind: "tgk", id: 1, tombstone: false, tag: undefined, role: 1 },
        ],
        { filters: FILTERS },
      ),
    );
    const d = decodeSegment(b);
    const fo = Number(d.header.footerOffset);
    expect(fo + 32).toBe(b.length);
    expect(d.footer.filterBytes).toBe(d.header.recordAreaOffset - 64n);
    expect(d.asl.start).toBe(Number(d.header.recordAreaOffset));
    expect(d.tgk.start).toBe(d.asl.start + 24);
    expect(d.accelFrames[0]!.offset).toBe(d.tgk.start + 24);
    expect(d.accelFrames.at(-1)!.end).toBe(fo);
    expect(d.footer.aslRecordBytes).toBe(24n);
    expect(d.footer.tgkRecordBytes).toBe(24n);
  });
});

describe("round trip", () => {
  it("[ATXI-ASL-001] [ATXI-TGK-001] [ATXI-HDR-007] every field round-trips, 64-bit values above 2^53 and 2^64-1 included", () => {
    const big = (1n << 53n) + 1n;
    const input: SegmentInput = {
      segmentId: U64_MAX,
      logseqMin: big,
      logseqMax: U64_MAX,
      aslRecords: [
        { logseq: U64_MAX, artifactId: U64_MAX, typeTag: 0xffffffff, tombstone: false },
        { logseq: big, artifactId: 0n, typeTag: 0, tombstone: false },
        { logseq: big + 1n, artifactId: big, tombstone: true },
      ],
      tgkRecords: [
        { logseq: big + 2n, tgkEdgeId: U64_MAX, edgeTypeKey: 0xffffffff, role: 3, tombstone: false },
        { logseq: big + 3n, tgkEdgeId: big, role: 0, tombstone: true },
      ],
      nodeRefs: [{ logseq: big + 2n, nodeId: U64_MAX, tgkEdgeId: U64_MAX, position: 2 }],
    };
    const seg = readSegment(encodeSegment(input));
    expect(seg.header).toMatchObject({
      segmentId: U64_MAX,
      logseqMin: big,
      logseqMax: U64_MAX,
      aslRecordCount: 3n,
      tgkRecordCount: 2n,
      flags: 1,
      version: 1,
    });
    expect(seg.aslRecords).toEqual(
      [input.aslRecords![1], input.aslRecords![2], input.aslRecords![0]].map((r) => ({
        typeTag: undefined,
        ...r,
      })),
    );
    expect(seg.tgkRecords).toEqual(
      [input.tgkRecords![1], input.tgkRecords![0]].map((r) => ({ edgeTypeKey: undefined, ...r })),
    );
    expect(seg.nodeRefs).toEqual(input.nodeRefs);
  });
  it("[ATXI-INV-006] [ATXI-INV-008] [ATXI-FLT-004] encoding is deterministic and re-encoding decoded bytes reproduces them", () => {
    fc.assert(
      fc.property(logArb, fc.boolean(), (ops, withFilters) => {
        const input = inputOf(ops, withFilters ? { filters: FILTERS } : {});
        const a = encodeSegment(input);
        const b = encodeSegment({
          ...input,
          aslRecords: [...(input.aslRecords ?? [])].reverse(),
          tgkRecords: [...(input.tgkRecords ?? [])].reverse(),
        });
        expect(b).toEqual(a);
        const copy = a.slice();
        const again = encodeSegment(segmentInput(readSegment(a)));
        expect(again).toEqual(a);
        expect(a).toEqual(copy); // reading left the bytes unchanged
      }),
      { numRuns: 60 },
    );
  });
  it("[ATXI-NPR-002] [ATXI-NPR-003] [ATXI-NPR-004] the projections of a segment are exactly those derived from its live edges", () => {
    fc.assert(
      fc.property(logArb, (ops) => {
        const input = inputOf(ops);
        const d = decodeSegment(encodeSegment(input));
        expect(d.hasNodeProjections).toBe(true);
        expect(d.nodeRefs!.toArray()).toEqual(deriveNodeRefs(d.tgk.toArray(), edgesById(EDGE_POOL)));
      }),
      { numRuns: 60 },
    );
  });
  it("[ATXI-FLT-010] [ATXI-FLT-002] built filters name their domain and hold every key of it, tombstones included", () => {
    fc.assert(
      fc.property(logArb, (ops) => {
        const d = decodeSegment(encodeSegment(inputOf(ops, { filters: FILTERS })));
        expect(d.filters.map((f) => (f.kind === "unknown" ? 0 : f.domain))).toEqual([1, 2, 3]);
      }),
      { numRuns: 40 },
    );
  });
  it("[ATXI-FLT-006] [ATXI-ACC-001] unknown filters and blocks are framed, skipped and kept verbatim", () => {
    const input: SegmentInput = {
      segmentId: 1n,
      logseqMin: 1n,
      logseqMax: 1n,
      filters: [
        { kind: "unknown", filterType: 77, version: 3, flags: 0xffffffff, payload: Uint8Array.of(1, 2, 3) },
      ],
      accelBlocks: [
        { kind: "unknown", blockType: 1, version: 2, flags: 5, payload: new Uint8Array(9).fill(0xff) },
      ],
    };
    const seg = readSegment(encodeSegment(input));
    expect(seg.filters).toEqual(input.filters);
    expect(seg.accelBlocks).toEqual(input.accelBlocks);
    expect(seg.nodeRefs).toBeUndefined();
  });
});

describe("writer refusals (ATXI-ENC-001)", () => {
  const base = { segmentId: 1n, logseqMin: 1n, logseqMax: 10n };
  const put = (logseq: bigint, artifactId: bigint) => ({ logseq, artifactId, tombstone: false });
  const cases: [string, Partial<SegmentInput>, string][] = [
    [
      "[ATXI-ENC-001] [ATXI-HDR-004] a logseq outside the header range",
      { aslRecords: [put(11n, 1n)] },
      "SEG_LOGSEQ_RANGE",
    ],
    ["[ATXI-ENC-001] [ATXI-HDR-004] logseq_min 0", { logseqMin: 0n }, "SEG_LOGSEQ_RANGE"],
    [
      "[ATXI-ENC-001] [ATXI-ASL-005] an ASL tombstone with a type tag",
      { aslRecords: [{ logseq: 1n, artifactId: 1n, typeTag: 1, tombstone: true }] },
      "SEG_TOMBSTONE_WITH_PAYLOAD",
    ],
    [
      "[ATXI-ENC-001] [ATXI-TGK-005] a TGK tombstone with a role",
      { tgkRecords: [{ logseq: 1n, tgkEdgeId: 1n, role: 1, tombstone: true }] },
      "SEG_TOMBSTONE_WITH_PAYLOAD",
    ],
    [
      "[ATXI-ENC-001] [ATXI-TGK-003] a bad role",
      { tgkRecords: [{ logseq: 1n, tgkEdgeId: 1n, role: 4 as 0, tombstone: false }] },
      "SEG_BAD_ROLE",
    ],
    [
      "[ATXI-ENC-001] [ATXI-ASL-007] a duplicate (artifact_id, logseq)",
      { aslRecords: [put(2n, 1n), put(2n, 1n)] },
      "SEG_RECORD_ORDER",
    ],
    [
      "[ATXI-ENC-001] [ATXI-ASL-007] records out of order when sorting is off",
      { aslRecords: [put(2n, 2n), put(3n, 1n)], sort: false },
      "SEG_RECORD_ORDER",
    ],
    [
      "[ATXI-ENC-001] [ATXI-VIS-005] a logseq shared by an ASL and a TGK record",
      { aslRecords: [put(2n, 1n)], tgkRecords: [{ logseq: 2n, tgkEdgeId: 1n, role: 0, tombstone: false }] },
      "SEG_DUPLICATE_LOGSEQ",
    ],
    [
      "[ATXI-ENC-001] [ATXI-NPR-002] a node ref matching no record",
      { nodeRefs: [{ logseq: 1n, nodeId: 1n, tgkEdgeId: 1n, position: 1 }] },
      "SEG_BAD_NODE_REF",
    ],
    [
      "[ATXI-ENC-001] [ATXI-NPR-004] two node-edge-ref blocks",
      {
        accelBlocks: [
          { kind: "node-refs", refs: [] },
          { kind: "node-refs", refs: [] },
        ],
      },
      "SEG_BAD_NODE_REF",
    ],
    [
      "[ATXI-ENC-001] [ATXI-FLT-002] a given filter that misses a key",
      {
        aslRecords: [put(1n, 5n)],
        filters: [{ kind: "bloom", domain: 1, numBits: 64, numHashes: 1, seed: 0n, bits: new Uint8Array(8) }],
      },
      "SEG_FILTER_FALSE_NEGATIVE",
    ],
  ];
  for (const [title, patch, code] of cases) {
    it(`${title} is refused with ${code}`, () => {
      expect(() => encodeSegment({ ...base, ...patch })).toThrow(expect.objectContaining({ code }));
    });
  }
  it("[ATXI-ENC-001] values a field cannot hold are a RangeError, not a segment", () => {
    expect(() => encodeSegment({ ...base, segmentId: 1n << 64n })).toThrow(RangeError);
    expect(() =>
      encodeSegment({ ...base, aslRecords: [{ logseq: 1n, artifactId: -1n, tombstone: false }] }),
    ).toThrow(RangeError);
  });
});

describe("inspect", () => {
  it("[ATXI-DEC-001] [ATXI-LAY-001] lists every structure with its offset, and on a defect what decoded before it and the error", () => {
    const b = encodeSegment(
      inputOf(
        [
          { kind: "asl", id: 1, tombstone: false, tag: 3, role: 0 },
          { kind: "asl", id: 2, tombstone: false, tag: undefined, role: 0 },
        ],
        { filters: FILTERS },
      ),
    );
    const ok = inspectSegment(b);
    expect(ok.ok).toBe(true);
    expect(ok.items.map((i) => i.kind)).toEqual([
      "header",
      "filter",
      "filter",
      "filter",
      "asl-record",
      "asl-record",
      "accel-block",
      "footer",
    ]);
    expect(ok.items[0]!.fields.find((f) => f.name === "magic")!.value).toBe("ATXI");
    const d = decodeSegment(b);
    const bad = b.slice();
    bad[d.asl.offsetOf(1) + 21] = 1; // reserved byte of record 1, checksum not re-sealed
    const r = inspectSegment(bad);
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: "SEG_CHECKSUM_MISMATCH", step: "checksum", stage: "decode" });
    expect(r.items.map((i) => i.kind)).toEqual(["header", "footer"]);
  });
  it("[ATXI-DEC-001] a record defect shows the records before it", () => {
    const b = encodeSegment(
      inputOf([
        { kind: "asl", id: 1, tombstone: false, tag: 3, role: 0 },
        { kind: "asl", id: 2, tombstone: false, tag: undefined, role: 0 },
        { kind: "asl", id: 3, tombstone: false, tag: undefined, role: 0 },
      ]),
    );
    const d = decodeSegment(b);
    const bad = b.slice();
    bad[d.asl.offsetOf(1) + 21] = 1;
    sealChecksum(bad);
    const r = inspectSegment(bad);
    expect(r.error).toMatchObject({
      code: "SEG_RESERVED_NONZERO",
      step: "asl-records",
      offset: d.asl.offsetOf(1) + 21,
    });
    expect(r.passed.at(-1)).toBe("logseq-bounds");
    expect(r.items.filter((i) => i.kind === "asl-record").map((i) => i.index)).toEqual([0, 1]);
    expect(verifySegment(bad)).toMatchObject({ ok: false, step: "asl-records", stage: "validate" });
  });
});
