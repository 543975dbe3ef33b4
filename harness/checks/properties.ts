// Differential properties (fast-check): the implementation and the reference engine get the same
// operations, and every observation must agree. Model-based runs (fc.asyncModelRun) cover the content
// index and the store; generated inputs cover the codec, queries, filters, edges, sharding and the DAG.
// A failure prints the seed and path and the one command that replays it; shrinking replays through
// both adapters, each run starting from reset.
import fc from "fast-check";
import type { Capability, DagNode, Edge, Query, SegmentInput } from "../../adapters/interface.ts";
import { segmentHandlers } from "../../adapters/reference/segments.ts";
import { Divergence, type Pair, SnapshotMap, same } from "./differential.ts";
import { saveRegression } from "./regressions.ts";
import { type Check, type CheckContext, type CheckOutcome, errored, fail, pass } from "./types.ts";
import { firstDifference } from "./vectors.ts";

const hex = (n: number) => n.toString(16).padStart(2, "0").repeat(32);
const KEYS = [hex(1), hex(2), hex(3), hex(0xfe), `${"ab".repeat(31)}cd`];
const u64s = fc
  .oneof(fc.bigInt({ min: 0n, max: 40n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }))
  .map(String);

type Cmd = fc.AsyncCommand<Pair, Pair, true>;
const run = (f: (p: Pair) => Promise<void>, text: string): Cmd => ({
  check: async () => true,
  run: async (_m, p) => f(p),
  toString: () => text,
});

/** A state (snapshot, position) named by index into the snapshots seen so far; null = CURRENT. */
const atArb = fc.option(
  fc.record({ snap: fc.nat(8), position: fc.oneof(fc.nat(40), fc.constant(2 ** 60)) }),
  { nil: undefined },
);
function atFor(p: Pair, a: { snap: number; position: number } | undefined, side: "impl" | "ref") {
  if (a === undefined || p.snaps.seen.length === 0) return null;
  const ref = p.snaps.seen[a.snap % p.snaps.seen.length]!;
  return { snapshot: side === "ref" ? ref : p.snaps.impl(ref), position: String(a.position) };
}
function snapFor(p: Pair, i: number, side: "impl" | "ref"): string {
  if (p.snaps.seen.length === 0) return "0".repeat(64);
  const ref = p.snaps.seen[i % p.snaps.seen.length]!;
  return side === "ref" ? ref : p.snaps.impl(ref);
}
async function bindState(p: Pair, o: Awaited<ReturnType<typeof same>>, where: string) {
  if ("ok" in o.ref && "ok" in o.impl)
    p.snaps.bind(
      (o.ref.ok as { snapshot: string }).snapshot,
      (o.impl.ok as { snapshot: string }).snapshot,
      where,
    );
}
const noSnapshot = (v: unknown) =>
  v && typeof v === "object" && "snapshot" in v
    ? { ...(v as object), snapshot: "(matched by the snapshot map)" }
    : v;

/** Snapshot and install, shared by the content-index and store models; the answers' ids are matched by SnapshotMap. */
const snapshotCommand = fc.constant(
  run(
    async (p) => bindState(p, await same(p, "ci.snapshot", () => ({}), noSnapshot), "ci.snapshot"),
    "snapshot()",
  ),
);
const installCommand = fc
  .nat(8)
  .map((i) =>
    run(
      async (p) =>
        bindState(
          p,
          await same(p, "ci.install", (s) => ({ snapshot: snapFor(p, i, s) }), noSnapshot),
          "ci.install",
        ),
      `install(#${i})`,
    ),
  );

