// Segment-set, filter, TGK and sharding cases written to kill machine-made mutants of reference/query,
// reference/filters and reference/tgk that the suite let live (adequacy/report.md).
import { fmix64 } from "../../../reference/filters/mix.ts";
import type { AslRecord, TgkRecord } from "../../../reference/segment/model.ts";
import { type Edge, edgeId } from "../../../reference/tgk/edge.ts";
import type { SetInput, ValidInput } from "../segments/valid.ts";
import { adequacySetQueryUnits } from "./query-sets.ts";
import type { RequestUnit } from "./types.ts";

const REC_RULES = ["ATXI-LAY-001", "ATXI-ASL-001", "ATXI-TGK-001", "ATXI-INV-006", "ATXI-INV-008"];
const NO_PROBE: ValidInput["probe"] = { artifacts: [], edges: [], nodes: [], snapshots: [] };

const put = (logseq: bigint, artifactId: bigint): AslRecord => ({ logseq, artifactId, tombstone: false });
const link = (logseq: bigint, tgkEdgeId: bigint): TgkRecord => ({
  logseq,
  tgkEdgeId,
  role: 1,
  tombstone: false,
});

/** A set member: a valid segment of its own (decode and encode checks), queried only with its set. */
function member(
  name: string,
  segmentId: bigint,
  lo: bigint,
  hi: bigint,
  rest: Partial<ValidInput["input"]>,
  flags: string[] = [],
): ValidInput {
  return {
    name,
    rules: REC_RULES,
    flags: ["SetMember", ...flags],
    comment: `a member of the set ${name.replace(/-[a-z]$/, "")}`,
    input: { segmentId, logseqMin: lo, logseqMax: hi, ...rest },
    probe: NO_PROBE,
  };
}

/**
 * Sets whose members' logseq ranges are placed so that only a reader that sorts the members by logseq_min,
 * keeps the widest range seen so far, counts touching ranges as overlapping and compares every logseq of
 * the overlapping members with every other finds the duplicate (ATXI-VIS-005, DEC-029: QRY_DUPLICATE_LOGSEQ).
 */
function duplicateLogseqSets(): SetInput[] {
  const dup = (
    name: string,
    comment: string,
    members: [string, bigint, bigint, bigint[]][],
    probe: bigint,
  ): SetInput => ({
    name,
    rules: ["ATXI-VIS-005"],
    flags: ["DuplicateLogseq"],
    comment,
    members: members.map(([m, lo, hi, logseqs], i) =>
      member(
        `${name}-${m}`,
        0x700n + BigInt(name.length * 8 + i),
        lo,
        hi,
        { aslRecords: logseqs.map((ls, k) => put(ls, 0x7000n + BigInt(i * 16 + k))) },
        ["DuplicateLogseq"],
      ),
    ),
    probe: { artifacts: [0x7000n], edges: [], nodes: [], snapshots: [probe] },
  });
  return [
    dup(
      "dup-logseq-given-unsorted",
      "given in the order a [1, 10], b [20, 30], c [5, 15]: a and c both use logseq 7; in the given order b's range hides that a and c overlap",
      [
        ["a", 1n, 10n, [7n]],
        ["b", 20n, 30n, [25n]],
        ["c", 5n, 15n, [7n]],
      ],
      7n,
    ),
    dup(
      "dup-logseq-touching-ranges",
      "a [1, 10] and b [10, 20] share only their bound 10, and both use logseq 10",
      [
        ["a", 1n, 10n, [10n]],
        ["b", 10n, 20n, [10n]],
      ],
      10n,
    ),
    dup(
      "dup-logseq-past-first-range",
      "a [1, 5] overlaps nothing; b [6, 20] and c [10, 30] overlap each other and both use logseq 15",
      [
        ["a", 1n, 5n, [2n]],
        ["b", 6n, 20n, [15n]],
        ["c", 10n, 30n, [15n]],
      ],
      15n,
    ),
    dup(
      "dup-logseq-not-first-or-last",
      "a [1, 10] uses 3 and 7, b [5, 15] uses 6 and 7: listed member by member, the two 7s are not next to each other",
      [
        ["a", 1n, 10n, [3n, 7n]],
        ["b", 5n, 15n, [6n, 7n]],
      ],
      7n,
    ),
  ];
}

