// seg.query requests written to kill machine-made mutants of reference/query/segment-set.ts and of the
// segment tables it reads (reference/segment) that the suite let live (adequacy/report.md). Each is one
// unit vector: the segments travel in the request, the reference's answers are the expectation.
//
// - large-members-*: an implementation may answer from a per-segment search for some segments and from
//   an index merged across segments for others (the reference merges segments of at most 1024 records and
//   refs); answers must not depend on it (DEC-029). Members of 1030 records or more make sure both ways
//   are taken: given out of logseq order, with a small member holding older and newer records of the same
//   keys, filters of another domain and an unknown filter before a key's own filter (DEC-029: only the
//   first known filter of the key's domain may skip a segment), members without filters, a record at
//   exactly logseq_min, and an ASL-only member without projections taking part in incidence.
// - incidence-*: DEC-029's incidence over small members: edges whose tgk_edge_id share their low 32 bits,
//   a winning record whose segment holds no ref of the node (ATXI-NPR-002: a reader does not check that
//   refs are complete), members without projections given out of logseq_min order.

import { encodeSegment, type SegmentInput } from "../../../reference/segment/encode.ts";
import type { AslRecord, TgkRecord } from "../../../reference/segment/model.ts";
import { type Edge, edgeId, edgeNodeRefs } from "../../../reference/tgk/edge.ts";
import { del, put } from "../segments/valid.ts";
import type { RequestUnit } from "./types.ts";

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
const link = (logseq: bigint, tgkEdgeId: bigint, role: TgkRecord["role"] = 1): TgkRecord => ({
  logseq,
  tgkEdgeId,
  role,
  tombstone: false,
});
const cut = (logseq: bigint, tgkEdgeId: bigint): TgkRecord => ({
  logseq,
  tgkEdgeId,
  role: 0,
  tombstone: true,
});

/** Members of this many ASL records are past the reference's merge limit (1024 records and refs). */
const LARGE = 1030;

/** `LARGE` puts of artifacts base, base + 1, ... at logseqs first, first + 1, ... */
function filler(base: bigint, first: bigint): AslRecord[] {
  return Array.from({ length: LARGE }, (_, i) => put(first + BigInt(i), base + BigInt(i)));
}

type Query =
  | { kind: "artifact"; at: string; artifact_id: string }
  | { kind: "edge"; at: string; tgk_edge_id: string }
  | { kind: "incident"; at: string; node_id: string; role: "from" | "to" | "any" };

const artifactQ = (keys: bigint[], at: bigint[]): Query[] =>
  keys.flatMap((k) => at.map((s) => ({ kind: "artifact" as const, at: `${s}`, artifact_id: `${k}` })));
const edgeQ = (keys: bigint[], at: bigint[]): Query[] =>
  keys.flatMap((k) => at.map((s) => ({ kind: "edge" as const, at: `${s}`, tgk_edge_id: `${k}` })));
const incidentQ = (nodes: bigint[], at: bigint[]): Query[] =>
  nodes.flatMap((n) =>
    at.flatMap((s) =>
      (["from", "to", "any"] as const).map((role) => ({
        kind: "incident" as const,
        at: `${s}`,
        node_id: `${n}`,
        role,
      })),
    ),
  );

async function query(
  request: RequestUnit,
  id: string,
  members: SegmentInput[],
  queries: Query[],
  rules: string[],
  capabilities: Parameters<RequestUnit>[4],
): Promise<void> {
  await request(
    `seg-query/${id}`,
    "seg.query",
    { segments: members.map((m) => b64(encodeSegment(m))), use_filters: true, queries },
    rules,
    capabilities,
  );
}

/**
 * Artifact and edge lookups over three large members given in the order A [1, 5000], B [1970, 3000],
 * C [6000, 9000] (newest last), and a small one [100, 5500]. Key X: put at 1100 (small), at 4000 (A, the
 * first record of A), tombstoned at 8000 (C): a reader that stops at the first member whose logseq_max is
 * below the best logseq found must walk the members newest first. Key V: put at 1200 (small) and at 7500
 * (C). Key K: put at 3500 (small) and at 4500 (A): B, whose logseq_max 3000 is below 3500 but whose
 * logseq_min is above A's, must not stop the walk before A. Key Q: put at 1500 (A) and 3600 (small): A,
 * searched since its logseq_max is above 3600, holds only the older record. A's filters are an unknown filter, an xor8 of
 * TGK edge ids, then a bloom of artifact ids; B has no filter; B's first record sits at its logseq_min.
 * Absent keys include one that shares its low word with B's last record.
 */
