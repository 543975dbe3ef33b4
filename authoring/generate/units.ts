// vectors/units: one operation each (edge ids, projections, shard assignment up to 2^32 - 1 shards, filter
// builds and probes, payloads a reader refuses), malformed requests of every operation (DEC-033:
// `request-shape/ci.put/missing-location`, `request-value/ci.put/key-uppercase`), and the error codes only
// a sequence reaches (setup steps first, their answers not compared). Each unit is named after what it asks
// (`shard-assign/n7/key-9007199254740993`), and its name is its check id's last part: adding a unit renames
// no other. Expected answers come from a fresh reference implementation. The units without setup also make
// the batch checks (harness/checks/batch.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Capability, Edge, OpName } from "../../adapters/interface.ts";
import { createReferenceImplementation } from "../../adapters/reference/index.ts";
import { edgeWire, segmentHandlers } from "../../adapters/reference/segments.ts";
import { argsFromWire, toWire } from "../../adapters/wire.ts";
import { CAPABILITIES, CAPABILITY_OPERATIONS } from "../../catalog/capabilities.ts";
import { SPEC_DIR } from "../../catalog/paths.ts";
import { inverseMod2k, unmix } from "../../harness/properties/filters.ts";
import type { Step } from "../../harness/traces/form.ts";
import type { IndexEntry, UnitCase } from "../../harness/vectors/read.ts";
import { fmix64, splitmix64 } from "../../reference/filters/mix.ts";
import { adequacyContentIndexUnits } from "../cases/adequacy/content-index.ts";
import { adequacyDerivedUnits } from "../cases/adequacy/derived.ts";
import { adequacyFilterUnits } from "../cases/adequacy/filters.ts";
import { adequacyQueryUnits } from "../cases/adequacy/query.ts";
import { adequacySegmentUnits } from "../cases/adequacy/segment.ts";
import { adequacyStateUnits } from "../cases/adequacy/state.ts";
import { EDGES } from "../cases/segments/valid.ts";
import { answerOf, type GeneratedPart, jsonFile, manifestHeader } from "./canonical.ts";

function* keysFrom(seed: bigint, n: number): Generator<bigint> {
  const g = splitmix64(seed);
  for (let i = 0; i < n; i++) yield g.next().value as bigint;
}

const M32 = (1n << 32n) - 1n;
const M64 = (1n << 64n) - 1n;

/**
 * Shard counts far above the small ones, up to 2^32 - 1 (DEC-024 takes any u32 N >= 1): where a reduction
 * that is not DEC-024's (plain modulo, a fast range over other bits or with another shift, a product that
 * overflows 32 or 63 bits or is rounded in a double, N or hi read as signed) gives other shards.
 */
const LARGE_SHARD_COUNTS = [65536, 1000003, 2 ** 31, 2 ** 31 + 1, 4294967291, 2 ** 32 - 1];

/**
 * Keys for shard count n: the usual edge keys, three random ones, the key whose mix is all ones (the last
 * shard, n - 1) and, for odd n, the key whose mix has hi = -n^-1 mod 2^32 and lo = 2^32 - 1: there hi x n
 * is one below a multiple of 2^32, so a double rounds it up and a reduction that also counts the low 32
 * bits (mix x n >> 64) carries into the next shard; DEC-024 floors it to the shard below.
 */
function largeShardKeys(n: number): string[] {
  const keys = [0n, 1n, 2n, 9007199254740993n, M64, ...keysFrom(24n, 3), unmix(M64)];
  const N = BigInt(n);
  if (N % 2n === 1n) keys.push(unmix(((-inverseMod2k(N, M32) & M32) << 32n) | M32));
  return [...new Set(keys)].map(String);
}

/** A bloom payload (DEC-009): num_bits, num_hashes, seed, then the bit bytes as given. */
function bloomPayload(numBits: number, numHashes: number, seed: bigint, bits: number[]): Uint8Array {
  const out = new Uint8Array(16 + bits.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, numBits, true);
  dv.setUint32(4, numHashes, true);
  dv.setBigUint64(8, seed, true);
  out.set(bits, 16);
  return out;
}

/** An xor8 payload (DEC-010): seed, block_length, the reserved word, then the fingerprint bytes as given. */
function xor8Payload(
  seed: bigint,
  blockLength: number,
  reserved: number,
  fingerprints: number[],
): Uint8Array {
  const out = new Uint8Array(16 + fingerprints.length);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, seed, true);
  dv.setUint32(8, blockLength, true);
  dv.setUint32(12, reserved, true);
  out.set(fingerprints, 16);
  return out;
}

