// Segment cases (decode, verify, encode) written to kill machine-made mutants of reference/segment that
// the suite let live (adequacy/report.md): 64-bit ids, node ids, edge ids and logseqs that agree in one
// 32-bit word and differ in the other (a reader comparing one word only confuses them), node-edge refs
// ordered by each of their sort keys in turn, duplicate logseqs in segments of every shape (two records,
// a wide logseq range, a high logseq_min, ASL-only and TGK-only segments), a record failing a later check
// at a limit of an earlier one, and writer inputs the writer must refuse or sort.
// Rules: those each case lists; ATXI-DEC-001 for the malformed ones.
import { bloomProbePositions } from "../../../reference/filters/bloom.ts";
import type { BloomFilter } from "../../../reference/filters/filter.ts";
import { decodeSegment } from "../../../reference/segment/decode.ts";
import { AR, NR, TR } from "../../../reference/segment/layout.ts";
import type { TgkRecord } from "../../../reference/segment/model.ts";
import { type Edge, edgeId } from "../../../reference/tgk/edge.ts";
import { applyEdits, at, type CheckRef, type Edit, type InvalidDraft, u8, u64 } from "../segments/edits.ts";
import type { ValidInput } from "../segments/valid.ts";
import { put } from "../segments/valid.ts";
import type { RequestUnit } from "./types.ts";

const P32 = 1n << 32n;

const rec = (
  logseq: bigint,
  tgkEdgeId: bigint,
  role: TgkRecord["role"],
  edgeTypeKey?: number,
): TgkRecord => ({
  logseq,
  tgkEdgeId,
  edgeTypeKey,
  role,
  tombstone: false,
});

/**
 * Edges of the word-twin segments (DEC-016 ids). `a` and `b` hold node 5 and node 2^32 + 5 (one low word);
 * `c` holds node 9 in both lists; `d` and `e` share node 1 in `from` and have ids with the same high word
 * (found by search: SHA-256 prefixes 0xf8157493_270c8749 and 0xf8157493_dfee0272); `h` and `i` share node 2
 * in `from`, and the id of `h` is below that of `i` in its high word but above it in its low word; `j` has
 * two versions in one segment (logseqs 3 and 7), so its refs differ in the logseq's low word only; `k` joins
 * node 5 to node 2^32 + 5, whose refs are then next to each other.
 */
export const TWIN_WORD_EDGES: Record<string, Edge> = {
  a: { from: [5n], to: [7n] },
  b: { from: [P32 + 5n], to: [8n] },
  c: { from: [9n], to: [9n] },
  d: { from: [1n, 40487n], to: [] },
  e: { from: [1n, 103804n], to: [] },
  f: { from: [3n], to: [] },
  g: { from: [6n], to: [] },
  h: { from: [2n, 3n], to: [] },
  i: { from: [2n, 4n], to: [] },
  j: { from: [11n], to: [12n] },
  k: { from: [5n], to: [P32 + 5n] },
};
const ID: Record<string, bigint> = Object.fromEntries(
  Object.entries(TWIN_WORD_EDGES).map(([k, e]) => [k, edgeId(e)]),
);
const hi = (v: bigint) => v >> 32n;
const lo = (v: bigint) => v & 0xffffffffn;
if (hi(ID["d"]!) !== hi(ID["e"]!) || lo(ID["d"]!) >= lo(ID["e"]!))
  throw new Error("vectors: edges d and e must share their high word, d below e");
if (hi(ID["h"]!) >= hi(ID["i"]!) || lo(ID["h"]!) <= lo(ID["i"]!))
  throw new Error("vectors: edge h must be below i in its high word and above it in its low word");

const WIDE = 100_000n;