const ciCommands = [
  fc
    .record({
      key: fc.constantFrom(...KEYS),
      b: fc.nat(3),
      o: fc.nat(100),
      l: fc.nat(100),
      tag: fc.option(fc.nat(5), { nil: null }),
    })
    .map(({ key, b, o, l, tag }) =>
      run(
        async (p) =>
          void (await same(p, "ci.put", () => ({
            key,
            location: { block_id: String(b), offset: String(o), length: String(l) },
            type_tag: tag,
          }))),
        `put(${key.slice(0, 4)}, ${b}/${o}/${l}, ${tag})`,
      ),
    ),
  fc
    .constantFrom(...KEYS)
    .map((key) =>
      run(
        async (p) => void (await same(p, "ci.tombstone", () => ({ key }))),
        `tombstone(${key.slice(0, 4)})`,
      ),
    ),
  fc
    .record({ key: fc.constantFrom(...KEYS), at: atArb })
    .map(({ key, at }) =>
      run(
        async (p) => void (await same(p, "ci.lookup", (s) => ({ key, at: atFor(p, at, s) }))),
        `lookup(${key.slice(0, 4)}, ${JSON.stringify(at)})`,
      ),
    ),
  atArb.map((at) =>
    run(
      async (p) => void (await same(p, "ci.digest", (s) => ({ at: atFor(p, at, s) }))),
      `digest(${JSON.stringify(at)})`,
    ),
  ),
  snapshotCommand,
  fc.constant(
    run(
      async (p) => bindState(p, await same(p, "ci.current", () => ({}), noSnapshot), "ci.current"),
      "current()",
    ),
  ),
  installCommand,
  fc
    .nat(8)
    .map((i) =>
      run(
        async (p) => void (await same(p, "ci.retire", (s) => ({ snapshot: snapFor(p, i, s) }))),
        `retire(#${i})`,
      ),
    ),
];

const BLOBS = ["", "a", "abc", "hello world", "x".repeat(300)].map((s) => new TextEncoder().encode(s));
const storeCommands = [
  fc.record({ i: fc.nat(BLOBS.length - 1), tag: fc.option(fc.nat(3), { nil: null }) }).map(({ i, tag }) =>
    run(
      async (p) =>
        void (await same(
          p,
          "store.put",
          () => ({ bytes: BLOBS[i]!, type_tag: tag, structure: null }),
          (v) => ({ ...(v as object), location: "(layout is the implementation's)" }),
        )),
      `put(blob${i}, ${tag})`,
    ),
  ),
  fc.record({ i: fc.nat(BLOBS.length - 1), at: atArb }).map(({ i, at }) =>
    run(
      async (p) => {
        const key = (await p.ref.call("store.put", { bytes: BLOBS[i]!, structure: null })) as {
          ok?: { key: string };
        };
        await p.impl.call("store.put", { bytes: BLOBS[i]!, structure: null });
        await same(p, "store.get", (s) => ({ key: key.ok?.key ?? KEYS[0]!, at: atFor(p, at, s) }));
      },
      `putThenGet(blob${i}, ${JSON.stringify(at)})`,
    ),
  ),
  fc.nat(BLOBS.length - 1).map((i) =>
    run(async (p) => {
      const r = (await p.ref.call("store.put", { bytes: BLOBS[i]!, structure: null })) as {
        ok?: { key: string };
      };
      await p.impl.call("store.put", { bytes: BLOBS[i]!, structure: null });
      await same(p, "ci.tombstone", () => ({ key: r.ok?.key ?? KEYS[0]! }));
    }, `putThenTombstone(blob${i})`),
  ),
  snapshotCommand,
  installCommand,
  fc.constant(
    run(
      async (p) => bindState(p, await same(p, "store.reopen", () => ({}), noSnapshot), "store.reopen"),
      "reopen()",
    ),
  ),
];

function modelProperty(commands: fc.Arbitrary<Cmd>[], maxCommands: number) {
  return (ctx: CheckContext) =>
    fc.asyncProperty(fc.commands(commands, { maxCommands }), async (cmds) => {
      const setup = async () => {
        const r = await ctx.adapter.reset();
        if ("error" in r)
          throw new Divergence(
            `reset: ${r.error.code}: ${r.error.message}`,
            undefined,
            undefined,
            undefined,
            true,
          );
        await ctx.reference.reset();
        const pair: Pair = { impl: ctx.adapter, ref: ctx.reference, snaps: new SnapshotMap() };
        return { model: pair, real: pair };
      };
      await fc.asyncModelRun(setup, cmds);
    });
}

