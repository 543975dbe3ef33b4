// The valid inputs of the golden segment vectors (ENC-ASL-TGK-INDEX; DEC-001..DEC-016, DEC-029): named
// writer inputs that together cover every field and flag, both filter kinds on every domain, type tags
// present and absent, every role, node projections, unknown filters and blocks, an empty segment,
// 64-bit values above 2^53, and a multi-segment set with the visibility edge cases of section 10; then the
// valid side of the boundary cases (segments that pass checks of `reader_check_order` exactly at their
// limit, each naming them in `inside`), 64-bit values a double cannot tell apart, filters at their extreme
// parameters, and the sets index.ts opens in every order of their members.
// Deterministic: fixed inputs, no randomness. Rules: see the rule lists of each case in vectors.ts.

import type { BloomFilter, SegmentFilter, Xor8Filter } from "../../../reference/filters/filter.ts";
import { buildFilter, filterMayContain } from "../../../reference/filters/filter.ts";
import type { SegmentInput } from "../../../reference/segment/encode.ts";
import type { AslRecord, TgkRecord } from "../../../reference/segment/model.ts";
import { type Edge, edgeId } from "../../../reference/tgk/edge.ts";
import { at, type CheckRef } from "./edits.ts";

export const U64_MAX = (1n << 64n) - 1n;
export const ABOVE_2_53 = (1n << 53n) + 1n;

/** Edges: a node in both lists, from-only, to-only, an edge type, and large node ids. */
export const EDGES: Record<string, Edge> = {
  e1: { from: [1n, 2n], to: [3n] },
  e2: { from: [3n], to: [1n], edgeType: 7 },
  e3: { from: [4n], to: [4n, 5n] },
  e4: { from: [], to: [U64_MAX, ABOVE_2_53] },
  e5: { from: [ABOVE_2_53], to: [], edgeType: 0xffffffff },
  e6: { from: [1n], to: [5n] },
};
export const EID: Record<string, bigint> = Object.fromEntries(
  Object.entries(EDGES).map(([k, e]) => [k, edgeId(e)]),
);
export const ALL_EDGES: Edge[] = Object.values(EDGES);

/** An ASL PUT record (the case files build segments from these). */
export const put = (logseq: bigint, artifactId: bigint, typeTag?: number): AslRecord => ({
  logseq,
  artifactId,
  typeTag,
  tombstone: false,
});
/** An ASL tombstone record. */
export const del = (logseq: bigint, artifactId: bigint): AslRecord => ({
  logseq,
  artifactId,
  tombstone: true,
});
const edge = (logseq: bigint, name: string, role: TgkRecord["role"], edgeTypeKey?: number): TgkRecord => ({
  logseq,
  tgkEdgeId: EID[name]!,
  edgeTypeKey,
  role,
  tombstone: false,
});
const cut = (logseq: bigint, name: string): TgkRecord => ({
  logseq,
  tgkEdgeId: EID[name]!,
  role: 0,
  tombstone: true,
});

export interface ValidInput {
  name: string;
  rules: string[];
  flags: string[];
  comment: string;
  input: SegmentInput;
  /** Keys and snapshots the case's single-segment queries ask about. */
  probe: { artifacts: bigint[]; edges: bigint[]; nodes: bigint[]; snapshots: bigint[] };
  /**
   * The checks of `reader_check_order` this valid segment passes exactly at their limit (a value one step
   * further would fail them): the valid side of the boundary cases (boundary-cases test).
   */
  inside?: CheckRef[];
}

const REC_RULES = [
  "ATXI-LAY-001",
  "ATXI-ASL-001",
  "ATXI-TGK-001",
  "ATXI-FTR-001",
  "ATXI-FTR-002",
  "ATXI-INV-006",
  "ATXI-INV-008",
];