/** Valid segments (each gets its decode and query checks). */
export function adequacySegmentInputs(): ValidInput[] {
  const none = { artifacts: [], edges: [], nodes: [], snapshots: [] };
  return [
    {
      name: "low-word-twins",
      rules: [
        "ATXI-LAY-001",
        "ATXI-ASL-001",
        "ATXI-ASL-007",
        "ATXI-INV-001",
        "ATXI-NPR-003",
        "ATXI-NPR-005",
        "ATXI-FLT-002",
        "ATXI-VIS-003",
      ],
      flags: ["LowWordTwins", "NodeProjections", "BloomFilter"],
      comment:
        "artifact ids 5, 2^32+5 and 2^33+5 and node ids 5 and 2^32+5 (one low word each), a bloom filter on the artifact ids: lookups, incidence and the record and ref order must compare both words",
      input: {
        segmentId: 0xad01n,
        logseqMin: 1n,
        logseqMax: 20n,
        aslRecords: [put(2n, 5n, 1), put(1n, P32 + 5n), put(3n, 2n * P32 + 5n, 7)],
        tgkRecords: [rec(4n, ID["a"]!, 1), rec(5n, ID["b"]!, 2)],
        edges: [TWIN_WORD_EDGES["a"]!, TWIN_WORD_EDGES["b"]!],
        filters: [{ build: "bloom", domain: 1 }],
      },
      probe: {
        artifacts: [5n, P32 + 5n, 2n * P32 + 5n, 4n * P32 + 5n],
        edges: [ID["a"]!, ID["b"]!],
        nodes: [5n, P32 + 5n, 7n, 8n],
        snapshots: [1n, 2n, 3n, 20n],
      },
    },
    {
      name: "node-refs-word-order",
      rules: [
        "ATXI-LAY-001",
        "ATXI-TGK-006",
        "ATXI-NPR-001",
        "ATXI-NPR-002",
        "ATXI-NPR-003",
        "ATXI-NPR-005",
        "ATXI-INV-002",
        "ATXI-VIS-005",
      ],
      flags: ["LowWordTwins", "NodeProjections", "NodeInBothLists", "WideLogseqRange"],
      comment:
        "node-edge refs that tie on every sort key but one: position (a node in both lists), edge ids with one high word, edge ids ordered one way by their high word and the other by their low word, and one edge at logseqs 5 and 2^32+3; the logseq range spans 2^33",
      input: {
        segmentId: 0xad02n,
        logseqMin: 1n,
        logseqMax: 2n * P32,
        aslRecords: [put(1n, 77n)],
        tgkRecords: [
          rec(2n, ID["c"]!, 3),
          rec(6n, ID["d"]!, 1),
          rec(4n, ID["e"]!, 1),
          rec(5n, ID["f"]!, 1),
          rec(P32 + 3n, ID["f"]!, 1),
          rec(7n, ID["g"]!, 1),
          rec(8n, ID["h"]!, 1),
          rec(9n, ID["i"]!, 1),
        ],
        edges: Object.values(TWIN_WORD_EDGES),
      },
      probe: {
        artifacts: [77n],
        edges: [ID["f"]!, ID["d"]!],
        nodes: [1n, 2n, 3n, 9n],
        snapshots: [5n, 6n, P32 + 2n, P32 + 3n],
      },
    },
    {
      name: "one-edge-two-versions",
      rules: ["ATXI-LAY-001", "ATXI-TGK-006", "ATXI-NPR-002", "ATXI-NPR-003", "ATXI-VIS-002"],
      flags: ["NodeProjections", "SeveralVersions"],
      comment:
        "edge j (node 11 to node 12) at logseqs 3 and 7 of one segment: its node-edge refs tie on node, position and edge id and are ordered by the low word of their logseq alone",
      input: {
        segmentId: 0xad0an,
        logseqMin: 1n,
        logseqMax: 9n,
        tgkRecords: [rec(7n, ID["j"]!, 2, 5), rec(3n, ID["j"]!, 1)],
        edges: [TWIN_WORD_EDGES["j"]!],
      },
      probe: { artifacts: [], edges: [ID["j"]!], nodes: [11n, 12n], snapshots: [2n, 3n, 6n, 7n] },
    },
    {
      name: "adjacent-node-low-word-twins",
      rules: ["ATXI-LAY-001", "ATXI-NPR-003", "ATXI-NPR-005", "ATXI-VIS-003"],
      flags: ["LowWordTwins", "NodeProjections"],
      comment:
        "edge k from node 5 to node 2^32+5 (one low word), the segment's only edge: the refs of the two nodes are next to each other, so incidence on node 5 with role to must stop at the first ref of node 2^32+5",
      input: {
        segmentId: 0xad0bn,
        logseqMin: 1n,
        logseqMax: 4n,
        tgkRecords: [rec(2n, ID["k"]!, 1)],
        edges: [TWIN_WORD_EDGES["k"]!],
      },
      probe: { artifacts: [], edges: [ID["k"]!], nodes: [5n, P32 + 5n], snapshots: [1n, 2n] },
    },
    {
      name: "two-unknown-blocks-no-projections",
      rules: ["ATXI-ACC-001", "ATXI-NPR-004", "ATXI-INV-006"],
      flags: ["UnknownBlock"],
      comment:
        "two acceleration blocks of unknown types and no node-edge-ref block (header flag clear): node_refs is null and both blocks are listed",
      input: {
        segmentId: 0xad03n,
        logseqMin: 1n,
        logseqMax: 4n,
        aslRecords: [put(1n, 1n)],
        accelBlocks: [
          { kind: "unknown", blockType: 9, version: 1, flags: 0, payload: Uint8Array.of(1, 2, 3) },
          { kind: "unknown", blockType: 2, version: 3, flags: 0, payload: new Uint8Array(0) },
        ],
      },
      probe: none,
    },
    {
      name: "two-records-wide-range",
      rules: ["ATXI-LAY-001", "ATXI-VIS-005", "ATXI-HDR-004"],
      flags: ["WideLogseqRange"],
      comment: "one ASL and one TGK record in a logseq range of 5000 (the base of a two-record duplicate)",
      input: {
        segmentId: 0xad04n,
        logseqMin: 1n,
        logseqMax: 5000n,
        aslRecords: [put(10n, 1n)],
        tgkRecords: [rec(20n, 77n, 0)],
      },
      probe: none,
    },
    {
      name: "high-logseq-min",
      rules: ["ATXI-LAY-001", "ATXI-VIS-005", "ATXI-HDR-004"],
      flags: [],
      comment: "logseqs 1000 to 1010: the base of a duplicate logseq far above 0 in a narrow range",
      input: {
        segmentId: 0xad05n,
        logseqMin: 1000n,
        logseqMax: 1010n,
        aslRecords: [put(1001n, 1n), put(1003n, 2n)],
        tgkRecords: [rec(1005n, 77n, 0)],
      },
      probe: none,
    },
    {
      name: "two-and-two-wide-range",
      rules: ["ATXI-LAY-001", "ATXI-VIS-005", "ATXI-HDR-004"],
      flags: ["WideLogseqRange"],
      comment: "two ASL and two TGK records in a logseq range of 100000",
      input: {
        segmentId: 0xad06n,
        logseqMin: 1n,
        logseqMax: WIDE,
        aslRecords: [put(10n, 1n), put(20n, 2n)],
        tgkRecords: [rec(30n, 77n, 0), rec(40n, 88n, 0)],
      },
      probe: none,
    },
    {
      name: "tgk-only-wide-range",
      rules: ["ATXI-LAY-001", "ATXI-VIS-005", "ATXI-HDR-004"],
      flags: ["WideLogseqRange"],
      comment: "TGK records only, at logseqs 5 and 50000 of a range of 100000",
      input: {
        segmentId: 0xad07n,
        logseqMin: 1n,
        logseqMax: WIDE,
        tgkRecords: [rec(5n, 77n, 0), rec(50_000n, 88n, 2, 4)],
      },
      probe: { artifacts: [], edges: [77n, 88n], nodes: [], snapshots: [5n, WIDE] },
    },
    {
      name: "asl-only-wide-range",
      rules: ["ATXI-LAY-001", "ATXI-VIS-005", "ATXI-HDR-004"],
      flags: ["WideLogseqRange"],
      comment: "ASL records only, at logseqs 5 and 50000 of a range of 100000",
      input: {
        segmentId: 0xad08n,
        logseqMin: 1n,
        logseqMax: WIDE,
        aslRecords: [put(5n, 1n), put(50_000n, 2n, 3)],
      },
      probe: { artifacts: [1n, 2n], edges: [], nodes: [], snapshots: [5n, WIDE] },
    },
    {
      name: "node-filter-without-projections",
      rules: ["ATXI-FLT-010", "ATXI-FLT-002", "ATXI-FLT-007"],
      flags: ["BloomFilter", "EmptyKeyFilter"],
      comment: "a bloom filter on node_id in a segment without node projections: it holds no key",
      input: {
        segmentId: 0xad09n,
        logseqMin: 1n,
        logseqMax: 3n,
        aslRecords: [put(1n, 1n)],
        filters: [{ build: "bloom", domain: 3 }],
      },
      probe: { artifacts: [1n], edges: [], nodes: [], snapshots: [1n] },
    },
    {
      name: "sixteen-artifacts-bloom",
      rules: ["ATXI-LAY-001", "ATXI-ASL-001", "ATXI-FLT-002", "ATXI-FLT-007"],
      flags: ["BloomFilter"],
      comment:
        "sixteen artifacts and a bloom filter on their ids: the base of bloom-misses-sixteenth-artifact",
      input: {
        segmentId: 0xad0an,
        logseqMin: 1n,
        logseqMax: 16n,
        aslRecords: Array.from({ length: 16 }, (_, i) => put(BigInt(i + 1), BigInt(0x100 + i))),
        filters: [{ build: "bloom", domain: 1 }],
      },
      probe: { artifacts: [0x100n, 0x10fn], edges: [], nodes: [], snapshots: [16n] },
    },
  ];
}