// --- generated inputs for the codec and queries
const recordsArb = fc.record({
  asl: fc.array(
    fc.record({
      id: fc.bigInt({ min: 0n, max: 6n }),
      tag: fc.option(fc.nat(3), { nil: null }),
      tomb: fc.boolean(),
    }),
    { maxLength: 12 },
  ),
  tgk: fc.array(
    fc.record({
      e: fc.nat(3),
      type: fc.option(fc.nat(3), { nil: null }),
      role: fc.nat(3),
      tomb: fc.boolean(),
    }),
    { maxLength: 8 },
  ),
  big: fc.boolean(),
  filters: fc.subarray([
    { kind: "bloom", domain: "asl" },
    { kind: "xor8", domain: "tgk" },
    { kind: "xor8", domain: "asl" },
    { kind: "bloom", domain: "node" },
  ] as const),
  projections: fc.boolean(),
});
const EDGE_POOL: Edge[] = [
  { edge_type: null, from: ["1"], to: ["2"] },
  { edge_type: 4, from: ["2", "3"], to: ["1"] },
  { edge_type: null, from: ["5"], to: ["5"] },
  { edge_type: null, from: [], to: ["18446744073709551615"] },
];

/** A valid encoder input over one log: logseqs are distinct, in shuffled records. */
type Records = typeof recordsArb extends fc.Arbitrary<infer T> ? T : never;

function inputFrom(r: Records, segmentId: number, logseqBase: number): SegmentInput {
  let ls = logseqBase;
  const bigOff = r.big ? 1n << 60n : 0n;
  const edgeIds = EDGE_POOL.map((e) => segmentHandlers["tgk.edge_id"]({ edge: e }).edge_id);
  const asl = r.asl.map((a) => ({
    logseq: String(++ls),
    artifact_id: String(a.id + bigOff),
    type_tag: a.tomb ? null : a.tag,
    tombstone: a.tomb,
  }));
  const tgk = r.tgk.map((t) => ({
    logseq: String(++ls),
    tgk_edge_id: edgeIds[t.e]!,
    edge_type_key: t.tomb ? null : t.type,
    role: t.tomb ? 0 : t.role,
    tombstone: t.tomb,
  }));
  return {
    segment_id: String(segmentId),
    logseq_min: String(logseqBase + 1),
    logseq_max: String(Math.max(ls, logseqBase + 1)),
    asl_records: asl,
    tgk_records: tgk,
    edges: r.projections ? EDGE_POOL : [],
    node_projections: r.projections,
    filters: [...r.filters],
  };
}

/**
 * A key that the first filter of `domain` (1 artifact_id, 2 tgk_edge_id) in a segment answers "possibly
 * present" for although no segment of the property holds it (ids there are below 1000 or at 2^60 and up):
 * a false positive, found by probing candidates through the reference (about 1 in 100 for bloom, 1 in 256
 * for xor8, so 4000 candidates all but always hold one).
 */
function falsePositives(bytes: Uint8Array, domain: 1 | 2): string[] {
  const seg = segmentHandlers["seg.decode"]({ bytes }).segment;
  const f = seg.filters.find((x) => x.flags === domain && (x.filter_type === 1 || x.filter_type === 2));
  if (f === undefined) return [];
  const keys = Array.from({ length: 4000 }, (_, i) => String(1000 + i));
  const kind = f.filter_type === 1 ? "bloom" : "xor8";
  const { results } = segmentHandlers["filter.probe"]({ kind, payload: f.payload, keys });
  const i = results.indexOf(true);
  return i < 0 ? [] : [keys[i]!];
}

async function pairOf(ctx: CheckContext): Promise<Pair> {
  return { impl: ctx.adapter, ref: ctx.reference, snaps: new SnapshotMap() };
}

type PropertyFactory = (
  ctx: CheckContext,
) => fc.IAsyncProperty<unknown> | fc.IAsyncPropertyWithHooks<unknown>;

interface PropertySpec {
  name: string;
  title: string;
  rules: string[];
  capabilities: Capability[];
  property: PropertyFactory;
}