export function validInputs(): ValidInput[] {
  return [
    {
      name: "empty",
      rules: ["ATXI-LAY-001", "ATXI-HDR-004", "ATXI-FTR-001", "ATXI-FTR-002", "ATXI-INV-006"],
      flags: ["EmptySegment"],
      comment: "no filters, no records, no blocks: a 96-byte segment stating the log range it covers",
      input: { segmentId: 1n, logseqMin: 1n, logseqMax: 1n },
      probe: { artifacts: [1n], edges: [], nodes: [], snapshots: [0n, 1n] },
      // 96 bytes, footer_offset 64 and record_area_offset 64 (their least values), logseq_min = logseq_max = 1.
      inside: [
        at("size"),
        at("footer"),
        at("section-bounds", 0),
        at("section-bounds", 1),
        at("logseq-bounds", 0),
        at("logseq-bounds", 1),
      ],
    },
    {
      name: "asl-records",
      rules: [
        ...REC_RULES,
        "ATXI-ASL-002",
        "ATXI-ASL-004",
        "ATXI-ASL-005",
        "ATXI-ASL-007",
        "ATXI-INV-001",
        "ATXI-INV-003",
      ],
      flags: ["TypeTagPresent", "TypeTagAbsent", "Tombstone", "SeveralVersions"],
      comment:
        "ASL records only: tags present and absent, a tombstone, three versions of one artifact with different tags",
      input: {
        segmentId: 2n,
        logseqMin: 1n,
        logseqMax: 20n,
        aslRecords: [
          put(1n, 10n, 5),
          put(4n, 10n),
          put(9n, 10n, 6),
          put(2n, 20n, 0),
          del(7n, 20n),
          put(3n, 30n, 0xffffffff),
        ],
      },
      probe: {
        artifacts: [10n, 20n, 30n, 40n],
        edges: [],
        nodes: [],
        snapshots: [0n, 1n, 3n, 4n, 7n, 9n, 20n],
      },
      // flag bit 0 (tombstone) the only one set, has_type_tag 1 with tag 0, a tombstone with has_type_tag 0;
      // the ASL records end at footer_offset.
      inside: [
        at("asl-records", 1),
        at("asl-records", 2),
        at("asl-records", 3),
        at("asl-records", 4),
        at("record-counts", 2),
        at("record-counts", 3),
      ],
    },
    {
      name: "u64-extremes",
      rules: [...REC_RULES, "ATXI-HDR-007", "ATXI-INV-001"],
      flags: ["U64Above2p53", "U64Max"],
      comment:
        "segment_id, logseqs and ids at 2^64-1, above 2^53 and 0: every 64-bit field keeps all its bits",
      input: {
        segmentId: U64_MAX,
        logseqMin: ABOVE_2_53,
        logseqMax: U64_MAX,
        aslRecords: [put(U64_MAX, U64_MAX, 1), put(ABOVE_2_53, 0n), put(ABOVE_2_53 + 1n, ABOVE_2_53)],
        tgkRecords: [edge(U64_MAX - 1n, "e4", 2, 3), edge(ABOVE_2_53 + 2n, "e5", 1, 0xffffffff)],
        edges: ALL_EDGES,
      },
      probe: {
        artifacts: [0n, ABOVE_2_53, U64_MAX],
        edges: [EID["e4"]!, EID["e5"]!],
        nodes: [U64_MAX, ABOVE_2_53],
        snapshots: [ABOVE_2_53, U64_MAX - 1n, U64_MAX],
      },
    },
    {
      name: "tgk-roles-projections",
      rules: [
        ...REC_RULES,
        "ATXI-TGK-002",
        "ATXI-TGK-003",
        "ATXI-TGK-004",
        "ATXI-TGK-005",
        "ATXI-TGK-006",
        "ATXI-NPR-001",
        "ATXI-NPR-002",
        "ATXI-NPR-003",
        "ATXI-NPR-004",
        "ATXI-HDR-003",
        "ATXI-INV-002",
      ],
      flags: [
        "EveryRole",
        "EdgeTypePresent",
        "EdgeTypeAbsent",
        "Tombstone",
        "NodeProjections",
        "NodeInBothLists",
      ],
      comment:
        "TGK records with roles 0..3, edge types present and absent, a tombstone, and node projections derived from the edges",
      input: {
        segmentId: 3n,
        logseqMin: 1n,
        logseqMax: 50n,
        aslRecords: [put(1n, 100n)],
        tgkRecords: [
          edge(2n, "e1", 0),
          edge(3n, "e2", 1, 7),
          edge(4n, "e3", 2),
          edge(5n, "e6", 3, 9),
          edge(6n, "e1", 1),
          cut(8n, "e6"),
        ],
        edges: ALL_EDGES,
      },
      probe: {
        artifacts: [100n],
        edges: [EID["e1"]!, EID["e6"]!],
        nodes: [1n, 3n, 4n, 5n],
        snapshots: [1n, 2n, 5n, 6n, 8n, 50n],
      },
      // role 3 (the greatest), a tombstone (flag bit 0) with role 0 and has_edge_type 0, ref positions 1
      // and 2 (a node in both lists of an edge), one node-edge-ref block.
      inside: [
        at("tgk-records", 0),
        at("tgk-records", 1),
        at("tgk-records", 2),
        at("tgk-records", 3),
        at("tgk-records", 4),
        at("tgk-records", 5),
        at("projection-flag", 1),
        at("node-refs", 1),
      ],
    },
    ...(["bloom", "xor8"] as const).map(
      (kind): ValidInput => ({
        name: `filters-${kind}`,
        rules: [
          ...REC_RULES,
          "ATXI-FLT-001",
          "ATXI-FLT-002",
          "ATXI-FLT-004",
          kind === "bloom" ? "ATXI-FLT-007" : "ATXI-FLT-008",
          "ATXI-FLT-009",
          "ATXI-FLT-010",
          "ATXI-FLT-003",
          "ATXI-VIS-004",
        ],
        flags: [
          kind === "bloom" ? "BloomFilter" : "Xor8Filter",
          "EveryFilterDomain",
          "Tombstone",
          "NodeProjections",
        ],
        comment: `${kind} filters on all three domains (artifact_id, tgk_edge_id, node_id), tombstones included in their keys`,
        input: {
          segmentId: kind === "bloom" ? 4n : 5n,
          logseqMin: 1n,
          logseqMax: 40n,
          aslRecords: [put(1n, 11n, 1), put(2n, 12n), del(3n, 13n), put(4n, U64_MAX)],
          tgkRecords: [edge(5n, "e1", 1), edge(6n, "e3", 2, 2), cut(7n, "e2")],
          edges: ALL_EDGES,
          filters: [
            { build: kind, domain: 1 },
            { build: kind, domain: 2 },
            { build: kind, domain: 3 },
          ],
        },
        probe: {
          artifacts: [11n, 13n, 14n, U64_MAX],
          edges: [EID["e1"]!, EID["e2"]!, EID["e4"]!],
          nodes: [1n, 4n, 6n],
          snapshots: [2n, 3n, 40n],
        },
      }),
    ),
    {
      name: "unknown-filter-and-block",
      rules: ["ATXI-FLT-006", "ATXI-ACC-001", "ATXI-LAY-002", "ATXI-INV-006", "ATXI-NPR-004"],
      flags: ["UnknownFilter", "UnknownBlock", "Padding"],
      comment:
        "a filter of reserved type 3 and an acceleration block of type 2, both with payloads that need padding; readers skip both",
      input: {
        segmentId: 6n,
        logseqMin: 1n,
        logseqMax: 10n,
        aslRecords: [put(1n, 1n)],
        filters: [
          {
            kind: "unknown",
            filterType: 3,
            version: 1,
            flags: 0xdeadbeef,
            payload: Uint8Array.of(1, 2, 3, 4, 5),
          },
          { build: "bloom", domain: 1 },
          { kind: "unknown", filterType: 1, version: 2, flags: 0, payload: Uint8Array.of(9) },
        ],
        accelBlocks: [
          { kind: "unknown", blockType: 2, version: 1, flags: 3, payload: Uint8Array.of(0xaa, 0xbb, 0xcc) },
        ],
      },
      probe: { artifacts: [1n, 2n], edges: [], nodes: [], snapshots: [1n] },
      // non-zero payload bytes right before zero padding; unknown kinds with reserved-looking flags.
      inside: [at("filter-framing", 2), at("accel-framing", 4), at("filter-contents", 1)],
    },
    {
      name: "full",
      rules: [...REC_RULES, "ATXI-FLT-001", "ATXI-FLT-007", "ATXI-FLT-008", "ATXI-NPR-002", "ATXI-ACC-001"],
      flags: [
        "BloomFilter",
        "Xor8Filter",
        "NodeProjections",
        "UnknownBlock",
        "Tombstone",
        "TypeTagPresent",
        "TypeTagAbsent",
        "EveryRole",
      ],
      comment:
        "every section present: bloom and xor8 filters, ASL and TGK records, node projections after an unknown block; the base of most malformed vectors",
      input: {
        segmentId: 7n,
        logseqMin: 1n,
        logseqMax: 100n,
        aslRecords: [
          put(1n, 21n, 4),
          put(2n, 22n),
          put(3n, 23n, 5),
          del(9n, 23n),
          del(10n, 24n),
          put(11n, 25n),
        ],
        tgkRecords: [
          edge(4n, "e1", 1, 1),
          edge(5n, "e2", 2),
          edge(6n, "e3", 3, 3),
          cut(7n, "e4"),
          edge(8n, "e6", 0),
        ],
        edges: ALL_EDGES,
        filters: [
          { build: "bloom", domain: 1 },
          { build: "xor8", domain: 2 },
          { build: "bloom", domain: 3 },
        ],
        accelBlocks: [
          { kind: "unknown", blockType: 9, version: 1, flags: 0, payload: Uint8Array.of(1, 2, 3) },
          { kind: "node-refs", refs: [] },
        ],
      },
      probe: {
        artifacts: [21n, 23n, 24n],
        edges: [EID["e1"]!, EID["e4"]!],
        nodes: [1n, 3n, 5n],
        snapshots: [3n, 9n, 100n],
      },
      // the right magic, version, checksum; HAS_NODE_PROJECTIONS the only header flag; known block flags 0;
      // reserved bytes of records and refs zero (their only valid value).
      inside: [
        at("asl-records", 0),
        at("node-refs", 0),
        at("magic"),
        at("version"),
        at("checksum"),
        at("header-flags"),
        at("accel-framing", 3),
        at("filter-completeness"),
      ],
    },
    ...boundaryInputs(),
  ];
}