/**
 * The check of reader_check_order (spec/errors.yaml) each malformed case below is written for: the
 * sub-check its one defect breaks (test/authoring/boundary-cases.test.ts holds every case to it).
 */
const TARGETS: Record<string, CheckRef> = {
  "asl-order-ids-one-low-word": at("asl-records", 6),
  "asl-order-violation-at-logseq-max": at("asl-records", 6),
  "bloom-misses-id-one-low-word": at("filter-completeness"),
  "bloom-misses-sixteenth-artifact": at("filter-completeness"),
  "tgk-tombstone-logseq-above-max": at("tgk-records", 6),
  // refs out of (node_id, position, tgk_edge_id, logseq) order
  "node-ref-node-high-word-descending": at("node-refs", 3),
  "node-ref-position-descending": at("node-refs", 3),
  "node-ref-edge-low-word-descending": at("node-refs", 3),
  "node-ref-logseq-high-word-descending": at("node-refs", 3),
  "node-ref-logseq-low-word-descending": at("node-refs", 3),
  // a ref naming a (tgk_edge_id, logseq) that no TGK record of the segment has
  "node-ref-logseq-matches-low-word-only": at("node-refs", 4),
  "duplicate-logseq-two-records": at("logseq-unique"),
  "duplicate-logseq-high-min": at("logseq-unique"),
  "duplicate-logseq-first-tgk-repeats-second-asl": at("logseq-unique"),
  "duplicate-logseq-second-tgk-repeats-first-asl": at("logseq-unique"),
};