async function largeMembersLookup(request: RequestUnit): Promise<void> {
  const X = 0x77n;
  const V = 0x79n;
  const K = 0x7bn;
  const Q = 0x7dn;
  const [A0, B0, C0] = [0x1a0000n, 0x1b0000n, 0x1c0000n];
  // TWIN shares its low word with A's filler 514, the record a binary search of A's 1033 records meets
  // first (X and K sort before the fillers, TWIN after them): telling the two apart takes both words.
  const TWIN = (1n << 32n) | (A0 + 514n);
  const A: SegmentInput = {
    segmentId: 0xa1n,
    logseqMin: 1n,
    logseqMax: 5000n,
    aslRecords: [...filler(A0, 10n), put(4000n, X, 1), put(4500n, K, 4), put(5n, TWIN), put(1500n, Q, 6)],
    tgkRecords: [link(4200n, 0x5000n), link(4201n, 0x5001n), link(4202n, 0x5002n)],
    filters: [
      { kind: "unknown", filterType: 3, version: 1, flags: 0, payload: Uint8Array.of(1, 2, 3, 4, 5) },
      { build: "xor8", domain: 2 },
      { build: "bloom", domain: 1 },
    ],
  };
  const B: SegmentInput = {
    segmentId: 0xb2n,
    logseqMin: 1970n,
    logseqMax: 3000n,
    aslRecords: filler(B0, 1970n),
  };
  const C: SegmentInput = {
    segmentId: 0xc3n,
    logseqMin: 6000n,
    logseqMax: 9000n,
    aslRecords: [...filler(C0, 6001n), del(8000n, X), put(7500n, V, 2)],
    tgkRecords: [cut(8100n, 0x5001n)],
    filters: [
      { build: "bloom", domain: 1 },
      { build: "bloom", domain: 2 },
    ],
  };
  const small: SegmentInput = {
    segmentId: 0x51n,
    logseqMin: 100n,
    logseqMax: 5500n,
    aslRecords: [put(1100n, X, 3), put(1200n, V, 1), put(3500n, K, 5), put(3600n, Q, 7)],
    tgkRecords: [link(5400n, 0x5002n, 2)],
  };
  const last = BigInt(LARGE - 1);
  await query(
    request,
    "large-members-lookup",
    [A, B, C, small],
    [
      ...artifactQ([X], [1099n, 1100n, 3999n, 4000n, 4500n, 5999n, 7999n, 8000n, 9000n]),
      ...artifactQ([K], [3499n, 3500n, 4499n, 4500n, 9000n]),
      ...artifactQ([Q], [1499n, 1500n, 3599n, 3600n, 9000n]),
      ...artifactQ([V], [1199n, 1200n, 7499n, 7500n, 9000n]),
      ...artifactQ([A0, A0 + last], [9n, 10n, 1039n, 9000n]),
      ...artifactQ([B0, B0 + last], [1969n, 1970n, 2999n, 9000n]),
      ...artifactQ([C0, C0 + last], [6000n, 6001n, 7030n, 9000n]),
      ...artifactQ([TWIN], [4n, 5n, 523n, 9000n]),
      ...artifactQ([A0 + 514n], [523n, 524n, 9000n]),
      ...artifactQ([0x1d0000n, (1n << 32n) | (B0 + last)], [9000n]),
      ...edgeQ([0x5000n, 0x5001n, 0x5002n], [4199n, 4200n, 4201n, 4202n, 5400n, 8099n, 8100n, 9000n]),
    ],
    ["ATXI-VIS-001", "ATXI-VIS-002", "ATXI-VIS-003", "ATXI-FLT-003"],
    ["segment-query", "filter-bloom", "filter-xor"],
  );
}

/**
 * Incidence over large members: R [20000, 30000] (node filter) holds E1, E2, E3; P [30000, 40000] (no
 * filter) holds E1 again at its logseq_min 30000, cuts E2 and adds E4; Q is ASL-only, without projections,
 * and takes part at every S; a small member holds E1 at 200 and E5 at 300. Node 1 is `from` in E1, E2, E4,
 * E5 and `to` in E3; node 2 follows it in every member. In R, the refs of node 2^32 + 4 (E6, `to`) follow
 * those of node 4 (E3 and E6, `from`): the two ids share their low word.
 */