export interface SetInput {
  name: string;
  rules: string[];
  flags: string[];
  comment: string;
  members: ValidInput[];
  probe: ValidInput["probe"];
}

/** The visibility set (section 10): three segments whose records interleave across snapshot boundaries. */
export function visibilitySet(): SetInput {
  const mk = (n: number, lo: bigint, hi: bigint, asl: AslRecord[], tgk: TgkRecord[]): ValidInput => ({
    name: `visibility-seg${n}`,
    rules: REC_RULES,
    flags: ["SetMember", "NodeProjections"],
    comment: `member ${n} of the visibility set`,
    input: {
      segmentId: BigInt(100 + n),
      logseqMin: lo,
      logseqMax: hi,
      aslRecords: asl,
      tgkRecords: tgk,
      edges: ALL_EDGES,
      filters: [
        { build: "bloom", domain: 1 },
        { build: "xor8", domain: 3 },
      ],
    },
    probe: { artifacts: [], edges: [], nodes: [], snapshots: [] },
  });
  return {
    name: "visibility",
    rules: [
      "ATXI-VIS-001",
      "ATXI-VIS-002",
      "ATXI-VIS-003",
      "ATXI-VIS-005",
      "ATXI-INV-003",
      "ATXI-INV-008",
      "ATXI-NPR-005",
      "ATXI-FLT-003",
    ],
    flags: [
      "VisibilityBoundary",
      "TombstoneAcrossSegments",
      "TombstoneAboveS",
      "SegmentSkipped",
      "TagShadowing",
    ],
    comment:
      "A put at 3 and tombstoned at 12 in a later segment; B re-put at 15 with another tag, tombstoned at 25; edge e1 cut at 13; segment 3 starts at 21 so it is skipped below 21",
    members: [
      mk(1, 1n, 10n, [put(3n, 0xaan, 1), put(5n, 0xbbn, 1)], [edge(4n, "e1", 1), edge(6n, "e2", 2, 7)]),
      mk(2, 11n, 20n, [del(12n, 0xaan), put(15n, 0xbbn, 2)], [cut(13n, "e1"), edge(14n, "e6", 3)]),
      mk(3, 21n, 30n, [put(21n, 0xccn), del(25n, 0xbbn)], [edge(22n, "e1", 1)]),
    ],
    probe: {
      artifacts: [0xaan, 0xbbn, 0xccn, 0xddn],
      edges: [EID["e1"]!, EID["e2"]!, EID["e6"]!],
      nodes: [1n, 3n, 5n],
      snapshots: [0n, 2n, 3n, 4n, 11n, 12n, 13n, 14n, 20n, 21n, 24n, 25n, 30n, U64_MAX],
    },
  };
}

export const P53 = 1n << 53n;
export const P64 = 1n << 64n;
const bytesOf = (...v: number[]) => Uint8Array.from(v);

/** A bloom filter given parameter by parameter (DEC-009), for filters no writer would build. */
const bloom = (domain: 1 | 2 | 3, numBits: number, numHashes: number, bits: number[]): BloomFilter => ({
  kind: "bloom",
  domain,
  numBits,
  numHashes,
  seed: 0x0123456789abcdefn,
  bits: Uint8Array.from(bits),
});

/** An xor8 filter with block_length 1 whose one key set is `keys` (all of one fingerprint), DEC-010. */
function xor8Length1(domain: 1 | 2 | 3, keys: bigint[]): Xor8Filter {
  for (let f = 0; f < 256; f++) {
    const x: Xor8Filter = {
      kind: "xor8",
      domain,
      seed: 7n,
      blockLength: 1,
      fingerprints: bytesOf(f, 0, 0),
    };
    if (keys.every((k) => filterMayContain(x, k))) return x;
  }
  throw new Error("vectors: no block_length 1 xor8 filter holds these keys");
}

/** The payload of a bloom filter (num_bits, num_hashes, seed, bits) as an unknown filter carries it. */
function bloomLikePayload(numBits: number, numHashes: number, bits: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + bits.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, numBits, true);
  dv.setUint32(4, numHashes, true);
  dv.setBigUint64(8, 0x9e3779b97f4a7c15n, true);
  out.set(bits, 16);
  return out;
}