/** Malformed segments, derived from the valid ones by name. */
export function adequacySegmentDrafts(valid: ReadonlyMap<string, Uint8Array>): InvalidDraft[] {
  const out: InvalidDraft[] = [];
  const add = (
    base: string,
    name: string,
    code: InvalidDraft["code"],
    flags: string[],
    comment: string,
    edits: (b: Uint8Array) => Edit[],
  ) => {
    const b = valid.get(base);
    if (b === undefined) throw new Error(`vectors: no valid segment named ${base}`);
    const target = TARGETS[name];
    if (target === undefined)
      throw new Error(`vectors: ${name} names no check of reader_check_order (TARGETS)`);
    out.push({ name, base, code, flags, comment, target, ...applyEdits(b, edits(b), true) });
  };
  /** Edits that swap two 24- or 32-byte structures at offsets x < y. */
  const swap = (b: Uint8Array, x: number, y: number, n: number): Edit[] => [
    { offset: x, after: b.slice(y, y + n) },
    { offset: y, after: b.slice(x, x + n) },
  ];
  const dec = (name: string) => decodeSegment(valid.get(name)!);

  // low-word-twins: artifact ids 5, 2^32+5, 2^33+5; refs of nodes 5, 7, 8, 2^32+5.
  const tw = dec("low-word-twins");
  add(
    "low-word-twins",
    "asl-order-ids-one-low-word",
    "SEG_RECORD_ORDER",
    ["RecordOrder", "LowWordTwins"],
    "the records of artifacts 5 and 2^32+5 swapped, their logseqs then increasing: the ids descend in their high word only",
    (b) => swap(b, tw.asl.offsetOf(0), tw.asl.offsetOf(1), 24),
  );
  {
    const f = tw.filters[0] as BloomFilter;
    const fr = tw.filterFrames[0]!;
    const keep = new Set([5n, 2n * P32 + 5n].flatMap((k) => bloomProbePositions(f, k)));
    const bit = bloomProbePositions(f, P32 + 5n).find((p) => !keep.has(p));
    if (bit === undefined) throw new Error("vectors: every bit of 2^32+5 is shared");
    add(
      "low-word-twins",
      "bloom-misses-id-one-low-word",
      "SEG_FILTER_FALSE_NEGATIVE",
      ["FalseNegative", "LowWordTwins"],
      "a bit only artifact 2^32+5 probes is cleared; the artifact before it, 5, has the same low word",
      (b) => {
        const at = fr.payloadOffset + 16 + (bit >>> 3);
        return [u8(at, b[at]! & ~(1 << (bit & 7)))];
      },
    );
  }
  {
    const refs = tw.nodeRefs!;
    const last = refs.count - 1;
    if (refs.nodeId(last) !== P32 + 5n || refs.nodeId(last - 1) !== 8n)
      throw new Error("vectors: low-word-twins refs are not as expected");
    add(
      "low-word-twins",
      "node-ref-node-high-word-descending",
      "SEG_BAD_NODE_REF",
      ["NodeProjections", "LowWordTwins"],
      "the refs of node 8 and node 2^32+5 swapped: the node ids descend in their high word",
      (b) => swap(b, refs.offsetOf(last - 1), refs.offsetOf(last), 32),
    );
  }

  // node-refs-word-order: refs that tie on all sort keys but one.
  {
    const nw = dec("node-refs-word-order");
    const refs = nw.nodeRefs!;
    const find = (node: bigint, edge: string, logseq: bigint, position = 1) => {
      for (let i = 0; i < refs.count; i++) {
        const r = refs.ref(i);
        if (r.nodeId === node && r.tgkEdgeId === ID[edge] && r.logseq === logseq && r.position === position)
          return i;
      }
      throw new Error(`vectors: no ref (${node}, ${edge}, ${logseq})`);
    };
    const adjacent = (i: number, j: number) => {
      if (j !== i + 1) throw new Error("vectors: the refs to swap are not adjacent");
      return [i, j] as const;
    };
    const swapRefs = (name: string, comment: string, pair: readonly [number, number]) =>
      add(
        "node-refs-word-order",
        name,
        "SEG_BAD_NODE_REF",
        ["NodeProjections", "LowWordTwins"],
        comment,
        (b) => swap(b, refs.offsetOf(pair[0]), refs.offsetOf(pair[1]), 32),
      );
    swapRefs(
      "node-ref-position-descending",
      "node 9's refs as to (2) then from (1): same node, edge and logseq",
      adjacent(find(9n, "c", 2n, 1), find(9n, "c", 2n, 2)),
    );
    swapRefs(
      "node-ref-edge-low-word-descending",
      "node 1's refs to two edges whose ids share the high word, swapped: the edge ids descend in their low word while the logseqs ascend",
      adjacent(find(1n, "d", 6n), find(1n, "e", 4n)),
    );
    swapRefs(
      "node-ref-logseq-high-word-descending",
      "node 3's two refs to one edge, at logseqs 5 and 2^32+3, swapped: the logseqs descend in their high word and ascend in their low word",
      adjacent(find(3n, "f", 5n), find(3n, "f", P32 + 3n)),
    );
    const g = find(6n, "g", 7n);
    add(
      "node-refs-word-order",
      "node-ref-logseq-matches-low-word-only",
      "SEG_BAD_NODE_REF",
      ["NodeProjections", "LowWordTwins"],
      "a ref's logseq 7 made 2^32+7: its edge has a TGK record at 7 only, whose logseq shares the low word",
      () => [u64(refs.offsetOf(g) + NR.logseq, P32 + 7n)],
    );
  }

  // one-edge-two-versions: node 11's refs to edge j at logseqs 3 and 7, swapped (ATXI-NPR-003).
  {
    const tv = dec("one-edge-two-versions");
    const refs = tv.nodeRefs!;
    if (refs.count !== 4 || refs.nodeId(0) !== 11n || refs.logseq(0) !== 3n || refs.logseq(1) !== 7n)
      throw new Error("vectors: one-edge-two-versions refs are not as expected");
    add(
      "one-edge-two-versions",
      "node-ref-logseq-low-word-descending",
      "SEG_BAD_NODE_REF",
      ["NodeProjections", "SeveralVersions"],
      "node 11's refs to edge j at logseqs 3 and 7 swapped: same node, position and edge, the logseqs descend in their low word",
      (b) => swap(b, refs.offsetOf(0), refs.offsetOf(1), 32),
    );
  }

  // full: a record failing a later check while it sits at the limit of an earlier one.
  {
    const full = dec("full");
    const tomb = [...Array(full.tgk.count).keys()].find((i) => full.tgk.tombstone(i))!;
    add(
      "full",
      "tgk-tombstone-logseq-above-max",
      "SEG_LOGSEQ_RANGE",
      ["LogseqRange", "Tombstone"],
      "a valid TGK tombstone (role 0, no edge type) whose logseq is 101, above logseq_max 100",
      () => [u64(full.tgk.offsetOf(tomb) + TR.logseq, 101n)],
    );
    add(
      "full",
      "asl-order-violation-at-logseq-max",
      "SEG_RECORD_ORDER",
      ["RecordOrder", "OffByOne"],
      "the second ASL record made (artifact 20, logseq 100): its logseq is logseq_max (in range), its id below the first record's",
      () => [u64(full.asl.offsetOf(1) + AR.artifactId, 20n), u64(full.asl.offsetOf(1) + AR.logseq, 100n)],
    );
  }

  // Duplicate logseqs.
  {
    const two = dec("two-records-wide-range");
    add(
      "two-records-wide-range",
      "duplicate-logseq-two-records",
      "SEG_DUPLICATE_LOGSEQ",
      ["DuplicateLogseq", "WideLogseqRange"],
      "the segment's only two records (one ASL, one TGK) share logseq 10, in a range of 5000",
      () => [u64(two.tgk.offsetOf(0) + TR.logseq, 10n)],
    );
    const high = dec("high-logseq-min");
    add(
      "high-logseq-min",
      "duplicate-logseq-high-min",
      "SEG_DUPLICATE_LOGSEQ",
      ["DuplicateLogseq"],
      "two ASL records share logseq 1001 in the range [1000, 1010]",
      () => [u64(high.asl.offsetOf(1) + AR.logseq, 1001n)],
    );
    const tt = dec("two-and-two-wide-range");
    add(
      "two-and-two-wide-range",
      "duplicate-logseq-first-tgk-repeats-second-asl",
      "SEG_DUPLICATE_LOGSEQ",
      ["DuplicateLogseq", "WideLogseqRange"],
      "TGK record 0 repeats the logseq 20 of ASL record 1, in a range of 100000",
      () => [u64(tt.tgk.offsetOf(0) + TR.logseq, 20n)],
    );
    add(
      "two-and-two-wide-range",
      "duplicate-logseq-second-tgk-repeats-first-asl",
      "SEG_DUPLICATE_LOGSEQ",
      ["DuplicateLogseq", "WideLogseqRange"],
      "TGK record 1 repeats the logseq 10 of ASL record 0 (TGK record 0 repeats none): TGK record 1 is reported",
      () => [u64(tt.tgk.offsetOf(1) + TR.logseq, 10n)],
    );
  }
  {
    // A false negative on the last of sixteen keys: the reader finds it after fifteen keys it holds, and
    // reports the filter (ATXI-FLT-002), wherever in the record area the missed key lies.
    const sx = dec("sixteen-artifacts-bloom");
    const f = sx.filters[0] as BloomFilter;
    const fr = sx.filterFrames[0]!;
    const keep = new Set(Array.from({ length: 15 }, (_, i) => bloomProbePositions(f, sx.asl.id(i))).flat());
    const bit = bloomProbePositions(f, sx.asl.id(15)).find((p) => !keep.has(p));
    if (bit === undefined) throw new Error("vectors: every bit of the sixteenth artifact is shared");
    add(
      "sixteen-artifacts-bloom",
      "bloom-misses-sixteenth-artifact",
      "SEG_FILTER_FALSE_NEGATIVE",
      ["FalseNegative"],
      "a bit only the sixteenth (last) artifact_id probes is cleared: the fifteen before it are held",
      (b) => {
        const at = fr.payloadOffset + 16 + (bit >>> 3);
        return [u8(at, b[at]! & ~(1 << (bit & 7)))];
      },
    );
  }
  return out;
}

