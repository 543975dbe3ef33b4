// vectors/units: one operation each (edge ids, projections, shard assignment, filter builds and probes),
// and the error codes only a sequence reaches (setup steps first, their answers not compared). Each unit
// is named after what it asks (`shard-assign/n7/key-9007199254740993`), and its name is its check id's
// last part: adding a unit renames no other. Expected answers come from a fresh reference implementation.
import type { Capability, Edge, OpName } from "../../adapters/interface.ts";
import { createReferenceImplementation } from "../../adapters/reference/index.ts";
import { edgeWire, segmentHandlers } from "../../adapters/reference/segments.ts";
import { toWire } from "../../adapters/wire.ts";
import type { Step } from "../../harness/traces/form.ts";
import type { IndexEntry, UnitCase } from "../../harness/vectors/read.ts";
import { splitmix64 } from "../../reference/filters/mix.ts";
import { EDGES } from "../cases/segments/valid.ts";
import { answerOf, type GeneratedPart, jsonFile, manifestHeader } from "./canonical.ts";

function* keysFrom(seed: bigint, n: number): Generator<bigint> {
  const g = splitmix64(seed);
  for (let i = 0; i < n; i++) yield g.next().value as bigint;
}

export async function unitFiles(): Promise<GeneratedPart> {
  const units: UnitCase[] = [];
  const entries: IndexEntry[] = [];
  const push = (u: UnitCase) => {
    if (units.some((x) => x.id === u.id)) throw new Error(`vectors: two units named ${u.id}`);
    units.push(u);
    entries.push({
      id: `vec/unit/${u.id}`,
      file: "units/manifest.json",
      case: u.id,
      rules: u.rules,
      capabilities: u.capabilities,
    });
  };
  const unit = (
    id: string,
    op: OpName,
    args: Record<string, unknown>,
    rules: string[],
    capabilities: Capability[],
  ) => {
    const handler = segmentHandlers[op as keyof typeof segmentHandlers] as (a: unknown) => unknown;
    push({
      id,
      op,
      args: JSON.parse(JSON.stringify(toWire(args))),
      expect: answerOf(() => handler(args)),
      rules,
      capabilities,
    });
  };
  const edges: [string, Edge][] = [
    ...Object.entries(EDGES).map(([name, e]): [string, Edge] => [name, edgeWire(e)]),
    ["typed-7", { edge_type: 7, from: ["1"], to: ["2"] }],
    ["untyped", { edge_type: null, from: ["1"], to: ["2"] }],
    ["from-unsorted-no-to", { edge_type: null, from: ["2", "1"], to: [] }],
    [
      "to-u64-max-and-2p53-plus-1",
      { edge_type: null, from: [], to: ["18446744073709551615", "9007199254740993"] },
    ],
    ["self-loop", { edge_type: null, from: ["5"], to: ["5"] }],
  ];
  for (const [name, e] of edges)
    unit(`tgk-edge-id/${name}`, "tgk.edge_id", { edge: e }, ["ATXI-INV-002", "ATXI-INV-003"], ["tgk-edges"]);
  for (const [name, e] of [
    ["no-nodes", { edge_type: null, from: [], to: [] }],
    ["node-twice-in-from", { edge_type: null, from: ["3", "3"], to: [] }],
  ] as const)
    unit(`tgk-edge-id/${name}`, "tgk.edge_id", { edge: e }, ["ATXI-INV-002"], ["tgk-edges"]);
  for (const [i, [name, e]] of edges.entries())
    unit(
      `tgk-project/${name}`,
      "tgk.project",
      { edge: e, logseq: String(i + 1) },
      ["ATXI-NPR-002", "ATXI-NPR-003"],
      ["node-projections"],
    );
  const shardKeys = [
    "0",
    "1",
    "2",
    "9007199254740993",
    "18446744073709551615",
    ...[...keysFrom(7n, 11)].map(String),
  ];
  for (const n of [1, 2, 3, 7, 16, 1000])
    for (const key of shardKeys)
      unit(
        `shard-assign/n${n}/key-${key}`,
        "shard.assign",
        { key, shards: n },
        ["ATXI-SHD-001"],
        ["sharding"],
      );
  for (const kind of ["bloom", "xor8"] as const) {
    const cap: Capability = kind === "bloom" ? "filter-bloom" : "filter-xor";
    const rule = kind === "bloom" ? "ATXI-FLT-007" : "ATXI-FLT-008";
    for (const [n, seed] of [
      [0, 1n],
      [1, 2n],
      [3, 3n],
      [100, 4n],
      [2000, 5n],
    ] as const) {
      const keys = [...keysFrom(seed, n)].map(String);
      if (n === 3) keys.push(keys[0]!); // a duplicate key: the writer deduplicates
      const size = `${n}-keys${n === 3 ? "-one-twice" : ""}`;
      unit(`filter-build/${kind}/${size}`, "filter.build", { kind, keys }, [rule, "ATXI-FLT-004"], [cap]);
      const payload = segmentHandlers["filter.build"]({ kind, keys }).payload;
      const probes = [...keys.slice(0, 50), ...[...keysFrom(seed + 1000n, 200)].map(String)];
      unit(
        `filter-probe/${kind}/${size}`,
        "filter.probe",
        { kind, payload, keys: probes },
        [rule, "ATXI-FLT-002"],
        [cap],
      );
    }
  }
  // Operations that need a state first: the error codes only a sequence reaches.
  const sequence = async (
    id: string,
    setup: Step[],
    op: OpName,
    args: Record<string, unknown>,
    rules: string[],
    capabilities: Capability[],
  ) => {
    const impl = createReferenceImplementation();
    await impl.reset();
    try {
      for (const c of setup) await impl.handle(c.op, c.args as never);
      let answer: UnitCase["expect"];
      try {
        answer = { ok: JSON.parse(JSON.stringify(toWire(await impl.handle(op, args as never)))) };
      } catch (e) {
        const code = (e as { code?: unknown } | null)?.code;
        if (typeof code !== "string") throw e;
        answer = { error: code };
      }
      push({ id, rules, capabilities, ...(setup.length ? { setup } : {}), op, args, expect: answer });
    } finally {
      await impl.close?.();
    }
  };
  const sidOf = (n: number) => n.toString(16).padStart(2, "0").repeat(32);
  await sequence(
    "si-register/concat-of-unregistered-sid",
    [],
    "si.register",
    { node: { op: "concat", params: {}, inputs: [{ sid: sidOf(0x11) }] } },
    ["IDX-SI-001"],
    ["structural-index"],
  );
  await sequence(
    "si-register/artifact-input-not-a-key",
    [],
    "si.register",
    { node: { op: "literal", params: { hex: "00" }, inputs: [{ artifact: "not-a-key" }] } },
    ["IDX-SI-002"],
    ["structural-index"],
  );
  await sequence(
    "si-register/sid-input-too-short",
    [{ op: "si.register", args: { node: { op: "literal", params: { hex: "00" }, inputs: [] } } }],
    "si.register",
    { node: { op: "concat", params: {}, inputs: [{ sid: "4c8f1f3d2b" }] } },
    ["IDX-SI-002"],
    ["structural-index"],
  );
  await sequence(
    "store-get/index-entry-without-bytes",
    [
      {
        op: "ci.put",
        args: { key: sidOf(0x5a), location: { block_id: "0", offset: "0", length: "3" }, type_tag: null },
      },
    ],
    "store.get",
    { key: sidOf(0x5a), at: null },
    ["IDX-GET-001", "STO-REC-001"],
    ["store", "content-index"],
  );
  await sequence(
    "store-get/never-put",
    [],
    "store.get",
    { key: sidOf(0x77), at: null },
    ["IDX-GET-002"],
    ["store"],
  );
  return {
    files: [
      jsonFile("units/manifest.json", {
        ...manifestHeader("asl-conformance/unit-vectors/2", "spec/schemas/vectors.schema.json", units.length),
        cases: units,
      }),
    ],
    entries,
  };
}