/** The DEC-010 fingerprint of `key` under `seed`: the low byte of lo ^ hi of mix(key + seed). */
function xor8Fingerprint(key: bigint, seed: bigint): number {
  const h = fmix64((key + seed) & M64);
  return Number(((h & M32) ^ (h >> 32n)) & 0xffn);
}

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");

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
  for (const n of LARGE_SHARD_COUNTS)
    for (const key of largeShardKeys(n))
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
  // A request as a unit check sends it (wire form, base64 turned into bytes by argsFromWire), answered by a
  // fresh reference implementation whose shape check (DEC-033 step 3) comes first. `want` is the code the
  // spec gives: a reference that answers anything else stops the generator.
  const request = async (
    id: string,
    op: string,
    args: Record<string, unknown>,
    rules: string[],
    capabilities: Capability[],
    want?: string,
  ) => {
    const impl = createReferenceImplementation();
    await impl.reset();
    let answer: UnitCase["expect"];
    try {
      const result = await impl.handle(op as OpName, argsFromWire(op, args) as never);
      answer = { ok: JSON.parse(JSON.stringify(toWire(result))) };
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      if (typeof code !== "string") throw e;
      answer = { error: code };
    } finally {
      await impl.close?.();
    }
    if (want !== undefined && !("error" in answer && answer.error === want))
      throw new Error(
        `vectors: the reference answers ${id} with ${JSON.stringify(answer).slice(0, 200)}; the spec gives ${want}`,
      );
    push({
      id,
      op: op as OpName,
      args: JSON.parse(JSON.stringify(args)),
      expect: answer,
      rules,
      capabilities,
    });
  };

  // filter.probe of a payload the reader would refuse (DEC-035): the first failing check of the
  // filter-contents step (spec/errors.yaml), in its order; and valid payloads at the extreme parameters.
  const probeKeys = ["0", "1", "18446744073709551615", ...[...keysFrom(35n, 37)].map(String)];
  const SEED = 0x0123456789abcdefn;
  const badBloom: [string, Uint8Array, string][] = [
    ["empty", new Uint8Array(0), "SEG_BAD_FILTER_PARAMS"],
    ["truncated-15-bytes", bloomPayload(64, 7, SEED, []).subarray(0, 15), "SEG_BAD_FILTER_PARAMS"],
    ["num-bits-0", bloomPayload(0, 7, SEED, []), "SEG_BAD_FILTER_PARAMS"],
    ["num-hashes-0", bloomPayload(64, 0, SEED, new Array(8).fill(0xff)), "SEG_BAD_FILTER_PARAMS"],
    ["num-hashes-33", bloomPayload(64, 33, SEED, new Array(8).fill(0xff)), "SEG_BAD_FILTER_PARAMS"],
    ["size-short-of-num-bits", bloomPayload(64, 7, SEED, new Array(7).fill(0xff)), "SEG_BAD_FILTER_PARAMS"],
    ["size-beyond-num-bits", bloomPayload(64, 7, SEED, new Array(9).fill(0)), "SEG_BAD_FILTER_PARAMS"],
    ["size-1-bit-as-8-bytes", bloomPayload(1, 1, SEED, new Array(8).fill(0)), "SEG_BAD_FILTER_PARAMS"],
    ["unused-bits-set", bloomPayload(13, 3, SEED, [0xff, 0x3f]), "SEG_RESERVED_NONZERO"],
    ["unused-bit-above-num-bits-1", bloomPayload(1, 1, SEED, [0x03]), "SEG_RESERVED_NONZERO"],
    ["unused-top-bit-set", bloomPayload(63, 7, SEED, [0, 0, 0, 0, 0, 0, 0, 0x80]), "SEG_RESERVED_NONZERO"],
    // The order of the checks: parameters, then size, then the unused bits.
    ["num-hashes-33-and-unused-bits-set", bloomPayload(13, 33, SEED, [0, 0xe0]), "SEG_BAD_FILTER_PARAMS"],
    ["size-wrong-and-unused-bits-set", bloomPayload(13, 3, SEED, [0, 0xe0, 0]), "SEG_BAD_FILTER_PARAMS"],
  ];
  const badXor8: [string, Uint8Array, string][] = [
    ["empty", new Uint8Array(0), "SEG_BAD_FILTER_PARAMS"],
    ["truncated-15-bytes", xor8Payload(SEED, 1, 0, [1, 2, 3]).subarray(0, 15), "SEG_BAD_FILTER_PARAMS"],
    ["block-length-0", xor8Payload(SEED, 0, 0, []), "SEG_BAD_FILTER_PARAMS"],
    ["reserved-nonzero", xor8Payload(SEED, 1, 1, [1, 2, 3]), "SEG_RESERVED_NONZERO"],
    ["reserved-top-bit-set", xor8Payload(SEED, 1, 0x80000000, [1, 2, 3]), "SEG_RESERVED_NONZERO"],
    ["size-short-of-block-length", xor8Payload(SEED, 2, 0, [1, 2, 3, 4, 5]), "SEG_BAD_FILTER_PARAMS"],
    ["size-beyond-block-length", xor8Payload(SEED, 1, 0, [1, 2, 3, 4]), "SEG_BAD_FILTER_PARAMS"],
    // The order: block_length, then the reserved word, then the size (DEC-035, spec/errors.yaml).
    ["block-length-0-and-reserved-nonzero", xor8Payload(SEED, 0, 1, []), "SEG_BAD_FILTER_PARAMS"],
    ["reserved-nonzero-and-size-wrong", xor8Payload(SEED, 2, 1, [1, 2, 3]), "SEG_RESERVED_NONZERO"],
  ];
  const bloomOf = (keys: string[]) => segmentHandlers["filter.build"]({ kind: "bloom", keys }).payload;
  const xor8Of = (keys: string[]) => segmentHandlers["filter.build"]({ kind: "xor8", keys }).payload;
  // A valid payload of the other kind: its parameters land on the other kind's fields.
  badBloom.push(["xor8-payload", xor8Of(["1", "2", "3"]), "SEG_BAD_FILTER_PARAMS"]);
  badXor8.push(["bloom-payload", bloomOf(["1", "2", "3"]), "SEG_RESERVED_NONZERO"]);
  for (const [kind, cases] of [
    ["bloom", badBloom],
    ["xor8", badXor8],
  ] as const) {
    const cap: Capability = kind === "bloom" ? "filter-bloom" : "filter-xor";
    const rule = kind === "bloom" ? "ATXI-FLT-007" : "ATXI-FLT-008";
    for (const [name, payload, code] of cases)
      await request(
        `filter-probe/${kind}/bad-payload/${name}`,
        "filter.probe",
        { kind, payload: b64(payload), keys: probeKeys.slice(0, 3) },
        [rule, "ATXI-FLT-009"],
        [cap],
        code,
      );
    // A refused payload is refused with no key to probe too.
    const [name, payload, code] = cases[2]!;
    await request(
      `filter-probe/${kind}/bad-payload/${name}-no-keys`,
      "filter.probe",
      { kind, payload: b64(payload), keys: [] },
      [rule, "ATXI-FLT-009"],
      [cap],
      code,
    );
  }
  // Every bit but bit 6 set: a key is possibly present only when none of its 32 probes lands on bit 6.
  const goodBloom: [string, Uint8Array][] = [
    ["num-bits-1-num-hashes-1-bit-set", bloomPayload(1, 1, SEED, [0x01])],
    ["num-bits-1-num-hashes-1-bit-clear", bloomPayload(1, 1, SEED, [0x00])],
    ["num-bits-1-num-hashes-32-bit-set", bloomPayload(1, 32, M64, [0x01])],
    ["num-bits-13-num-hashes-32-one-bit-clear", bloomPayload(13, 32, SEED, [0xbf, 0x1f])],
    [
      "num-bits-61-num-hashes-32-one-bit-clear",
      bloomPayload(61, 32, 0n, [0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0x1f]),
    ],
  ];
  for (const [name, payload] of goodBloom)
    await request(
      `filter-probe/bloom/${name}`,
      "filter.probe",
      { kind: "bloom", payload: b64(payload), keys: probeKeys },
      ["ATXI-FLT-007"],
      ["filter-bloom"],
    );
  // block_length 1: every key probes fingerprints 0, 1 and 2, so a key is possibly present exactly when its
  // fingerprint equals their xor; the first is set to the fingerprint of one probed key.
  for (const [name, seed] of [
    ["block-length-1", SEED],
    ["block-length-1-seed-u64-max", M64],
  ] as const) {
    const target = BigInt(probeKeys[5]!);
    const payload = xor8Payload(seed, 1, 0, [xor8Fingerprint(target, seed) ^ 0x5a ^ 0xc3, 0x5a, 0xc3]);
    await request(
      `filter-probe/xor8/${name}`,
      "filter.probe",
      { kind: "xor8", payload: b64(payload), keys: probeKeys },
      ["ATXI-FLT-008"],
      ["filter-xor"],
    );
  }

  // DEC-033: malformed requests, for every operation of every capability. Shape defects (step 3: a missing
  // member, a member of another JSON type, a member the schema does not list, an enum or const value or an
  // integer out of its range, base64 that is not) are PROTO_BAD_REQUEST; a well-typed string with a bad value
  // (step 4) gets the operation's domain code. Names: request-shape/<op>/<defect>, request-value/<op>/<defect>.
  // Each unit names the rule of its capability whose behaviour the request concerns (the PROTO_* codes have
  // no rule of their own), or the rules spec/errors.yaml gives its domain code.
  type Path = readonly (string | number)[];
  type Edit = readonly [Path, unknown];
  const DELETE = Symbol("delete");
  const edited = (base: Record<string, unknown>, edits: readonly Edit[]): Record<string, unknown> => {
    const out = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    for (const [path, value] of edits) {
      let o = out as Record<string | number, unknown>;
      for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      if (value === DELETE) delete o[last];
      else o[last] = JSON.parse(JSON.stringify(value));
    }
    return out;
  };
  const wrongType = (v: unknown): unknown =>
    typeof v === "string"
      ? 7
      : typeof v === "number"
        ? String(v)
        : typeof v === "boolean"
          ? String(v)
          : Array.isArray(v)
            ? {}
            : v !== null && typeof v === "object"
              ? []
              : false;
  const kebab = (s: string) => s.replaceAll("_", "-");
  const schemaDefs = (
    JSON.parse(readFileSync(join(SPEC_DIR, "schemas/protocol.schema.json"), "utf8")) as {
      $defs: Record<string, { $ref?: string; required?: string[] }>;
    }
  ).$defs;
  const requiredOf = (op: string): string[] => {
    let d = schemaDefs[`args:${op}`];
    while (d?.$ref) d = schemaDefs[d.$ref.slice("#/$defs/".length)];
    if (!d) throw new Error(`vectors: no schema for the args of ${op}`);
    return d.required ?? [];
  };
  const K = "ab".repeat(32);
  const S = "cd".repeat(32);
  const U64_OVER = "18446744073709551616";
  const LONE = "\ud800";
  const NODE = { op: "literal", params: { hex: "00" }, inputs: [{ artifact: K }] };
  const EDGE = { edge_type: 7, from: ["1"], to: ["2"] };
  const INPUT = {
    segment_id: "1",
    logseq_min: "1",
    logseq_max: "2",
    asl_records: [{ logseq: "1", artifact_id: "5", type_tag: 3, tombstone: false }],
    tgk_records: [{ logseq: "2", tgk_edge_id: "9", edge_type_key: 4, role: 1, tombstone: false }],
    node_projections: false,
    filters: [{ kind: "bloom", domain: "asl" }],
  };
  const CI_BAD = ["CI_INVALID_ARGUMENT", ["STO-CUR-005"]] as const;
  const SI_BAD = ["SI_INVALID_NODE", ["IDX-SI-002"]] as const;
  interface Defect {
    name: string;
    edits: Edit[];
    /** Absent: PROTO_BAD_REQUEST, a shape defect. */
    value?: readonly [string, readonly string[]];
    rules?: string[];
    capabilities?: Capability[];
  }
  const shape = (name: string, ...edits: Edit[]): Defect => ({ name, edits });
  const bad = (value: readonly [string, readonly string[]], name: string, ...edits: Edit[]): Defect => ({
    name,
    edits,
    value,
  });
  const PROTO_VALUE = (rule: string) => ["PROTO_BAD_REQUEST", [rule]] as const;
  const AT_SHAPE = (at: Path): Defect[] => [
    { ...shape("at-missing-position", [[...at, "position"], DELETE]), rules: ["STO-CUR-005"] },
    { ...shape("at-extra-member", [[...at, "extra"], 0]), rules: ["STO-CUR-005"] },
    { ...shape("at-position-number", [[...at, "position"], 0]), rules: ["STO-CUR-005"] },
    { ...shape("at-a-string", [at, "CURRENT"]), rules: ["STO-CUR-005"] },
  ];
  const AT_VALUE = (at: Path): Defect[] => [
    bad(CI_BAD, "at-snapshot-short", [[...at, "snapshot"], "zz"]),
    bad(CI_BAD, "at-snapshot-uppercase", [[...at, "snapshot"], S.toUpperCase()]),
    bad(CI_BAD, "at-position-leading-zero", [[...at, "position"], "01"]),
    bad(CI_BAD, "at-position-above-u64", [[...at, "position"], U64_OVER]),
    bad(CI_BAD, "at-position-negative", [[...at, "position"], "-1"]),
  ];
  const NODE_DEFECTS = (node: Path, caps?: Capability[]): Defect[] =>
    [
      shape("node-missing-inputs", [[...node, "inputs"], DELETE]),
      shape("node-extra-member", [[...node, "extra"], 0]),
      shape("node-op-number", [[...node, "op"], 1]),
      shape("node-params-value-number", [[...node, "params", "hex"], 0]),
      shape("node-params-an-array", [[...node, "params"], []]),
      shape("node-inputs-an-object", [[...node, "inputs"], {}]),
      shape("node-input-unknown-member", [[...node, "inputs", 0], { blob: K }]),
      shape("node-input-sid-and-artifact", [[...node, "inputs", 0], { sid: K, artifact: K }]),
      shape("node-input-sid-number", [[...node, "inputs", 0], { sid: 1 }]),
      bad(SI_BAD, "node-input-sid-uppercase", [[...node, "inputs", 0], { sid: S.toUpperCase() }]),
      bad(SI_BAD, "node-input-artifact-short", [[...node, "inputs", 0, "artifact"], "ab"]),
      bad(SI_BAD, "node-op-lone-surrogate", [[...node, "op"], LONE]),
      bad(SI_BAD, "node-param-value-lone-surrogate", [[...node, "params", "hex"], `0${LONE}`]),
    ].map((d) => (caps ? { ...d, capabilities: caps } : d));
  const EDGE_DEFECTS = (edge: Path, rules: string[]): Defect[] => [
    shape("edge-missing-from", [[...edge, "from"], DELETE]),
    shape("edge-extra-member", [[...edge, "extra"], 0]),
    shape("edge-type-above-u32", [[...edge, "edge_type"], 4294967296]),
    shape("edge-type-negative", [[...edge, "edge_type"], -1]),
    shape("edge-type-a-string", [[...edge, "edge_type"], "7"]),
    shape("edge-from-item-number", [[...edge, "from", 0], 1]),
    shape("edge-to-a-string", [[...edge, "to"], "2"]),
    bad(["TGK_INVALID_EDGE", rules], "edge-from-item-above-u64", [[...edge, "from", 0], U64_OVER]),
    bad(["TGK_INVALID_EDGE", rules], "edge-to-item-leading-zero", [[...edge, "to", 0], "02"]),
    bad(["TGK_INVALID_EDGE", rules], "edge-from-item-negative", [[...edge, "from", 0], "-1"]),
  ];
  const U64_VALUE = (name: string, path: Path, rule: string): Defect[] => [
    bad(PROTO_VALUE(rule), `${name}-leading-zero`, [path, "01"]),
    bad(PROTO_VALUE(rule), `${name}-above-u64`, [path, U64_OVER]),
    bad(PROTO_VALUE(rule), `${name}-negative`, [path, "-1"]),
    bad(PROTO_VALUE(rule), `${name}-hex`, [path, "0x10"]),
    bad(PROTO_VALUE(rule), `${name}-empty`, [path, ""]),
  ];
  const B64_SHAPE = (name: string, path: Path): Defect[] => [
    shape(`${name}-url-alphabet`, [path, "AA-_"]),
    shape(`${name}-not-padded`, [path, "AAE"]),
    shape(`${name}-bad-padding`, [path, "AA=A"]),
  ];
  // label (the op, or op/kind for the filter operations), op, capabilities, the shape rule, base args, defects
  const table: [string, OpName, Capability[], string, Record<string, unknown>, Defect[]][] = [
    [
      "ci.put",
      "ci.put",
      ["content-index"],
      "IDX-CI-001",
      { key: K, location: { block_id: "0", offset: "0", length: "4" }, type_tag: 7 },
      [
        shape("location-missing-length", [["location", "length"], DELETE]),
        shape("location-extra-member", [["location", "extra"], 0]),
        shape("location-offset-number", [["location", "offset"], 0]),
        shape("type-tag-above-u32", [["type_tag"], 4294967296]),
        shape("type-tag-negative", [["type_tag"], -1]),
        shape("type-tag-fraction", [["type_tag"], 1.5]),
        bad(CI_BAD, "key-uppercase", [["key"], K.toUpperCase()]),
        bad(CI_BAD, "key-63-digits", [["key"], K.slice(1)]),
        bad(CI_BAD, "location-offset-leading-zero", [["location", "offset"], "01"]),
        bad(CI_BAD, "location-length-above-u64", [["location", "length"], U64_OVER]),
        bad(CI_BAD, "location-block-id-negative", [["location", "block_id"], "-1"]),
        // Shape before values: the first failure is the answer.
        shape("type-tag-above-u32-and-key-uppercase", [["type_tag"], 4294967296], [["key"], K.toUpperCase()]),
      ],
    ],
    [
      "ci.tombstone",
      "ci.tombstone",
      ["content-index"],
      "IDX-CI-006",
      { key: K },
      [
        bad(CI_BAD, "key-not-hex", [["key"], "not-a-key"]),
        bad(CI_BAD, "key-uppercase", [["key"], K.toUpperCase()]),
      ],
    ],
    [
      "ci.lookup",
      "ci.lookup",
      ["content-index"],
      "STO-CUR-002",
      { key: K, at: { snapshot: S, position: "0" } },
      [bad(CI_BAD, "key-uppercase", [["key"], K.toUpperCase()]), ...AT_SHAPE(["at"]), ...AT_VALUE(["at"])],
    ],
    ["ci.current", "ci.current", ["content-index"], "STO-CUR-002", {}, []],
    ["ci.snapshot", "ci.snapshot", ["content-index"], "STO-SNAP-006", {}, []],
    [
      "ci.install",
      "ci.install",
      ["content-index"],
      "STO-SNAP-007",
      { snapshot: S },
      [
        bad(CI_BAD, "snapshot-uppercase", [["snapshot"], S.toUpperCase()]),
        bad(CI_BAD, "snapshot-65-digits", [["snapshot"], `${S}0`]),
      ],
    ],
    [
      "ci.retire",
      "ci.retire",
      ["snapshot-retire"],
      "STO-RET-001",
      { snapshot: S },
      [
        bad(["CI_INVALID_ARGUMENT", ["STO-RET-001", "STO-CUR-005"]], "snapshot-uppercase", [
          ["snapshot"],
          S.toUpperCase(),
        ]),
        bad(["CI_INVALID_ARGUMENT", ["STO-RET-001", "STO-CUR-005"]], "snapshot-empty", [["snapshot"], ""]),
      ],
    ],
    [
      "ci.digest",
      "ci.digest",
      ["state-digest"],
      "STO-DIG-001",
      { at: { snapshot: S, position: "0" } },
      [...AT_SHAPE(["at"]), ...AT_VALUE(["at"])],
    ],
    [
      "store.put",
      "store.put",
      ["store"],
      "IDX-PUT-001",
      { bytes: "AAECAw==", type_tag: 7, structure: null },
      [
        ...B64_SHAPE("bytes", ["bytes"]),
        shape("type-tag-above-u32", [["type_tag"], 4294967296]),
        shape("type-tag-negative", [["type_tag"], -1]),
        shape("structure-a-string", [["structure"], "literal"]),
        ...NODE_DEFECTS(["structure"], ["store", "structural-index"]).map((d) =>
          d.value ? d : { ...d, rules: ["IDX-PUT-001", "IDX-SI-001"] },
        ),
        // Shape before values.
        {
          ...shape(
            "bytes-not-padded-and-structure-sid-uppercase",
            [["bytes"], "AAE"],
            [["structure", "inputs", 0], { sid: S.toUpperCase() }],
          ),
          capabilities: ["store", "structural-index"] as Capability[],
        },
      ].map((d) =>
        d.edits.some(([p]) => p[0] === "structure" && p.length > 1)
          ? { ...d, edits: [[["structure"], NODE] as Edit, ...d.edits] }
          : d,
      ),
    ],
    [
      "store.get",
      "store.get",
      ["store"],
      "IDX-GET-001",
      { key: K, at: { snapshot: S, position: "0" } },
      [bad(CI_BAD, "key-uppercase", [["key"], K.toUpperCase()]), ...AT_SHAPE(["at"]), ...AT_VALUE(["at"])],
    ],
    ["store.reopen", "store.reopen", ["store"], "STO-REC-001", {}, []],
    // DEC-041: a directory that is not an absolute path is a value the store refuses, before any effect.
    [
      "store.open",
      "store.open",
      ["durability"],
      "STO-REC-003",
      { dir: "/nonexistent/asl-conform/store-open" },
      [
        bad(["CI_INVALID_ARGUMENT", ["STO-REC-003"]], "dir-relative", [["dir"], "relative/dir"]),
        bad(["CI_INVALID_ARGUMENT", ["STO-REC-003"]], "dir-empty", [["dir"], ""]),
      ],
    ],
    [
      "si.register",
      "si.register",
      ["structural-index"],
      "IDX-SI-001",
      { node: NODE },
      NODE_DEFECTS(["node"]),
    ],
    [
      "si.get",
      "si.get",
      ["structural-index"],
      "IDX-SI-001",
      { sid: S },
      [
        bad(PROTO_VALUE("IDX-SI-001"), "sid-uppercase", [["sid"], S.toUpperCase()]),
        bad(PROTO_VALUE("IDX-SI-001"), "sid-short", [["sid"], "cd"]),
      ],
    ],
    ["si.entries", "si.entries", ["structural-index"], "IDX-SI-001", {}, []],
    [
      "si.rebuild",
      "si.rebuild",
      ["structural-index"],
      "IDX-SI-003",
      { nodes: [NODE] },
      [
        shape("nodes-item-a-number", [["nodes", 0], 1]),
        shape("nodes-item-extra-member", [["nodes", 0, "extra"], 0]),
        shape("nodes-item-missing-params", [["nodes", 0, "params"], DELETE]),
        bad(SI_BAD, "nodes-item-input-sid-short", [["nodes", 0, "inputs", 0], { sid: "cd" }]),
        bad(SI_BAD, "nodes-item-op-lone-surrogate", [["nodes", 0, "op"], `lit${LONE}`]),
      ],
    ],
    [
      "mc.get",
      "mc.get",
      ["materialization-cache"],
      "IDX-MC-001",
      { sid: S },
      [
        bad(PROTO_VALUE("IDX-MC-001"), "sid-uppercase", [["sid"], S.toUpperCase()]),
        bad(PROTO_VALUE("IDX-MC-001"), "sid-65-digits", [["sid"], `${S}0`]),
      ],
    ],
    ["mc.entries", "mc.entries", ["materialization-cache"], "IDX-MC-001", {}, []],
    ["mc.drop", "mc.drop", ["materialization-cache"], "IDX-MC-002", {}, []],
    [
      "mc.recompute",
      "mc.recompute",
      ["materialization-cache"],
      "IDX-MC-003",
      { at: { snapshot: S, position: "0" } },
      [...AT_SHAPE(["at"]), ...AT_VALUE(["at"])],
    ],
    [
      "seg.decode",
      "seg.decode",
      ["segment-decode"],
      "ATXI-DEC-002",
      { bytes: "AAAA" },
      B64_SHAPE("bytes", ["bytes"]),
    ],
    [
      "seg.encode",
      "seg.encode",
      ["segment-encode"],
      "ATXI-ENC-001",
      { input: INPUT },
      [
        shape("input-missing-segment-id", [["input", "segment_id"], DELETE]),
        shape("input-missing-tgk-records", [["input", "tgk_records"], DELETE]),
        shape("input-extra-member", [["input", "extra"], 0]),
        shape("input-node-projections-a-string", [["input", "node_projections"], "true"]),
        shape("asl-record-missing-tombstone", [["input", "asl_records", 0, "tombstone"], DELETE]),
        shape("asl-record-type-tag-above-u32", [["input", "asl_records", 0, "type_tag"], 4294967296]),
        shape("asl-record-extra-member", [["input", "asl_records", 0, "flags"], 0]),
        shape("tgk-record-role-above-u8", [["input", "tgk_records", 0, "role"], 256]),
        shape("tgk-record-edge-type-key-negative", [["input", "tgk_records", 0, "edge_type_key"], -1]),
        shape("tgk-record-tombstone-a-number", [["input", "tgk_records", 0, "tombstone"], 0]),
        shape("filter-kind-not-in-enum", [["input", "filters", 0, "kind"], "cuckoo"]),
        shape("filter-domain-not-in-enum", [["input", "filters", 0, "domain"], "edge"]),
        shape("edges-item-extra-member", [["input", "edges"], [{ ...EDGE, extra: 0 }]]),
        ...U64_VALUE("segment-id", ["input", "segment_id"], "ATXI-ENC-001"),
        bad(PROTO_VALUE("ATXI-ENC-001"), "asl-record-artifact-id-above-u64", [
          ["input", "asl_records", 0, "artifact_id"],
          U64_OVER,
        ]),
        bad(PROTO_VALUE("ATXI-ENC-001"), "tgk-record-logseq-leading-zero", [
          ["input", "tgk_records", 0, "logseq"],
          "02",
        ]),
        // DEC-035: with node_projections true every edge is checked; a node id above 2^64 - 1 is
        // TGK_INVALID_EDGE (DEC-033: inside an edge).
        bad(
          ["TGK_INVALID_EDGE", ["ATXI-ENC-001", "ATXI-INV-002"]],
          "edge-node-above-u64-with-projections",
          [["input", "node_projections"], true],
          [["input", "edges"], [{ edge_type: null, from: [U64_OVER], to: [] }]],
        ),
        // DEC-035 leaves the edges unused without projections, but their values are still request values
        // (DEC-033): a node id above 2^64 - 1 is TGK_INVALID_EDGE either way.
        bad(
          ["TGK_INVALID_EDGE", ["ATXI-ENC-001", "ATXI-INV-002"]],
          "edge-node-above-u64-without-projections",
          [["input", "node_projections"], false],
          [["input", "edges"], [{ edge_type: null, from: [U64_OVER], to: [] }]],
        ),
        // DEC-033: values are checked in the order the protocol lists the members: segment_id comes first.
        bad(
          PROTO_VALUE("ATXI-ENC-001"),
          "segment-id-and-edge-node-both-bad",
          [["input", "segment_id"], "01"],
          [["input", "node_projections"], true],
          [["input", "edges"], [{ edge_type: null, from: [U64_OVER], to: [] }]],
        ),
      ],
    ],
    [
      "seg.query",
      "seg.query",
      ["segment-query"],
      "ATXI-VIS-002",
      { segments: ["AAAA"], use_filters: true, queries: [{ kind: "artifact", artifact_id: "1", at: "1" }] },
      [
        ...B64_SHAPE("segments-item", ["segments", 0]),
        shape("segments-item-number", [["segments", 0], 1]),
        shape("query-kind-unknown", [["queries", 0, "kind"], "segment"]),
        shape("query-extra-member", [["queries", 0, "extra"], 0]),
        shape("query-missing-at", [["queries", 0, "at"], DELETE]),
        shape("query-at-number", [["queries", 0, "at"], 1]),
        shape("query-artifact-with-role", [["queries", 0, "role"], "any"]),
        shape("incident-query-role-not-in-enum", [
          ["queries", 0],
          { kind: "incident", node_id: "1", role: "both", at: "1" },
        ]),
        // DEC-033: a query's values are request values: a malformed one refuses the whole request, before
        // the set is even opened (the one segment here would not decode).
        bad(PROTO_VALUE("ATXI-VIS-002"), "query-artifact-id-above-u64", [
          ["queries", 0, "artifact_id"],
          U64_OVER,
        ]),
        bad(PROTO_VALUE("ATXI-VIS-002"), "query-at-leading-zero", [["queries", 0, "at"], "01"]),
      ],
    ],
    ...(["bloom", "xor8"] as const).flatMap(
      (kind): [string, OpName, Capability[], string, Record<string, unknown>, Defect[]][] => {
        const cap: Capability = kind === "bloom" ? "filter-bloom" : "filter-xor";
        const rule = kind === "bloom" ? "ATXI-FLT-007" : "ATXI-FLT-008";
        return [
          [
            `filter.build/${kind}`,
            "filter.build",
            [cap],
            rule,
            { kind, keys: ["1", "2"] },
            [
              shape("kind-not-in-enum", [["kind"], "cuckoo"]),
              shape("kind-other-case", [["kind"], kind.toUpperCase()]),
              shape("keys-item-number", [["keys", 0], 1]),
              ...U64_VALUE("keys-item", ["keys", 0], rule),
            ],
          ],
          [
            `filter.probe/${kind}`,
            "filter.probe",
            [cap],
            rule,
            {
              kind,
              payload: b64(kind === "bloom" ? bloomOf(["1", "2"]) : xor8Of(["1", "2"])),
              keys: ["1", "3"],
            },
            [
              shape("kind-not-in-enum", [["kind"], "cuckoo"]),
              ...B64_SHAPE("payload", ["payload"]),
              shape("keys-item-number", [["keys", 1], 3]),
              ...U64_VALUE("keys-item", ["keys", 1], rule),
              // DEC-033 before DEC-035: a malformed key is answered before a payload the reader would refuse.
              bad(PROTO_VALUE(rule), "bad-key-and-bad-payload", [["keys", 1], "03"], [["payload"], "AAAA"]),
            ],
          ],
        ];
      },
    ),
    [
      "tgk.edge_id",
      "tgk.edge_id",
      ["tgk-edges"],
      "ATXI-INV-002",
      { edge: EDGE },
      EDGE_DEFECTS(["edge"], ["ATXI-INV-002"]),
    ],
    [
      "tgk.project",
      "tgk.project",
      ["node-projections"],
      "ATXI-NPR-002",
      { edge: EDGE, logseq: "1" },
      [
        ...EDGE_DEFECTS(["edge"], ["ATXI-INV-002", "ATXI-NPR-002"]),
        ...U64_VALUE("logseq", ["logseq"], "ATXI-NPR-002"),
      ],
    ],
    [
      "shard.assign",
      "shard.assign",
      ["sharding"],
      "ATXI-SHD-001",
      { key: "1", shards: 7 },
      [
        shape("shards-0", [["shards"], 0]),
        shape("shards-above-u32", [["shards"], 4294967296]),
        shape("shards-negative", [["shards"], -1]),
        shape("shards-fraction", [["shards"], 2.5]),
        ...U64_VALUE("key", ["key"], "ATXI-SHD-001"),
        // Shape before values.
        shape("shards-0-and-key-leading-zero", [["shards"], 0], [["key"], "01"]),
      ],
    ],
  ];
  const covered = new Set(table.map(([, op]) => op));
  for (const cap of CAPABILITIES)
    for (const op of CAPABILITY_OPERATIONS[cap])
      if (!covered.has(op as OpName)) throw new Error(`vectors: no malformed request for ${op} (${cap})`);
  for (const [label, op, capabilities, rule, base, defects] of table) {
    const generic: Defect[] = [
      ...requiredOf(op).map((m) => shape(`missing-${kebab(m)}`, [[m], DELETE])),
      ...Object.entries(base).map(([m, v]) => ({
        ...shape(`${kebab(m)}-wrong-type`, [[m], wrongType(v)]),
        ...(m === "at" ? { rules: ["STO-CUR-005"] } : {}),
      })),
      shape("extra-member", [["extra"], 0]),
    ];
    for (const d of [...generic, ...defects]) {
      const [want, valueRules] = d.value ?? ["PROTO_BAD_REQUEST", undefined];
      await request(
        `request-${d.value ? "value" : "shape"}/${kebab(label)}/${kebab(d.name)}`,
        op,
        edited(base, d.edits),
        [...(d.rules ?? valueRules ?? [rule])],
        d.capabilities ?? capabilities,
        want,
      );
    }
  }
  // DEC-033 step 2: an op this protocol does not have is PROTO_BAD_REQUEST, for whatever capability.
  const unknownOps: Record<Capability, string> = {
    "content-index": "ci.merge",
    "state-digest": "ci.digests",
    "snapshot-retire": "ci.unretire",
    store: "store.delete",
    durability: "store.close",
    "structural-index": "si.remove",
    "materialization-cache": "mc.put",
    "segment-decode": "seg.verify",
    "segment-encode": "seg.append",
    "segment-query": "seg.scan",
    "filter-bloom": "filter.merge",
    "filter-xor": "filter.merge",
    "tgk-edges": "tgk.edge_ids",
    "node-projections": "tgk.incident",
    sharding: "shard.split",
  };
  // The rule a capability's protocol obligations are named after, when no operation's rule fits: DEC-033's
  // own rule where the capability has one (STO-CUR-005, IDX-SI-002, ATXI-INV-002), else the capability's
  // central rule (harness/checks/batch.ts names the same ones).
  const capabilityRule: Record<Capability, string> = {
    "content-index": "STO-CUR-005",
    "state-digest": "STO-DIG-001",
    "snapshot-retire": "STO-RET-001",
    store: "IDX-PUT-001",
    durability: "STO-REC-003",
    "structural-index": "IDX-SI-002",
    "materialization-cache": "IDX-MC-001",
    "segment-decode": "ATXI-DEC-002",
    "segment-encode": "ATXI-ENC-001",
    "segment-query": "ATXI-VIS-002",
    "filter-bloom": "ATXI-FLT-007",
    "filter-xor": "ATXI-FLT-008",
    "tgk-edges": "ATXI-INV-002",
    "node-projections": "ATXI-NPR-002",
    sharding: "ATXI-SHD-001",
  };
  for (const cap of CAPABILITIES)
    await request(
      `request-shape/unknown-op/${cap}`,
      unknownOps[cap],
      {},
      [capabilityRule[cap]],
      [cap],
      "PROTO_BAD_REQUEST",
    );
  // A well-formed request of each capability that has none among the units above, so that its batch check
  // (harness/checks/batch.ts) carries a request answered otherwise than PROTO_BAD_REQUEST.
  await request(
    "seg-decode/empty-bytes",
    "seg.decode",
    { bytes: "" },
    ["ATXI-FTR-003", "ATXI-DEC-002"],
    ["segment-decode"],
    "SEG_TRUNCATED",
  );
  await request(
    "seg-query/no-segments",
    "seg.query",
    {
      segments: [],
      use_filters: true,
      queries: [
        { kind: "artifact", artifact_id: "1", at: "0" },
        { kind: "edge", tgk_edge_id: "18446744073709551615", at: "18446744073709551615" },
        { kind: "incident", node_id: "1", role: "any", at: "1" },
      ],
    },
    ["ATXI-VIS-001"],
    ["segment-query"],
  );
  // The cases written to kill what the adequacy run found alive (authoring/cases/adequacy/).
  await adequacySegmentUnits(request);
  await adequacyQueryUnits(request);
  await adequacyStateUnits(request);
  await adequacyDerivedUnits(request);
  await adequacyFilterUnits(request);
  await adequacyContentIndexUnits(request);
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
