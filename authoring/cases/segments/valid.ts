// The valid inputs of the golden segment vectors (ENC-ASL-TGK-INDEX; DEC-001..DEC-016, DEC-029): named
// writer inputs that together cover every field and flag, both filter kinds on every domain, type tags
// present and absent, every role, node projections, unknown filters and blocks, an empty segment,
// 64-bit values above 2^53, and a multi-segment set with the visibility edge cases of section 10.
// Deterministic: fixed inputs, no randomness. Rules: see the rule lists of each case in vectors.ts.

import type { SegmentInput } from "../../../reference/segment/encode.ts";
import type { AslRecord, TgkRecord } from "../../../reference/segment/model.ts";
import { type Edge, edgeId } from "../../../reference/tgk/edge.ts";

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

const put = (logseq: bigint, artifactId: bigint, typeTag?: number): AslRecord => ({
  logseq,
  artifactId,
  typeTag,
  tombstone: false,
});
const del = (logseq: bigint, artifactId: bigint): AslRecord => ({ logseq, artifactId, tombstone: true });
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
    },
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