async function largeMembersIncidence(request: RequestUnit): Promise<void> {
  const E1: Edge = { from: [1n], to: [2n] };
  const E2: Edge = { from: [1n], to: [3n] };
  const E3: Edge = { from: [4n], to: [1n] };
  const E4: Edge = { from: [1n, 2n], to: [5n] };
  const E5: Edge = { from: [1n], to: [7n] };
  const FAR4 = (1n << 32n) + 4n;
  const E6: Edge = { from: [4n], to: [FAR4] };
  const [e1, e2, e3] = [edgeId(E1), edgeId(E2), edgeId(E3)];
  const [e4, e5, e6] = [edgeId(E4), edgeId(E5), edgeId(E6)];
  const R: SegmentInput = {
    segmentId: 0x2an,
    logseqMin: 20000n,
    logseqMax: 30000n,
    aslRecords: filler(0x2a0000n, 20001n),
    tgkRecords: [link(25000n, e1), link(25001n, e2), link(25002n, e3, 2), link(25003n, e6)],
    edges: [E1, E2, E3, E6],
    filters: [{ build: "xor8", domain: 3 }],
  };
  const P: SegmentInput = {
    segmentId: 0x2bn,
    logseqMin: 30000n,
    logseqMax: 40000n,
    aslRecords: filler(0x2b0000n, 31001n),
    tgkRecords: [link(30000n, e1), cut(35000n, e2), link(35001n, e4)],
    edges: [E1, E4],
  };
  const Q: SegmentInput = {
    segmentId: 0x2cn,
    logseqMin: 1n,
    logseqMax: 50000n,
    aslRecords: filler(0x2c0000n, 41001n),
  };
  const small: SegmentInput = {
    segmentId: 0x2dn,
    logseqMin: 100n,
    logseqMax: 50000n,
    tgkRecords: [link(200n, e1), link(300n, e5)],
    edges: [E1, E5],
  };
  await query(
    request,
    "large-members-incidence",
    [Q, P, R, small],
    [
      ...incidentQ(
        [1n],
        [199n, 200n, 300n, 24999n, 25000n, 25001n, 25002n, 29999n, 30000n, 34999n, 35000n, 35001n, 50000n],
      ),
      ...incidentQ([2n, 3n, 4n, 5n, 6n, FAR4], [25002n, 25003n, 30000n, 35001n]),
      ...edgeQ([e1, e2], [29999n, 30000n, 35000n]),
    ],
    ["ATXI-NPR-005", "ATXI-VIS-001", "ATXI-VIS-002", "ATXI-VIS-003"],
    ["segment-query", "node-projections", "filter-xor"],
  );
}

/** The 16 bytes of an unknown block payload: `id` (u64 LE), then a byte 1 (a from position), then zeros. */
function payloadNaming(id: bigint): Uint8Array {
  const out = new Uint8Array(16);
  new DataView(out.buffer).setBigUint64(0, id, true);
  out[8] = 1;
  return out;
}

/**
 * A large member whose node-refs block ends with the refs of node 16 (its greatest node id) and is followed
 * by an unknown block whose 32 bytes, read as one more ref, would name node 16, edge X (visible at 65538)
 * and logseq 65538: X is not incident to 16 (the set vector incidence-refs-then-unknown-block, with the
 * records of a large member).
 */
async function largeMemberRefsThenUnknownBlock(request: RequestUnit): Promise<void> {
  const EA: Edge = { from: [16n], to: [3n] };
  const EX: Edge = { from: [1n], to: [2n] };
  const [a, x] = [edgeId(EA), edgeId(EX)];
  await query(
    request,
    "large-member-refs-then-unknown-block",
    [
      {
        segmentId: 0x911n,
        logseqMin: 1n,
        logseqMax: 70000n,
        aslRecords: filler(0x910000n, 100n),
        tgkRecords: [link(5n, a), link(65538n, x)],
        edges: [EA, EX],
        accelBlocks: [{ kind: "unknown", blockType: 2, version: 1, flags: 0, payload: payloadNaming(x) }],
      },
    ],
    incidentQ([16n, 1n, 3n], [65537n, 65538n, 70000n]),
    ["ATXI-NPR-005", "ATXI-NPR-001", "ATXI-ACC-001"],
    ["segment-query", "node-projections"],
  );
}

/**
 * Node 1 is `from` in two edges whose tgk_edge_ids differ in their high 32 bits only (0x2ffc628a3fafb2c7
 * and 0x536e8bb83fafb2c7): both are incident, each once.
 */