/** The payload of an xor8 filter (seed, block_length, reserved, fingerprints) as an unknown filter carries it. */
function xor8LikePayload(blockLength: number, fingerprints: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + fingerprints.length);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, 1n, true);
  dv.setUint32(8, blockLength, true);
  out.set(fingerprints, 16);
  return out;
}

const unknownFilter = (filterType: number, version: number, flags: number, payload: Uint8Array) =>
  ({ kind: "unknown", filterType, version, flags, payload }) as const satisfies SegmentFilter;
const synthetic = (logseq: bigint, tgkEdgeId: bigint, role: TgkRecord["role"], edgeTypeKey?: number) => ({
  logseq,
  tgkEdgeId,
  edgeTypeKey,
  role,
  tombstone: false,
});

/** Edges whose node ids are equal in pairs as doubles (2^53 and 2^53+1, 2^64-1 and 2^64-2^10). */
const TWIN_EDGES: Record<string, Edge> = {
  t1: { from: [P53], to: [P53 + 1n] },
  t2: { from: [P53 + 1n], to: [P64 - 1n] },
  t3: { from: [P64 - (1n << 10n)], to: [P53 - 1n] },
};
const TWIN_EID: Record<string, bigint> = Object.fromEntries(
  Object.entries(TWIN_EDGES).map(([k, e]) => [k, edgeId(e)]),
);
const twinEdge = (
  logseq: bigint,
  name: string,
  role: TgkRecord["role"],
  edgeTypeKey?: number,
): TgkRecord => ({
  logseq,
  tgkEdgeId: TWIN_EID[name]!,
  edgeTypeKey,
  role,
  tombstone: false,
});

const BOUNDARY_RULES = ["ATXI-LAY-001", "ATXI-FTR-001", "ATXI-FTR-002", "ATXI-INV-006", "ATXI-DEC-001"];

/**
 * The valid side of the boundary cases: segments that pass checks of `reader_check_order` exactly at their
 * limit (a section or frame that fills its area to the byte, logseqs equal to logseq_min and logseq_max,
 * records adjacent in sort order, filters at their least and greatest parameters, unknown versions of known
 * kinds), 64-bit values that a double cannot tell apart, and the bases the malformed boundary cases edit.
 */