const LITERALS = ["", "00", "abcd", "ff00ff"];
const independenceCommands = [
  ...ciCommands,
  fc.constantFrom(...LITERALS).map((hex) =>
    run(
      async (p) =>
        void (await same(p, "si.register", () => ({
          node: { op: "literal", params: { hex }, inputs: [] },
        }))),
      `si.register(literal ${hex})`,
    ),
  ),
  fc.constant(run(async (p) => void (await same(p, "mc.drop", () => ({}))), "mc.drop()")),
  fc.constant(run(async (p) => void (await same(p, "mc.recompute", () => ({ at: null }))), "mc.recompute()")),
];

/** Splits one input into `n` shard inputs by the implementation's own shard.assign (DEC-024). */
async function shardsOf(p: Pair, input: SegmentInput, n: number): Promise<SegmentInput[]> {
  const assign = async (key: string): Promise<number> => {
    const o = await p.impl.call("shard.assign", { key, shards: n });
    if ("error" in o)
      throw new Divergence(
        `shard.assign ${key} over ${n}: ${o.error.code}: ${o.error.message}`,
        undefined,
        undefined,
        undefined,
        o.fault === true,
      );
    return o.ok.shard;
  };
  const parts = Array.from(
    { length: n },
    (_, i): SegmentInput => ({ ...input, segment_id: String(100 + i), asl_records: [], tgk_records: [] }),
  );
  for (const r of input.asl_records) parts[await assign(r.artifact_id)]?.asl_records.push(r);
  for (const r of input.tgk_records) parts[await assign(r.tgk_edge_id)]?.tgk_records.push(r);
  return parts;
}