/** Single requests of the segment operations. */
export async function adequacySegmentUnits(request: RequestUnit): Promise<void> {
  const asl = (logseq: string, artifact_id: string, type_tag: number | null = null, tombstone = false) => ({
    logseq,
    artifact_id,
    type_tag,
    tombstone,
  });
  const tgk = (
    logseq: string,
    tgk_edge_id: string,
    role: number,
    edge_type_key: number | null = null,
    tombstone = false,
  ) => ({ logseq, tgk_edge_id, edge_type_key, role, tombstone });
  const input = (over: Record<string, unknown>) => ({
    segment_id: "7",
    logseq_min: "1",
    logseq_max: "9",
    asl_records: [],
    tgk_records: [],
    edges: [],
    node_projections: false,
    filters: [],
    ...over,
  });
  const refuse = (name: string, over: Record<string, unknown>, rules: string[], code: string) =>
    request(
      `seg-encode/${name}`,
      "seg.encode",
      { input: input(over) },
      ["ATXI-ENC-001", ...rules],
      ["segment-encode"],
      code,
    );
  // DEC-035: every defect of the input is the reader's first error (DEC-027) for the segment it would write.
  await refuse("refuses-role-4", { tgk_records: [tgk("2", "77", 4)] }, ["ATXI-TGK-003"], "SEG_BAD_ROLE");
  await refuse(
    "refuses-asl-tombstone-with-type-tag",
    { asl_records: [asl("2", "5", 6, true)] },
    ["ATXI-ASL-005"],
    "SEG_TOMBSTONE_WITH_PAYLOAD",
  );
  await refuse(
    "refuses-tgk-tombstone-with-role",
    { tgk_records: [tgk("2", "77", 1, null, true)] },
    ["ATXI-TGK-005"],
    "SEG_TOMBSTONE_WITH_PAYLOAD",
  );
  await refuse(
    "refuses-logseq-above-max",
    { asl_records: [asl("10", "5")] },
    ["ATXI-HDR-004"],
    "SEG_LOGSEQ_RANGE",
  );
  await refuse("refuses-logseq-min-0", { logseq_min: "0" }, ["ATXI-HDR-004"], "SEG_LOGSEQ_RANGE");
  await refuse(
    "refuses-duplicate-logseq",
    { asl_records: [asl("3", "5")], tgk_records: [tgk("3", "77", 0)] },
    ["ATXI-VIS-005"],
    "SEG_DUPLICATE_LOGSEQ",
  );
  await refuse(
    "refuses-duplicate-key",
    { asl_records: [asl("3", "5", 1), asl("3", "5", 2)] },
    ["ATXI-ASL-007"],
    "SEG_RECORD_ORDER",
  );
  // The writer sorts records into DEC-004 order itself: records of one id given newest first.
  await request(
    "seg-encode/sorts-one-id-newest-first",
    "seg.encode",
    {
      input: input({
        asl_records: [asl("9", "5", 2), asl("3", "5", 1), asl("6", "4")],
        tgk_records: [tgk("8", "77", 1), tgk("2", "77", 2, 3), tgk("5", "76", 0)],
      }),
    },
    ["ATXI-ENC-001", "ATXI-INV-008", "ATXI-ASL-007", "ATXI-TGK-006"],
    ["segment-encode"],
  );
  // A node_id filter without node projections holds no key (DEC-035, section 9).
  await request(
    "seg-encode/node-filter-without-projections",
    "seg.encode",
    { input: input({ asl_records: [asl("1", "1")], filters: [{ kind: "bloom", domain: "node" }] }) },
    ["ATXI-ENC-001", "ATXI-FLT-010", "ATXI-FLT-004", "ATXI-FLT-007"],
    ["segment-encode", "filter-bloom"],
  );
}