export function boundaryInputs(): ValidInput[] {
  return [
    {
      name: "filter-area-exact-fit",
      rules: [...BOUNDARY_RULES, "ATXI-HDR-006", "ATXI-FLT-001", "ATXI-FLT-006", "ATXI-FLT-002"],
      flags: ["ExactFit", "UnknownFilter", "EmptyKeyFilter"],
      comment:
        "filters and nothing else, so record_area_offset = footer_offset; an unknown filter whose 8-byte payload needs no padding, then one with an empty payload: a frame of exactly 16 bytes closes the area",
      input: {
        segmentId: 20n,
        logseqMin: 1n,
        logseqMax: 1n,
        filters: [
          buildFilter("bloom", 1, []),
          unknownFilter(3, 1, 0, bytesOf(1, 2, 3, 4, 5, 6, 7, 8)),
          unknownFilter(0, 0, 0, new Uint8Array(0)),
        ],
      },
      probe: { artifacts: [1n], edges: [], nodes: [], snapshots: [1n] },
      inside: [at("section-bounds", 0), at("filter-framing", 0), at("filter-framing", 1)],
    },
    {
      name: "empty-key-filters",
      rules: [
        ...BOUNDARY_RULES,
        "ATXI-FLT-002",
        "ATXI-FLT-003",
        "ATXI-FLT-007",
        "ATXI-FLT-008",
        "ATXI-NPR-004",
      ],
      flags: ["EmptyKeyFilter", "BloomFilter", "Xor8Filter", "NodeProjections"],
      comment:
        "bloom and xor8 filters on the TGK and node domains of a segment with no TGK record and no node-edge ref (built over no keys), next to filters on artifact_id, and an empty node-edge-ref block (16 bytes) with HAS_NODE_PROJECTIONS",
      input: {
        segmentId: 21n,
        logseqMin: 1n,
        logseqMax: 9n,
        aslRecords: [put(1n, 0x51n, 1), put(2n, 0x52n), del(3n, 0x53n)],
        edges: [],
        filters: [
          { build: "bloom", domain: 2 },
          { build: "xor8", domain: 2 },
          { build: "bloom", domain: 3 },
          { build: "xor8", domain: 3 },
          { build: "bloom", domain: 1 },
          { build: "xor8", domain: 1 },
        ],
      },
      probe: { artifacts: [0x51n, 0x53n, 0x54n], edges: [EID["e1"]!], nodes: [1n], snapshots: [0n, 2n, 9n] },
      inside: [at("accel-framing", 0), at("projection-flag", 1), at("filter-completeness")],
    },
    {
      name: "records-end-at-footer",
      rules: [...BOUNDARY_RULES, "ATXI-HDR-005"],
      flags: ["ExactFit"],
      comment: "ASL and TGK records and nothing after them: the TGK records end exactly at footer_offset",
      input: {
        segmentId: 22n,
        logseqMin: 1n,
        logseqMax: 10n,
        aslRecords: [put(1n, 0x61n, 7), put(2n, 0x62n), put(3n, 0x63n, 8)],
        tgkRecords: [edge(4n, "e1", 1), edge(5n, "e2", 2, 7)],
      },
      probe: { artifacts: [0x61n, 0x62n], edges: [EID["e1"]!], nodes: [], snapshots: [3n, 10n] },
      inside: [
        at("record-counts", 0),
        at("record-counts", 1),
        at("record-counts", 2),
        at("record-counts", 3),
      ],
    },
    {
      name: "accel-area-exact-fit",
      rules: [...BOUNDARY_RULES, "ATXI-ACC-001", "ATXI-NPR-004", "ATXI-LAY-002"],
      flags: ["ExactFit", "UnknownBlock", "UnknownVersion", "NodeProjections"],
      comment:
        "the node-edge-ref block between blocks of type 1 version 2 (one empty, one of 5 bytes with every flag bit set: neither is a node-edge-ref block), a type 2 block with flag bit 31, and an empty block of 16 bytes that closes the area",
      input: {
        segmentId: 23n,
        logseqMin: 1n,
        logseqMax: 20n,
        aslRecords: [put(1n, 0x71n)],
        tgkRecords: [edge(2n, "e1", 1), edge(3n, "e3", 2, 3)],
        edges: ALL_EDGES,
        accelBlocks: [
          { kind: "unknown", blockType: 1, version: 2, flags: 0, payload: new Uint8Array(0) },
          { kind: "node-refs", refs: [] },
          { kind: "unknown", blockType: 1, version: 2, flags: 0xffffffff, payload: bytesOf(1, 2, 3, 4, 5) },
          {
            kind: "unknown",
            blockType: 2,
            version: 1,
            flags: 0x80000000,
            payload: bytesOf(8, 7, 6, 5, 4, 3, 2, 1),
          },
          { kind: "unknown", blockType: 0, version: 0, flags: 0, payload: new Uint8Array(0) },
        ],
      },
      probe: { artifacts: [0x71n], edges: [EID["e1"]!], nodes: [1n, 4n], snapshots: [2n, 20n] },
      inside: [
        at("accel-framing", 0),
        at("accel-framing", 1),
        at("accel-framing", 2),
        at("accel-framing", 3),
        at("projection-flag", 0),
      ],
    },
    {
      name: "logseq-bounds-asl-at-limits",
      rules: [...BOUNDARY_RULES, "ATXI-HDR-004", "ATXI-VIS-001"],
      flags: ["OffByOne", "VisibilityBoundary", "NodeProjections"],
      comment: "logseq_min 10 and logseq_max 20, and ASL records at exactly 10 and 20",
      input: {
        segmentId: 24n,
        logseqMin: 10n,
        logseqMax: 20n,
        aslRecords: [put(10n, 0x81n, 1), del(15n, 0x81n), put(20n, 0x82n, 2)],
        tgkRecords: [edge(12n, "e1", 1), edge(18n, "e2", 2)],
        edges: ALL_EDGES,
      },
      probe: {
        artifacts: [0x81n, 0x82n],
        edges: [EID["e1"]!],
        nodes: [1n, 3n],
        snapshots: [9n, 10n, 11n, 14n, 15n, 19n, 20n, 21n],
      },
      inside: [at("asl-records", 5)],
    },
    {
      name: "logseq-bounds-tgk-at-limits",
      rules: [...BOUNDARY_RULES, "ATXI-HDR-004", "ATXI-NPR-002", "ATXI-VIS-001"],
      flags: ["OffByOne", "VisibilityBoundary", "NodeProjections"],
      comment: "logseq_min 10 and logseq_max 20, TGK records (and so node-edge refs) at exactly 10 and 20",
      input: {
        segmentId: 25n,
        logseqMin: 10n,
        logseqMax: 20n,
        aslRecords: [put(15n, 0x91n)],
        tgkRecords: [edge(10n, "e1", 1), edge(20n, "e6", 3, 4)],
        edges: ALL_EDGES,
      },
      probe: {
        artifacts: [0x91n],
        edges: [EID["e1"]!, EID["e6"]!],
        nodes: [1n, 3n, 5n],
        snapshots: [9n, 10n, 19n, 20n],
      },
      inside: [at("tgk-records", 6), at("node-refs", 2)],
    },
    {
      name: "logseq-single-point",
      rules: [...BOUNDARY_RULES, "ATXI-HDR-004"],
      flags: ["OffByOne"],
      comment: "logseq_min = logseq_max = 7, the logseq of the one record",
      input: { segmentId: 26n, logseqMin: 7n, logseqMax: 7n, aslRecords: [put(7n, 0xa1n, 3)] },
      probe: { artifacts: [0xa1n], edges: [], nodes: [], snapshots: [6n, 7n, 8n] },
      inside: [at("logseq-bounds", 1), at("asl-records", 5)],
    },
    {
      name: "record-order-adjacent",
      rules: [...BOUNDARY_RULES, "ATXI-ASL-007", "ATXI-TGK-006", "ATXI-VIS-005"],
      flags: ["OffByOne", "SeveralVersions"],
      comment:
        "records one step apart in sort order: the same id with logseq + 1, then the next id with a smaller logseq (ASL and TGK); ASL and TGK logseqs one apart",
      input: {
        segmentId: 27n,
        logseqMin: 1n,
        logseqMax: 10n,
        aslRecords: [put(3n, 5n, 1), put(4n, 5n, 2), put(1n, 6n, 3)],
        tgkRecords: [synthetic(7n, 100n, 1), synthetic(8n, 100n, 2), synthetic(5n, 101n, 0)],
      },
      probe: {
        artifacts: [5n, 6n],
        edges: [100n, 101n],
        nodes: [],
        snapshots: [2n, 3n, 4n, 7n, 8n, 10n],
      },
      inside: [at("asl-records", 6), at("tgk-records", 7), at("logseq-unique")],
    },
    {
      name: "u64-float64-twins",
      rules: [
        ...BOUNDARY_RULES,
        "ATXI-INV-001",
        "ATXI-HDR-007",
        "ATXI-VIS-001",
        "ATXI-VIS-002",
        "ATXI-VIS-005",
      ],
      flags: ["Float64Twins", "U64Above2p53", "U64Max", "SeveralVersions", "Tombstone"],
      comment:
        "artifact_ids, tgk_edge_ids and logseqs that a double cannot tell apart (2^53 and 2^53+1; 2^64-1 and 2^64-2^10), next to values it can (2^53-1, 2^53+4, 2^64-2^11), and logseqs 2^53 and 2^53+2^32 with the same low 32 bits; segment_id 2^53+1. Queries ask for each id and for absent ids equal to a present one as a double, at snapshots that split the twins",
      input: {
        segmentId: P53 + 1n,
        logseqMin: P53 - 1n,
        logseqMax: P64 - 1n,
        aslRecords: [
          put(P53 + 5n, P53 - 1n, 1),
          put(P53, P53, 2),
          put(P53 + 1n, P53 + 1n, 3),
          del(P53 + 4n, P53 + 1n),
          put(P53 + 2n, P53 + 4n, 5),
          put(P53 + (1n << 32n), P53 + 4n, 9),
          put(P64 - 3n, P64 - (1n << 11n), 6),
          put(P64 - 5n, P64 - (1n << 10n), 10),
          put(P64 - (1n << 10n), P64 - 1n, 7),
          put(P64 - 1n, P64 - 1n, 8),
        ],
        tgkRecords: [
          synthetic(P53 + 3n, P53, 1, 5),
          synthetic(P53 + 6n, P53 + 1n, 2),
          synthetic(P64 - 2n, P64 - (1n << 10n), 3, 0xffffffff),
          synthetic(P64 - 4n, P64 - 1n, 0),
        ],
      },
      probe: {
        artifacts: [
          P53 - 1n,
          P53,
          P53 + 1n,
          P53 + 3n,
          P53 + 4n,
          P53 + 5n,
          P64 - (1n << 11n),
          P64 - (1n << 11n) + 1n,
          P64 - (1n << 10n),
          P64 - 2n,
          P64 - 1n,
        ],
        edges: [P53, P53 + 1n, P53 + 2n, P64 - (1n << 11n), P64 - (1n << 10n), P64 - 2n, P64 - 1n],
        nodes: [],
        snapshots: [
          P53 - 1n,
          P53,
          P53 + 1n,
          P53 + 2n,
          P53 + 3n,
          P53 + 4n,
          P53 + 6n,
          P53 + (1n << 32n) - 1n,
          P53 + (1n << 32n),
          P64 - (1n << 11n),
          P64 - (1n << 10n) - 1n,
          P64 - (1n << 10n),
          P64 - 4n,
          P64 - 3n,
          P64 - 2n,
          P64 - 1n,
        ],
      },
      inside: [at("logseq-unique"), at("asl-records", 6), at("tgk-records", 7)],
    },
    {
      name: "u64-float64-twin-nodes",
      rules: [...BOUNDARY_RULES, "ATXI-INV-001", "ATXI-INV-002", "ATXI-NPR-002", "ATXI-NPR-003"],
      flags: ["Float64Twins", "U64Above2p53", "U64Max", "NodeProjections"],
      comment:
        "node ids 2^53 and 2^53+1, 2^64-1 and 2^64-2^10 (equal as doubles) in the edges' node lists: incidence queries ask for each, and for absent nodes equal to them as doubles",
      input: {
        segmentId: P53,
        logseqMin: 1n,
        logseqMax: P53 + 1n,
        aslRecords: [put(4n, P53 + 1n, 1)],
        tgkRecords: [twinEdge(1n, "t1", 1), twinEdge(2n, "t2", 2), twinEdge(3n, "t3", 3, 9)],
        edges: Object.values(TWIN_EDGES),
      },
      probe: {
        artifacts: [P53 + 1n, P53],
        edges: [TWIN_EID["t1"]!, TWIN_EID["t2"]!, TWIN_EID["t3"]!],
        nodes: [P53 - 1n, P53, P53 + 1n, P53 + 3n, P64 - (1n << 10n), P64 - 2n, P64 - 1n],
        snapshots: [1n, 2n, 3n, P53 + 1n],
      },
      inside: [at("node-refs", 3)],
    },
    {
      name: "u64-float64-twin-refs",
      rules: [...BOUNDARY_RULES, "ATXI-NPR-001", "ATXI-NPR-002", "ATXI-NPR-003", "ATXI-INV-001"],
      flags: ["Float64Twins", "NodeProjections", "U64Above2p53", "U64Max"],
      comment:
        "node-edge refs (given, not derived) to TGK records of tgk_edge_id 2^53, 2^53+1, 2^64-2^10 and 2^64-1, equal in pairs as doubles, each at its own logseq",
      input: {
        segmentId: 32n,
        logseqMin: 1n,
        logseqMax: 10n,
        tgkRecords: [
          synthetic(1n, P53, 1),
          synthetic(2n, P53 + 1n, 2),
          synthetic(3n, P64 - (1n << 10n), 1),
          synthetic(4n, P64 - 1n, 2),
        ],
        nodeRefs: [
          { logseq: 1n, nodeId: 5n, tgkEdgeId: P53, position: 1 },
          { logseq: 2n, nodeId: 6n, tgkEdgeId: P53 + 1n, position: 2 },
          { logseq: 3n, nodeId: 7n, tgkEdgeId: P64 - (1n << 10n), position: 1 },
          { logseq: 4n, nodeId: 8n, tgkEdgeId: P64 - 1n, position: 2 },
        ],
      },
      probe: {
        artifacts: [],
        edges: [P53, P53 + 1n, P64 - (1n << 10n), P64 - 1n],
        nodes: [5n, 6n, 7n, 8n],
        snapshots: [1n, 2n, 3n, 4n, 10n],
      },
      inside: [at("node-refs", 4)],
    },
    {
      name: "bloom-extremes",
      rules: [
        ...BOUNDARY_RULES,
        "ATXI-FLT-001",
        "ATXI-FLT-002",
        "ATXI-FLT-003",
        "ATXI-FLT-006",
        "ATXI-FLT-007",
        "ATXI-FLT-009",
      ],
      flags: ["MinimalFilter", "BloomFilter", "EmptyKeyFilter", "UnknownVersion", "UnknownFilter"],
      comment:
        "bloom filters with num_bits 1 and num_hashes 1 and 32, num_bits 9 (the last byte's 7 unused bits zero), an all-zero one on the node domain of a segment with no node-edge ref; before them an unknown version of the bloom type whose all-zero bits would hide every key, and unknown kinds with every flag bit set",
      input: {
        segmentId: 28n,
        logseqMin: 1n,
        logseqMax: 10n,
        aslRecords: [put(1n, 0x101n, 1), put(2n, 0x102n), del(3n, 0x103n)],
        tgkRecords: [synthetic(4n, 0x201n, 1)],
        filters: [
          unknownFilter(1, 2, 1, bloomLikePayload(64, 7, new Uint8Array(8))),
          bloom(1, 1, 1, [0x01]),
          bloom(1, 9, 32, [0xff, 0x01]),
          bloom(2, 1, 32, [0x01]),
          bloom(3, 1, 32, [0x00]),
          unknownFilter(0xffff, 0xffff, 0xffffffff, bytesOf(0xff, 0xfe, 0xfd)),
          unknownFilter(2, 0, 2, xor8LikePayload(10, new Uint8Array(30))),
        ],
      },
      probe: {
        artifacts: [0x101n, 0x103n, 0x104n],
        edges: [0x201n, 0x202n],
        nodes: [],
        snapshots: [0n, 2n, 3n, 10n],
      },
      inside: [
        at("filter-contents", 0),
        at("filter-contents", 3),
        at("filter-contents", 4),
        at("filter-contents", 5),
        at("filter-contents", 6),
        at("filter-completeness"),
      ],
    },
    {
      name: "xor8-extremes",
      rules: [
        ...BOUNDARY_RULES,
        "ATXI-FLT-001",
        "ATXI-FLT-002",
        "ATXI-FLT-006",
        "ATXI-FLT-008",
        "ATXI-FLT-009",
      ],
      flags: ["MinimalFilter", "Xor8Filter", "EmptyKeyFilter", "UnknownVersion"],
      comment:
        "xor8 filters with block_length 1 (3 fingerprints) over one key and over no key, an xor8 built over no key, and an unknown version of the xor8 type with block_length 0",
      input: {
        segmentId: 29n,
        logseqMin: 1n,
        logseqMax: 10n,
        aslRecords: [put(1n, 0x301n, 1), del(2n, 0x301n)],
        filters: [
          xor8Length1(1, [0x301n]),
          xor8Length1(2, []),
          unknownFilter(2, 2, 1, xor8LikePayload(0, new Uint8Array(0))),
          buildFilter("xor8", 3, []),
        ],
      },
      probe: { artifacts: [0x301n, 0x302n], edges: [0x401n], nodes: [], snapshots: [1n, 2n] },
      inside: [
        at("filter-contents", 2),
        at("filter-contents", 7),
        at("filter-contents", 8),
        at("filter-contents", 9),
      ],
    },
    {
      name: "filter-unknown-versions",
      rules: [...BOUNDARY_RULES, "ATXI-FLT-001", "ATXI-FLT-006"],
      flags: ["UnknownVersion", "UnknownFilter"],
      comment:
        "filters of the bloom and xor8 types with version 2, whose payloads a reader of version 1 would refuse (15 bytes, num_bits 0, block_length 0, num_bits 2^32-1 in 16 bytes, domain 0): they are not looked at",
      input: {
        segmentId: 30n,
        logseqMin: 1n,
        logseqMax: 1n,
        aslRecords: [put(1n, 0x501n)],
        filters: [
          unknownFilter(1, 2, 1, new Uint8Array(15)),
          unknownFilter(2, 2, 1, new Uint8Array(15)),
          unknownFilter(1, 2, 1, bloomLikePayload(0, 1, new Uint8Array(0))),
          unknownFilter(2, 2, 1, xor8LikePayload(0, new Uint8Array(0))),
          unknownFilter(1, 2, 1, bloomLikePayload(0xffffffff, 1, new Uint8Array(0))),
          unknownFilter(1, 2, 0, bloomLikePayload(8, 1, bytesOf(0xff))),
        ],
      },
      probe: { artifacts: [0x501n, 0x502n], edges: [], nodes: [], snapshots: [1n] },
      inside: [at("filter-contents", 2)],
    },
    {
      name: "filter-two-of-a-domain",
      rules: [...BOUNDARY_RULES, "ATXI-FLT-002", "ATXI-FLT-003", "ATXI-FLT-007", "ATXI-FLT-008"],
      flags: ["BloomFilter", "Xor8Filter", "EveryFilterDomain", "Tombstone", "NodeProjections"],
      comment:
        "two known filters on artifact_id (queries consult only the first; a reader checks both) and filters on the other two domains",
      input: {
        segmentId: 31n,
        logseqMin: 1n,
        logseqMax: 10n,
        aslRecords: [put(1n, 0x601n), put(2n, 0x602n, 2), put(3n, 0x603n), del(4n, 0x604n)],
        tgkRecords: [edge(5n, "e1", 1), edge(6n, "e2", 2)],
        edges: ALL_EDGES,
        filters: [
          { build: "bloom", domain: 1 },
          { build: "xor8", domain: 1 },
          { build: "bloom", domain: 2 },
          { build: "xor8", domain: 3 },
          { build: "bloom", domain: 3 },
        ],
      },
      probe: {
        artifacts: [0x601n, 0x604n, 0x605n],
        edges: [EID["e1"]!, EID["e3"]!],
        nodes: [1n, 4n],
        snapshots: [4n, 6n],
      },
      inside: [at("filter-completeness")],
    },
  ];
}