const SPECS: PropertySpec[] = [
  {
    name: "content-index-model",
    title:
      "content index: random puts, tombstones, lookups at retained states, snapshots, installs and retires agree with the reference",
    rules: [
      "STO-CUR-001",
      "STO-CUR-002",
      "STO-CUR-003",
      "STO-CUR-004",
      "STO-CUR-005",
      "IDX-CI-001",
      "IDX-CI-002",
      "IDX-CI-003",
      "IDX-CI-004",
      "IDX-CI-006",
      "IDX-CI-007",
      "STO-LOG-001",
      "STO-LOG-002",
      "STO-LOG-003",
      "STO-LOG-004",
      "STO-SNAP-001",
      "STO-SNAP-002",
      "STO-SNAP-003",
      "STO-SNAP-004",
      "STO-SNAP-006",
      "STO-SNAP-007",
      "STO-DIG-001",
    ],
    capabilities: ["content-index"],
    property: modelProperty(ciCommands, 40),
  },
  {
    name: "store-model",
    title:
      "store: random PUT, GET at retained states, tombstones, snapshots, installs and reopen agree with the reference",
    rules: ["IDX-PUT-001", "IDX-GET-001", "IDX-GET-002", "IDX-CI-008", "STO-REC-001"],
    capabilities: ["store", "content-index"],
    property: modelProperty(storeCommands, 25),
  },
  {
    name: "segment-encode",
    title: "segment writer: random inputs give the reference's bytes, or its refusal code",
    rules: [
      "ATXI-INV-008",
      "ATXI-ENC-001",
      "ATXI-FLT-004",
      "ATXI-FLT-010",
      "ATXI-NPR-002",
      "ATXI-FTR-002",
      "ATXI-ASL-001",
      "ATXI-TGK-001",
    ],
    capabilities: ["segment-encode"],
    property: (ctx) =>
      fc.asyncProperty(recordsArb, fc.nat(3), async (r, base) => {
        const input = inputFrom(r, 9, base);
        await same(await pairOf(ctx), "seg.encode", () => ({ input }));
      }),
  },
  {
    name: "segment-decode",
    title:
      "segment reader: random segments decode as the reference decodes them, and mutated ones are refused with its code",
    rules: ["ATXI-DEC-001", "ATXI-DEC-002", "ATXI-INV-006", "ATXI-ASL-001", "ATXI-TGK-001", "ATXI-LAY-001"],
    capabilities: ["segment-decode"],
    property: (ctx) =>
      fc.asyncProperty(
        recordsArb,
        fc.array(fc.record({ at: fc.nat(), value: fc.nat(255) }), { maxLength: 2 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (r, flips, cut) => {
          const bytes = new Uint8Array(segmentHandlers["seg.encode"]({ input: inputFrom(r, 3, 0) }).bytes);
          for (const f of flips) bytes[f.at % bytes.length] = f.value;
          const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
          await same(await pairOf(ctx), "seg.decode", () => ({ bytes: input }));
        },
      ),
  },
  {
    name: "segment-query",
    title: "queries over several segments at random S, filters used or not, agree with the reference",
    rules: [
      "ATXI-VIS-001",
      "ATXI-VIS-002",
      "ATXI-VIS-003",
      "ATXI-VIS-004",
      "ATXI-FLT-003",
      "ATXI-INV-001",
      "ATXI-INV-003",
      "ATXI-INV-008",
      "ATXI-NPR-005",
    ],
    capabilities: ["segment-query"],
    property: (ctx) =>
      fc.asyncProperty(
        fc.array(recordsArb, { minLength: 1, maxLength: 3 }),
        fc.array(
          fc.record({
            kind: fc.constantFrom("artifact", "edge", "incident"),
            key: fc.nat(6),
            at: fc.nat(45),
            role: fc.constantFrom("from", "to", "any"),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.boolean(),
        async (sets, qs, useFilters) => {
          const segments = sets.map(
            (r, i) =>
              segmentHandlers["seg.encode"]({
                input: { ...inputFrom(r, i + 1, i * 15), node_projections: true, edges: EDGE_POOL },
              }).bytes,
          );
          const edgeIds = EDGE_POOL.map((e) => segmentHandlers["tgk.edge_id"]({ edge: e }).edge_id);
          // A key a segment's filter lets through but no segment holds: the answer must still be "absent"
          // (ATXI-FLT-003, ATXI-VIS-004), which an implementation taking "possibly present" as a hit breaks.
          const fpAt = String(15 * segments.length);
          const misses: Query[] = segments.flatMap((bytes) => [
            ...falsePositives(bytes, 1).map((k): Query => ({ kind: "artifact", artifact_id: k, at: fpAt })),
            ...falsePositives(bytes, 2).map((k): Query => ({ kind: "edge", tgk_edge_id: k, at: fpAt })),
          ]);
          const queries: Query[] = qs.map((q) =>
            q.kind === "artifact"
              ? { kind: "artifact", artifact_id: String(q.key), at: String(q.at) }
              : q.kind === "edge"
                ? { kind: "edge", tgk_edge_id: edgeIds[q.key % edgeIds.length]!, at: String(q.at) }
                : { kind: "incident", node_id: String(q.key), role: q.role, at: String(q.at) },
          );
          await same(await pairOf(ctx), "seg.query", () => ({
            segments,
            use_filters: useFilters,
            queries: [...queries, ...misses],
          }));
        },
      ),
  },
  {
    name: "independence",
    title:
      "the content index answers alike whatever is registered in the structural index or done to the cache",
    rules: ["IDX-DEP-001", "IDX-DEP-003", "IDX-SI-004", "IDX-MC-002"],
    capabilities: ["content-index", "structural-index", "materialization-cache"],
    property: modelProperty(independenceCommands, 40),
  },
  {
    name: "sharding-invisible",
    title:
      "records split over N shards by the implementation's own shard.assign answer every query as one segment does",
    rules: ["ATXI-SHD-001", "ATXI-SHD-002"],
    capabilities: ["sharding", "segment-query"],
    property: (ctx) =>
      fc.asyncProperty(
        recordsArb,
        fc.integer({ min: 1, max: 5 }),
        fc.array(
          fc.record({
            kind: fc.constantFrom("artifact", "edge", "incident"),
            key: fc.nat(6),
            at: fc.nat(25),
            role: fc.constantFrom("from", "to", "any"),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        async (r, n, qs) => {
          const p = await pairOf(ctx);
          const whole = { ...inputFrom(r, 1, 0), node_projections: true, edges: EDGE_POOL };
          const one = [segmentHandlers["seg.encode"]({ input: whole }).bytes];
          const shards = (await shardsOf(p, whole, n)).map(
            (input) => segmentHandlers["seg.encode"]({ input }).bytes,
          );
          const edgeIds = EDGE_POOL.map((e) => segmentHandlers["tgk.edge_id"]({ edge: e }).edge_id);
          const queries: Query[] = qs.map((q) =>
            q.kind === "artifact"
              ? { kind: "artifact", artifact_id: String(q.key), at: String(q.at) }
              : q.kind === "edge"
                ? { kind: "edge", tgk_edge_id: edgeIds[q.key % edgeIds.length]!, at: String(q.at) }
                : { kind: "incident", node_id: String(q.key), role: q.role, at: String(q.at) },
          );
          const a = await p.impl.call("seg.query", { segments: one, use_filters: true, queries });
          const b = await p.impl.call("seg.query", { segments: shards, use_filters: true, queries });
          for (const o of [a, b])
            if ("error" in o)
              throw new Divergence(
                `seg.query: ${o.error.code}: ${o.error.message}`,
                undefined,
                undefined,
                undefined,
                o.fault === true,
              );
          const d = firstDifference((a as { ok: unknown }).ok, (b as { ok: unknown }).ok);
          if (d)
            throw new Divergence(
              `over ${n} shards a query answers otherwise than over one segment, at ${d.path}`,
              d.expected,
              d.actual,
              d.path,
            );
        },
      ),
  },
  {
    name: "filters",
    title:
      "filters: random key sets build the reference's payload, and every member probes as possibly present",
    rules: ["ATXI-FLT-002", "ATXI-FLT-004", "ATXI-FLT-005", "ATXI-FLT-007", "ATXI-FLT-008"],
    capabilities: ["filter-bloom", "filter-xor"],
    property: (ctx) =>
      fc.asyncProperty(
        fc.constantFrom("bloom", "xor8"),
        fc.array(u64s, { maxLength: 60 }),
        async (kind, keys) => {
          const p = await pairOf(ctx);
          const built = await same(p, "filter.build", () => ({ kind: kind as "bloom" | "xor8", keys }));
          if (!("ok" in built.ref)) return;
          const payload = (built.ref.ok as { payload: Uint8Array }).payload;
          await same(p, "filter.probe", () => ({ kind: kind as "bloom" | "xor8", payload, keys }));
        },
      ),
  },
  {
    name: "edges-and-shards",
    title: "TGK edge ids, node projections and shard assignment of random inputs agree with the reference",
    rules: ["ATXI-INV-002", "ATXI-NPR-002", "ATXI-NPR-003", "ATXI-SHD-001"],
    capabilities: ["tgk-edges", "node-projections", "sharding"],
    property: (ctx) =>
      fc.asyncProperty(
        fc.record({
          from: fc.array(u64s, { maxLength: 4 }),
          to: fc.array(u64s, { maxLength: 4 }),
          edge_type: fc.option(fc.nat(9), { nil: null }),
        }),
        u64s,
        fc.integer({ min: 1, max: 64 }),
        async (edge, key, shards) => {
          const p = await pairOf(ctx);
          await same(p, "tgk.edge_id", () => ({ edge }));
          await same(p, "tgk.project", () => ({ edge, logseq: key }));
          await same(p, "shard.assign", () => ({ key, shards }));
        },
      ),
  },
  {
    name: "dag",
    title:
      "structural index and materialization cache: random DAGs give the reference's SIDs, rebuilds and recomputed cache",
    rules: [
      "IDX-SI-001",
      "IDX-SI-002",
      "IDX-SI-003",
      "IDX-SI-004",
      "IDX-MC-001",
      "IDX-MC-002",
      "IDX-MC-003",
      "IDX-MC-004",
      "IDX-DEP-002",
      "IDX-DEP-004",
      "IDX-PUT-002",
      "IDX-GET-001",
      "IDX-GET-002",
      "IDX-CI-008",
    ],
    capabilities: ["structural-index", "materialization-cache", "store", "content-index"],
    property: (ctx) =>
      fc.asyncProperty(
        fc.array(
          fc.record({
            lit: fc.uint8Array({ maxLength: 4 }).map((b) => Buffer.from(b).toString("hex")),
            concat: fc.boolean(),
            store: fc.boolean(),
            inputs: fc.array(fc.nat(5), { maxLength: 3 }),
            // A second param given before "hex": the SID hashes params in key order, not as given (DEC-017).
            note: fc.boolean(),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.option(fc.nat(7), { nil: undefined }),
        async (nodes, tomb) => {
          const p = await pairOf(ctx);
          const sids: string[] = [];
          const registered: DagNode[] = [];
          const storedKeys: string[] = [];
          for (const n of nodes) {
            const node: DagNode =
              n.concat && sids.length > 0
                ? { op: "concat", params: {}, inputs: n.inputs.map((i) => ({ sid: sids[i % sids.length]! })) }
                : { op: "literal", params: n.note ? { zz: "1", hex: n.lit } : { hex: n.lit }, inputs: [] };
            const bytes = new Uint8Array(Buffer.from(n.lit, "hex"));
            const r =
              n.store && node.op === "literal"
                ? await same(
                    p,
                    "store.put",
                    () => ({ bytes, type_tag: null, structure: node }),
                    (v) => ({ ...(v as object), location: "(layout)" }),
                  )
                : await same(p, "si.register", () => ({ node }));
            if ("ok" in r.ref) {
              const ok = r.ref.ok as { sid?: string; key?: string };
              sids.push(ok.sid ?? "");
              if (ok.key !== undefined) storedKeys.push(ok.key);
              registered.push(node);
            }
          }
          await same(p, "si.entries", () => ({}));
          await same(p, "si.rebuild", () => ({ nodes: registered }));
          await same(p, "mc.entries", () => ({}));
          await same(p, "mc.recompute", () => ({ at: null }));
          if (tomb !== undefined && storedKeys.length > 0) {
            // The cache still names the key, but only the content index decides (IDX-GET-001, IDX-CI-008,
            // IDX-MC-004): GET refuses it, and recomputing drops its entry (IDX-MC-003).
            const key = storedKeys[tomb % storedKeys.length]!;
            await same(p, "ci.tombstone", () => ({ key }));
            await same(p, "store.get", () => ({ key, at: null }));
            await same(p, "mc.recompute", () => ({ at: null }));
          }
          await same(p, "mc.drop", () => ({}));
          await same(p, "mc.entries", () => ({}));
        },
      ),
  },
];

export function propertyChecks(): Check[] {
  return SPECS.map((spec) => ({
    id: `prop/${spec.name}`,
    title: spec.title,
    kind: "property" as const,
    rules: spec.rules,
    capabilities: spec.capabilities,
    async run(ctx: CheckContext): Promise<CheckOutcome> {
      const details = await fc.check(spec.property(ctx) as fc.IAsyncProperty<unknown>, {
        seed: ctx.seed,
        numRuns: ctx.runs,
        ...(ctx.fcPath ? { path: ctx.fcPath } : {}),
        endOnFailure: false,
      });
      if (!details.failed) return pass(`${details.numRuns} runs`);
      const e = details.errorInstance;
      const replay = ctx.replayCommand(
        `prop/${spec.name}`,
        `--seed ${details.seed} --fc-path "${details.counterexamplePath}"`,
      );
      const found = details.counterexample as unknown[] | null;
      const counterexample = found?.map((x) => String(x));
      const saved = found ? await saveRegression(ctx, spec, found, details.seed) : undefined;
      if (e instanceof Divergence) {
        const detail = {
          replay,
          counterexample,
          ...(e.field ? { field: e.field } : {}),
          ...(e.expected !== undefined ? { expected: e.expected } : {}),
          ...(e.actual !== undefined ? { actual: e.actual } : {}),
        };
        const msg = `${e.message}\nafter ${details.numShrinks} shrinks; counterexample: ${counterexample?.join(" ") ?? "?"}; seed ${details.seed}, path ${details.counterexamplePath}${saved ? `\nsaved as a regression case: ${saved}` : ""}`;
        return e.fault ? errored(msg, detail) : fail(msg, detail);
      }
      return errored(
        `the property failed outside a comparison: ${e instanceof Error ? e.message : String(e)}; seed ${details.seed}`,
        { replay },
      );
    },
  }));
}