/** Edges of the incidence sets: node 16 is the greatest node id of their refs. */
const EDGE_A: Edge = { from: [16n], to: [3n] };
const EDGE_X: Edge = { from: [1n], to: [2n] };
const EDGE_Y: Edge = { from: [1n], to: [5n, 16n] };
const [A, X, Y] = [edgeId(EDGE_A), edgeId(EDGE_X), edgeId(EDGE_Y)];

/** The 16 bytes of an unknown block payload: `id` (u64 LE), then a byte 1 (a from position), then zeros. */
function payloadNaming(id: bigint): Uint8Array {
  const out = new Uint8Array(16);
  new DataView(out.buffer).setBigUint64(0, id, true);
  out[8] = 1;
  return out;
}

function incidenceSets(): SetInput[] {
  return [
    {
      name: "incidence-older-segment-holds-newer-edge",
      rules: ["ATXI-NPR-005", "ATXI-VIS-002", "ATXI-VIS-003", "ATXI-VIS-001"],
      flags: ["OverlappingRanges", "NodeProjections", "SeveralVersions"],
      comment:
        "a [1, 30] holds edge Y at 25, b [5, 20] holds Y at 10 (the segment that starts first holds the newer record): from S = 25 the node-edge refs carrying 25 decide, before it those carrying 10",
      members: [
        member(
          "incidence-older-segment-holds-newer-edge-a",
          0x801n,
          1n,
          30n,
          { tgkRecords: [link(25n, Y), link(2n, A)], edges: [EDGE_Y, EDGE_A] },
          ["NodeProjections"],
        ),
        member(
          "incidence-older-segment-holds-newer-edge-b",
          0x802n,
          5n,
          20n,
          { tgkRecords: [link(10n, Y)], edges: [EDGE_Y] },
          ["NodeProjections"],
        ),
      ],
      probe: {
        artifacts: [],
        edges: [Y],
        nodes: [1n, 5n, 16n],
        snapshots: [9n, 10n, 24n, 25n, 30n],
      },
    },
    {
      name: "incidence-refs-then-unknown-block",
      rules: ["ATXI-NPR-005", "ATXI-NPR-001", "ATXI-ACC-001"],
      flags: ["NodeProjections", "UnknownBlock"],
      comment:
        "the refs of node 16 (the greatest node id) end the node-refs block, and an unknown block follows whose 32 bytes, read as one more ref, would name node 16, edge X (visible at 65538) and logseq 65538: X is not incident to 16",
      members: [
        member(
          "incidence-refs-then-unknown-block-a",
          0x811n,
          1n,
          70000n,
          {
            tgkRecords: [link(5n, A), link(65538n, X)],
            edges: [EDGE_A, EDGE_X],
            accelBlocks: [{ kind: "unknown", blockType: 2, version: 1, flags: 0, payload: payloadNaming(X) }],
          },
          ["NodeProjections", "UnknownBlock"],
        ),
      ],
      probe: { artifacts: [], edges: [X], nodes: [16n, 1n], snapshots: [65537n, 65538n, 70000n] },
    },
    {
      name: "no-projections-least-logseq-inside",
      rules: ["ATXI-NPR-005", "ATXI-VIS-001", "ATXI-VIS-002"],
      flags: ["NoProjections", "UnknownBlock"],
      comment:
        "a segment without projections whose TGK records (in tgk_edge_id order) have logseqs 70003, 70001, 70005, followed by an unknown block whose first 8 bytes read 65538: incidence fails exactly from S = 70001, the least of them",
      members: [
        member(
          "no-projections-least-logseq-inside-a",
          0x821n,
          1n,
          70010n,
          {
            aslRecords: [put(65000n, 0x21n)],
            tgkRecords: [link(70003n, 0x10n), link(70001n, 0x20n), link(70005n, 0x30n)],
            accelBlocks: [
              { kind: "unknown", blockType: 2, version: 1, flags: 0, payload: Uint8Array.of(1, 2, 3) },
            ],
          },
          ["NoProjections", "UnknownBlock"],
        ),
      ],
      probe: {
        artifacts: [0x21n],
        edges: [0x20n],
        nodes: [1n],
        snapshots: [65537n, 65538n, 70000n, 70001n, 70002n, 70003n, 70005n],
      },
    },
  ];
}