const SET_ORDER_RULES = [
  "ATXI-VIS-001",
  "ATXI-VIS-002",
  "ATXI-VIS-003",
  "ATXI-VIS-005",
  "ATXI-INV-003",
  "ATXI-INV-008",
  "ATXI-NPR-005",
  "ATXI-FLT-003",
];

function member(
  name: string,
  segmentId: bigint,
  lo: bigint,
  hi: bigint,
  asl: AslRecord[],
  tgk: TgkRecord[],
  filters: SegmentInput["filters"],
): ValidInput {
  return {
    name,
    rules: REC_RULES,
    flags: ["SetMember", ...(tgk.length ? ["NodeProjections"] : [])],
    comment: `a member of the ${name.replace(/-[a-z]$/, "")} sets`,
    input: {
      segmentId,
      logseqMin: lo,
      logseqMax: hi,
      aslRecords: asl,
      ...(tgk.length ? { tgkRecords: tgk, edges: ALL_EDGES } : {}),
      filters,
    },
    probe: { artifacts: [], edges: [], nodes: [], snapshots: [] },
  };
}

/**
 * Segment sets whose members are to be opened in every order (index.ts makes one set case per
 * permutation): logseq ranges that overlap and interleave, tombstones in one member that shadow records of
 * another, snapshots at every member's logseq_min and logseq_max and one either side; and a set whose
 * segment ids and logseqs are distinct u64 values equal as doubles.
 */