async function incidenceLowWordTwins(request: RequestUnit): Promise<void> {
  const T1: Edge = { from: [1n], to: [69490n] };
  const T2: Edge = { from: [1n], to: [97542n] };
  const [t1, t2] = [edgeId(T1), edgeId(T2)];
  if ((t1 & 0xffffffffn) !== (t2 & 0xffffffffn) || t1 === t2)
    throw new Error("query-sets: the twin edges no longer share their low 32 bits");
  await query(
    request,
    "incidence-edge-id-low-word-twins",
    [
      {
        segmentId: 0x921n,
        logseqMin: 1n,
        logseqMax: 10n,
        tgkRecords: [link(2n, t1), link(3n, t2)],
        edges: [T1, T2],
      },
    ],
    incidentQ([1n, 69490n, 97542n], [1n, 2n, 3n, 10n]),
    ["ATXI-NPR-005"],
    ["segment-query", "node-projections"],
  );
}

/**
 * E1 (1 -> 2) is put at 2 in a, then again at 2^32 + 2 in b; E2 (1 -> 3) at 3 in a, then at 5 in b. b's
 * refs (given, not derived) hold only those of nodes 2 and 3: once b's record wins, its edge is no longer
 * incident to node 1 (DEC-029: the ref must carry the logseq of the winning record; a reader does not
 * check that refs are complete, ATXI-NPR-002), and stays incident to node 2 or 3. The winning logseqs
 * share their low 32 bits (E1) or their high 32 bits (E2) with the older refs'.
 */
async function incidenceWinnerWithoutRef(request: RequestUnit): Promise<void> {
  const E1: Edge = { from: [1n], to: [2n] };
  const E2: Edge = { from: [1n], to: [3n] };
  const [e1, e2] = [edgeId(E1), edgeId(E2)];
  const far = (1n << 32n) + 2n;
  await query(
    request,
    "incidence-winner-without-ref-of-node",
    [
      {
        segmentId: 0x931n,
        logseqMin: 1n,
        logseqMax: 4n,
        tgkRecords: [link(2n, e1), link(3n, e2)],
        edges: [E1, E2],
      },
      {
        segmentId: 0x932n,
        logseqMin: 5n,
        logseqMax: far,
        tgkRecords: [link(far, e1), link(5n, e2)],
        nodeRefs: [...edgeNodeRefs(E1, e1, far), ...edgeNodeRefs(E2, e2, 5n)]
          .filter((r) => r.nodeId !== 1n)
          .sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0)),
      },
    ],
    incidentQ([1n, 2n, 3n], [2n, 3n, 4n, 5n, far - 1n, far]),
    ["ATXI-NPR-005", "ATXI-NPR-002", "ATXI-VIS-002"],
    ["segment-query", "node-projections"],
  );
}

/**
 * Members without projections given out of logseq_min order: a [50, 60] holds a TGK record at 50, b [1, 10]
 * one at its logseq_min 1; c [11, 40] carries projections. Incidence is QRY_NO_PROJECTIONS from S = 1 (b
 * takes part with a TGK record), answered at S = 0.
 */
async function noProjectionsGivenOutOfOrder(request: RequestUnit): Promise<void> {
  const E1: Edge = { from: [1n], to: [2n] };
  const e1 = edgeId(E1);
  await query(
    request,
    "no-projections-members-out-of-order",
    [
      { segmentId: 0x941n, logseqMin: 50n, logseqMax: 60n, tgkRecords: [link(50n, 0x10n)] },
      {
        segmentId: 0x942n,
        logseqMin: 1n,
        logseqMax: 10n,
        tgkRecords: [link(1n, 0x20n)],
        aslRecords: [put(5n, 0x21n)],
      },
      { segmentId: 0x943n, logseqMin: 11n, logseqMax: 40n, tgkRecords: [link(20n, e1)], edges: [E1] },
    ],
    [...incidentQ([1n], [0n, 1n, 20n, 50n]), ...artifactQ([0x21n], [5n]), ...edgeQ([0x20n], [1n])],
    ["ATXI-NPR-005", "ATXI-VIS-001"],
    ["segment-query", "node-projections"],
  );
}

/** The seg.query units of this file, in a fixed order. */
export async function adequacySetQueryUnits(request: RequestUnit): Promise<void> {
  await largeMembersLookup(request);
  await largeMembersIncidence(request);
  await largeMemberRefsThenUnknownBlock(request);
  await incidenceLowWordTwins(request);
  await incidenceWinnerWithoutRef(request);
  await noProjectionsGivenOutOfOrder(request);
}