/** Segment sets (each member also gets its own segment checks), queried with the set's probe. */
export function adequacySets(): SetInput[] {
  return [...duplicateLogseqSets(), ...incidenceSets()];
}

const M32 = (1n << 32n) - 1n;
const M64 = (1n << 64n) - 1n;
const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");

/** An xor8 payload (DEC-010): seed, block_length, reserved 0, then the fingerprints. */
function xor8Payload(seed: bigint, blockLength: number, fingerprints: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + 3 * blockLength);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, seed, true);
  dv.setUint32(8, blockLength, true);
  out.set(fingerprints, 16);
  return out;
}

/** The DEC-010 hash of `key` under `seed`: fmix64(key + seed mod 2^64). */
const xor8Hash = (key: bigint, seed: bigint) => fmix64((key + seed) & M64);
/** The DEC-010 fingerprint: the low byte of (h xor h >> 32). */
const xor8Fingerprint = (h: bigint) => Number((h ^ (h >> 32n)) & 0xffn);

/** Single requests (filter.*, tgk.*, shard.assign, seg.query). */
export async function adequacyQueryUnits(request: RequestUnit): Promise<void> {
  // DEC-010: x + seed is a 64-bit sum. With block_length 1 every key probes fingerprints 0, 1 and 2, so a
  // key is possibly present exactly when its fingerprint is their xor. The keys' low words plus the seed's
  // low word come to 2^32 - 1 (no carry into the high word), 2^32 (a carry) and 2^32 - 2; the filter holds
  // the fingerprint of the first.
  const seed = 0x0123456789abcdefn;
  const sLo = seed & M32;
  const keys = [M32 - sLo, M32 + 1n - sLo, M32 - 1n - sLo].map((lo, i) => (BigInt(5 + i) << 32n) | lo);
  for (const [name, target] of [
    ["low-words-sum-to-2p32-minus-1", keys[0]!],
    ["low-words-sum-to-2p32", keys[1]!],
  ] as const) {
    const fp = xor8Fingerprint(xor8Hash(target, seed));
    await request(
      `filter-probe/xor8/${name}`,
      "filter.probe",
      {
        kind: "xor8",
        payload: b64(xor8Payload(seed, 1, Uint8Array.of(fp ^ 0x3c, 0x3c, 0))),
        keys: keys.map(String),
      },
      ["ATXI-FLT-008"],
      ["filter-xor"],
    );
  }
  // DEC-010: the writer takes the first seed of splitmix64(0) whose peeling succeeds. For these key sets the
  // first seed does not peel (two or three keys sharing their fingerprint slots), so the second one is used.
  for (const [name, set] of [
    ["2-keys-first-seed-fails", ["3504494676894074762", "211455157519388907"]],
    ["3-keys-first-seed-fails", ["17245220201833495004", "9198881339804991862", "14461229260763551327"]],
  ] as const) {
    await request(
      `filter-build/xor8/${name}`,
      "filter.build",
      { kind: "xor8", keys: [...set] },
      ["ATXI-FLT-008", "ATXI-FLT-004"],
      ["filter-xor"],
    );
  }

  // DEC-035: with node_projections, a live TGK record whose edge is not among `edges` is refused.
  await request(
    "seg-encode/live-record-without-its-edge",
    "seg.encode",
    {
      input: {
        segment_id: "1",
        logseq_min: "1",
        logseq_max: "2",
        asl_records: [],
        tgk_records: [
          {
            logseq: "1",
            tgk_edge_id: edgeId(EDGE_A).toString(),
            edge_type_key: null,
            role: 1,
            tombstone: false,
          },
          { logseq: "2", tgk_edge_id: "9", edge_type_key: null, role: 1, tombstone: false },
        ],
        edges: [{ edge_type: null, from: ["16"], to: ["3"] }],
        node_projections: true,
        filters: [],
      },
    },
    ["ATXI-NPR-002", "ATXI-ENC-001"],
    ["segment-encode", "node-projections"],
    "TGK_INVALID_EDGE",
  );

  await adequacySetQueryUnits(request);
}