export function orderSets(): SetInput[] {
  const [X, Y, Z] = [0xc1n, 0xc2n, 0xc3n];
  const [P, Q, R] = [0xd1n, 0xd2n, 0xd3n];
  const [K, J] = [0xe1n, 0xe2n];
  return [
    {
      name: "order-pair",
      rules: SET_ORDER_RULES,
      flags: [
        "SetOrder",
        "OverlappingRanges",
        "TombstoneAcrossSegments",
        "VisibilityBoundary",
        "SegmentSkipped",
      ],
      comment:
        "a [1, 10] and b [6, 20] overlap: X put at 2 is tombstoned at 8 in b (inside a's range) and put again at 16; Y put at 4, again at 12, tombstoned at 20; Z put at 6 in b and at 7 in a (the segment that starts first holds the newer record); edge e1 cut at 9 in b",
      members: [
        member(
          "order-pair-a",
          301n,
          1n,
          10n,
          [put(2n, X, 1), put(4n, Y, 1), put(7n, Z, 1)],
          [edge(3n, "e1", 1), edge(5n, "e2", 2, 7)],
          [
            { build: "bloom", domain: 1 },
            { build: "xor8", domain: 3 },
          ],
        ),
        member(
          "order-pair-b",
          302n,
          6n,
          20n,
          [put(6n, Z, 2), del(8n, X), put(12n, Y, 2), put(16n, X, 3), del(20n, Y)],
          [cut(9n, "e1"), edge(14n, "e6", 3)],
          [
            { build: "xor8", domain: 1 },
            { build: "bloom", domain: 2 },
            { build: "bloom", domain: 3 },
          ],
        ),
      ],
      probe: {
        artifacts: [X, Y, Z, 0xc4n],
        edges: [EID["e1"]!, EID["e2"]!, EID["e6"]!],
        nodes: [1n, 3n, 5n],
        snapshots: [
          0n,
          1n,
          2n,
          3n,
          4n,
          5n,
          6n,
          7n,
          8n,
          9n,
          10n,
          11n,
          12n,
          13n,
          14n,
          15n,
          16n,
          19n,
          20n,
          21n,
          U64_MAX,
        ],
      },
    },
    {
      name: "order-trio",
      rules: SET_ORDER_RULES,
      flags: [
        "SetOrder",
        "OverlappingRanges",
        "TombstoneAcrossSegments",
        "TombstoneAboveS",
        "VisibilityBoundary",
        "SegmentSkipped",
        "TagShadowing",
      ],
      comment:
        "a [1, 10], b [11, 20] and c [5, 30], c overlapping both: P put at 1 (a), again at 5 (c), tombstoned at 12 (b); Q put at 3 (a), at 15 (b), tombstoned at 25 (c); R put at 9 (a), tombstoned at 11 (b), put at 30 (c); e1 at 2 (a) and 7 (c), e3 at 6 (a) cut at 13 (b), e2 at 18 (b) cut at 22 (c)",
      members: [
        member(
          "order-trio-a",
          311n,
          1n,
          10n,
          [put(1n, P, 1), put(3n, Q, 1), put(9n, R, 1)],
          [edge(2n, "e1", 1), edge(6n, "e3", 2)],
          [
            { build: "bloom", domain: 1 },
            { build: "bloom", domain: 3 },
          ],
        ),
        member(
          "order-trio-b",
          312n,
          11n,
          20n,
          [del(11n, R), del(12n, P), put(15n, Q, 2)],
          [cut(13n, "e3"), edge(18n, "e2", 2, 7)],
          [
            { build: "xor8", domain: 1 },
            { build: "xor8", domain: 2 },
            { build: "xor8", domain: 3 },
          ],
        ),
        member(
          "order-trio-c",
          313n,
          5n,
          30n,
          [put(5n, P, 5), del(25n, Q), put(30n, R, 3)],
          [edge(7n, "e1", 2), cut(22n, "e2"), edge(28n, "e6", 3)],
          [
            { build: "bloom", domain: 2 },
            { build: "xor8", domain: 3 },
          ],
        ),
      ],
      probe: {
        artifacts: [P, Q, R, 0xd4n],
        edges: [EID["e1"]!, EID["e2"]!, EID["e3"]!, EID["e6"]!],
        nodes: [1n, 3n, 4n, 5n],
        snapshots: [
          0n,
          1n,
          2n,
          4n,
          5n,
          6n,
          7n,
          9n,
          10n,
          11n,
          12n,
          13n,
          14n,
          15n,
          18n,
          19n,
          20n,
          21n,
          22n,
          24n,
          25n,
          28n,
          29n,
          30n,
          31n,
          U64_MAX,
        ],
      },
    },
    {
      name: "float64-twins",
      rules: [...SET_ORDER_RULES, "ATXI-HDR-007", "ATXI-INV-001"],
      flags: ["Float64Twins", "SetOrder", "U64Above2p53", "U64Max", "TombstoneAcrossSegments"],
      comment:
        "segment ids 2^53 and 2^53+1, 2^64-1 and 2^64-2^10, and logseqs 2^53 and 2^53+1 in different members: distinct u64 values equal as doubles, so the set opens (no duplicate segment id or logseq) and S = 2^53 sees only the first",
      members: [
        member("float64-twins-a", P53, P53 - 1n, P53, [put(P53, K, 1), put(P53 - 1n, J, 1)], [], []),
        member("float64-twins-b", P53 + 1n, P53 + 1n, P53 + 1n, [put(P53 + 1n, K, 2)], [], []),
        member(
          "float64-twins-c",
          P64 - 1n,
          P64 - (1n << 10n),
          P64 - 1n,
          [del(P64 - 1n, K), put(P64 - (1n << 10n), J, 3)],
          [],
          [],
        ),
        member(
          "float64-twins-d",
          P64 - (1n << 10n),
          P64 - (1n << 11n),
          P64 - (1n << 11n),
          [put(P64 - (1n << 11n), J, 4)],
          [],
          [],
        ),
      ],
      probe: {
        artifacts: [K, J, 0xe3n],
        edges: [],
        nodes: [],
        snapshots: [
          0n,
          P53 - 1n,
          P53,
          P53 + 1n,
          P53 + 2n,
          P64 - (1n << 11n),
          P64 - (1n << 10n) - 1n,
          P64 - (1n << 10n),
          P64 - 2n,
          P64 - 1n,
        ],
      },
    },
  ];
}

/** Every valid segment that is only a set member (no queries of its own), with its writer input. */
export function setMemberInputs(): ValidInput[] {
  return [...visibilitySet().members, ...orderSets().flatMap((s) => s.members)];
}
