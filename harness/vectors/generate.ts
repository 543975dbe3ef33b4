// asl-conform vectors generate: writes every golden vector under vectors/, byte for byte the same on
// every machine (fixed seeds, no timestamps, canonical JSON with sorted keys). Cases come from the
// reference engine's generators (reference/segment/vectors.ts, reference/traces/generate.ts) and are
// written in the protocol's wire form (spec/protocol.md), so an implementation in any language can read
// them without this code. Expected answers are computed by the reference adapter's own handlers, the same
// code an implementation's answers are compared against.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Capability, Edge, OpName, Query, SegmentInput as WireInput } from "../../adapters/interface.ts";
import { PROFILE } from "../../adapters/interface.ts";
import { createReferenceImplementation } from "../../adapters/reference/index.ts";
import { decodedWire, segmentHandlers } from "../../adapters/reference/segments.ts";
import { argsFromWire, toWire } from "../../adapters/wire.ts";
import { sha256, toHex } from "../../reference/common/hash.ts";
import { splitmix64 } from "../../reference/filters/mix.ts";
import { decodeSegment } from "../../reference/segment/decode.ts";
import type { SegmentInput as RefInput } from "../../reference/segment/encode.ts";
import { generateSegmentVectors, type QueryCase } from "../../reference/segment/vectors.ts";
import { EDGES, validInputs, visibilitySet } from "../../reference/segment/vectors-valid.ts";
import { generateTraces } from "../../reference/traces/generate.ts";
import { SPEC_DIR, schemaId, schemaValidator } from "../catalog/load.ts";
import type { RegressionCase } from "../checks/regressions.ts";

export interface VectorFile {
  /** Path relative to vectors/. */
  path: string;
  bytes: Uint8Array;
}

/** One entry of vectors/index.json: a check the vector files define. */
export interface IndexEntry {
  id: string;
  file: string;
  case: string;
  rules: string[];
  capabilities: Capability[];
}

export const INDEX_SCHEMA = "asl-conformance/vectors-index/1";

/** JSON with sorted keys and two-space indentation: one text per value. */
export function canonicalJsonText(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x !== null && typeof x === "object" && !(x instanceof Uint8Array)) {
      const o = x as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .filter((k) => o[k] !== undefined)
          .sort()
          .map((k) => [k, sort(o[k])]),
      );
    }
    return x;
  };
  return `${JSON.stringify(sort(toWire(v)), null, 2)}\n`;
}

const text = (s: string) => new TextEncoder().encode(s);
const pad = (n: number) => String(n).padStart(4, "0");
const DECODE_RULES = ["ATXI-LAY-001", "ATXI-DEC-001"];

/** The protocol encoder input for a reference input, when the protocol can express it. */
function wireInput(i: RefInput): WireInput | undefined {
  if (i.accelBlocks?.length || i.nodeRefs || i.sort === false) return undefined;
  if ((i.filters ?? []).some((f) => !("build" in f))) return undefined;
  const edges =
    i.edges === undefined
      ? undefined
      : [
          ...(i.edges instanceof Map
            ? i.edges.values()
            : (i.edges as Iterable<import("../../reference/tgk/edge.ts").Edge>)),
        ];
  const domain = { 1: "asl", 2: "tgk", 3: "node" } as const;
  return {
    segment_id: i.segmentId.toString(),
    logseq_min: i.logseqMin.toString(),
    logseq_max: i.logseqMax.toString(),
    asl_records: (i.aslRecords ?? []).map((r) => ({
      logseq: r.logseq.toString(),
      artifact_id: r.artifactId.toString(),
      type_tag: r.typeTag ?? null,
      tombstone: r.tombstone,
    })),
    tgk_records: (i.tgkRecords ?? []).map((r) => ({
      logseq: r.logseq.toString(),
      tgk_edge_id: r.tgkEdgeId.toString(),
      edge_type_key: r.edgeTypeKey ?? null,
      role: r.role,
      tombstone: r.tombstone,
    })),
    edges: (edges ?? []).map(edgeWire),
    node_projections: edges !== undefined,
    filters: (i.filters ?? []).map((f) => ({
      kind: (f as { build: "bloom" | "xor8" }).build,
      domain: domain[(f as { domain: 1 | 2 | 3 }).domain],
    })),
  };
}

function edgeWire(e: import("../../reference/tgk/edge.ts").Edge): Edge {
  return { edge_type: e.edgeType ?? null, from: e.from.map(String), to: e.to.map(String) };
}

function wireQuery(q: QueryCase): Query {
  if (q.op === "artifact") return { kind: "artifact", artifact_id: q.key, at: q.s };
  if (q.op === "edge") return { kind: "edge", tgk_edge_id: q.key, at: q.s };
  return { kind: "incident", node_id: q.key, role: q.role ?? "any", at: q.s };
}

/** Expected answers, by the reference handlers, with filters used; the generator checked they equal the unfiltered ones. */
function expectedAnswers(
  segments: Uint8Array[],
  queries: Query[],
): { open_error?: { code: string; stage: "query" }; answers: unknown[] } {
  try {
    const on = segmentHandlers["seg.query"]({ segments, use_filters: true, queries }).answers;
    const off = segmentHandlers["seg.query"]({ segments, use_filters: false, queries }).answers;
    if (canonicalJsonText(on) !== canonicalJsonText(off))
      throw new Error("vectors: filters changed an answer");
    return { answers: on };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!code) throw e;
    return { open_error: { code, stage: "query" }, answers: [] };
  }
}

function* keysFrom(seed: bigint, n: number): Generator<bigint> {
  const g = splitmix64(seed);
  for (let i = 0; i < n; i++) yield g.next().value as bigint;
}

/** Where shrunk counterexamples saved by `run --save-regressions` are kept to become vectors. */
export const REGRESSIONS_DIR = join(SPEC_DIR, "regressions");

export async function generateVectors(opts: { regressionsDir?: string } = {}): Promise<VectorFile[]> {
  const files: VectorFile[] = [];
  const index: IndexEntry[] = [];
  const suite = generateSegmentVectors();
  const inputs = new Map<string, RefInput>(
    [...validInputs(), ...visibilitySet().members].map((v) => [v.name, v.input]),
  );

  // --- single segments: valid (decode, encode, query) and malformed (decode must refuse with one code)
  const fileOf = new Map<string, string>();
  const idOf = new Map<string, string>();
  const segCases: unknown[] = [];
  for (const c of suite.segments) {
    const id = `seg-${pad(c.tcId)}`;
    const file = `segments/${c.name}.atxi`;
    fileOf.set(c.name, file);
    idOf.set(c.name, id);
    files.push({ path: file, bytes: c.bytes });
    const encode = inputs.has(c.name) ? wireInput(inputs.get(c.name)!) : undefined;
    const queries = c.queries.map(wireQuery);
    const expected = queries.length ? expectedAnswers([c.bytes], queries) : { answers: [] };
    const checks: string[] = [];
    const add = (aspect: string, rules: string[], caps: Capability[]) => {
      const checkId = `vec/${id}/${aspect}`;
      checks.push(checkId);
      index.push({
        id: checkId,
        file: "segments/manifest.json",
        case: id,
        rules: [...new Set(rules)].sort(),
        capabilities: caps,
      });
    };
    add("decode", [...c.rules, ...DECODE_RULES], ["segment-decode"]);
    if (encode)
      add(
        "encode",
        [...c.rules, "ATXI-ENC-001", "ATXI-INV-008", "ATXI-FLT-004"].filter((r) => !r.startsWith("ATXI-DEC")),
        ["segment-encode"],
      );
    if (queries.length)
      add(
        "query",
        [
          ...c.rules.filter((r) => /VIS|FLT-003|INV-00[13]|NPR-005|HDR-007/.test(r)),
          "ATXI-VIS-002",
          "ATXI-FLT-003",
        ],
        ["segment-query"],
      );
    segCases.push({
      id,
      name: c.name,
      comment: c.comment,
      rules: c.rules,
      flags: c.flags,
      result: "valid",
      file,
      size: c.bytes.length,
      sha256: toHex(sha256(c.bytes)),
      decoded: decodedWire(decodeSegment(c.bytes).toSegment()),
      encode: encode ?? null,
      queries: queries.map((q, i) => ({ query: q, expected: expected.answers[i] })),
      checks,
    });
  }
  for (const c of suite.malformed) {
    const id = `seg-${pad(c.tcId)}`;
    const file = `segments/malformed/${c.name}.atxi`;
    files.push({ path: file, bytes: c.bytes });
    const checkId = `vec/${id}/reject`;
    index.push({
      id: checkId,
      file: "segments/manifest.json",
      case: id,
      rules: [...new Set([...c.rules, "ATXI-DEC-001"])].sort(),
      capabilities: ["segment-decode"],
    });
    segCases.push({
      id,
      name: c.name,
      comment: c.comment,
      rules: c.rules,
      flags: c.flags,
      result: "invalid",
      file,
      size: c.bytes.length,
      sha256: toHex(sha256(c.bytes)),
      derived_from: { case: idOf.get(c.derivedFrom) ?? c.derivedFrom, name: c.derivedFrom },
      mutations: c.mutations,
      expected_error: c.expected,
      checks: [checkId],
    });
  }
  const notes = Object.fromEntries(
    Object.entries(suite.notes).map(([k, v]) => [k, { bug_type: v.bugType, description: v.description }]),
  );
  files.push({
    path: "segments/manifest.json",
    bytes: text(
      canonicalJsonText({
        schema: "asl-conformance/segment-vectors/1",
        schema_file: "spec/schemas/vectors.schema.json",
        profile: PROFILE,
        generator: "asl-conform vectors generate",
        number_of_cases: segCases.length,
        notes,
        cases: segCases,
      }),
    ),
  });

  // --- sets of segments: visibility across segments at many S, and the QRY_* errors
  const setCases = suite.sets.map((c) => {
    const id = `set-${pad(c.tcId)}`;
    const members = c.members.map((m) => {
      const f = fileOf.get(m);
      if (!f) throw new Error(`vectors: set ${c.name} names unknown segment ${m}`);
      return f;
    });
    const bytes = c.members.map((m) => suite.segments.find((s) => s.name === m)!.bytes);
    const queries = c.queries.map(wireQuery);
    const exp = expectedAnswers(bytes, queries);
    const checkId = `vec/${id}/query`;
    index.push({
      id: checkId,
      file: "sets/manifest.json",
      case: id,
      rules: [...new Set(c.rules)].sort(),
      capabilities: ["segment-query"],
    });
    return {
      id,
      name: c.name,
      comment: c.comment,
      rules: c.rules,
      flags: c.flags,
      members,
      ...(exp.open_error ? { open_error: exp.open_error } : {}),
      queries: queries.map((q, i) => ({ query: q, expected: exp.answers[i] })),
      checks: [checkId],
    };
  });
  files.push({
    path: "sets/manifest.json",
    bytes: text(
      canonicalJsonText({
        schema: "asl-conformance/set-vectors/1",
        schema_file: "spec/schemas/vectors.schema.json",
        profile: PROFILE,
        generator: "asl-conform vectors generate",
        number_of_cases: setCases.length,
        cases: setCases,
      }),
    ),
  });

  // --- units: edge ids, projections, shard assignment, filter builds and probes
  const units: {
    id: string;
    op: string;
    args: unknown;
    setup?: { op: OpName; args: unknown }[];
    expected: unknown;
    rules: string[];
    capabilities: Capability[];
  }[] = [];
  const unit = (op: string, args: unknown, rules: string[], capabilities: Capability[]) => {
    const handler = segmentHandlers[op as keyof typeof segmentHandlers] as (a: unknown) => unknown;
    let expected: unknown;
    try {
      expected = { ok: handler(args) };
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (!code) throw e;
      expected = { error: code };
    }
    const id = `unit-${pad(units.length + 1)}`;
    units.push({ id, op, args, expected, rules, capabilities });
    index.push({ id: `vec/${id}`, file: "units/manifest.json", case: id, rules, capabilities });
  };
  const edges: Edge[] = [
    ...Object.values(EDGES).map(edgeWire),
    { edge_type: 7, from: ["1"], to: ["2"] },
    { edge_type: null, from: ["1"], to: ["2"] },
    { edge_type: null, from: ["2", "1"], to: [] },
    { edge_type: null, from: [], to: ["18446744073709551615", "9007199254740993"] },
    { edge_type: null, from: ["5"], to: ["5"] },
  ];
  for (const e of edges) unit("tgk.edge_id", { edge: e }, ["ATXI-INV-002", "ATXI-INV-003"], ["tgk-edges"]);
  for (const e of [
    { edge_type: null, from: [], to: [] },
    { edge_type: null, from: ["3", "3"], to: [] },
  ])
    unit("tgk.edge_id", { edge: e }, ["ATXI-INV-002"], ["tgk-edges"]);
  for (const [i, e] of edges.entries())
    unit(
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
    for (const key of shardKeys) unit("shard.assign", { key, shards: n }, ["ATXI-SHD-001"], ["sharding"]);
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
      unit("filter.build", { kind, keys }, [rule, "ATXI-FLT-004"], [cap]);
      const payload = segmentHandlers["filter.build"]({ kind, keys }).payload;
      const probes = [...keys.slice(0, 50), ...[...keysFrom(seed + 1000n, 200)].map(String)];
      unit("filter.probe", { kind, payload, keys: probes }, [rule, "ATXI-FLT-002"], [cap]);
    }
  }
  // Operations that need a state first (setup calls whose answers are not compared), with the expected
  // answer computed by a fresh reference implementation: the error codes only a sequence reaches.
  const sequence = async (
    setup: { op: OpName; args: unknown }[],
    op: OpName,
    args: unknown,
    rules: string[],
    capabilities: Capability[],
  ) => {
    const impl = createReferenceImplementation();
    await impl.reset();
    try {
      for (const c of setup) await impl.handle(c.op, c.args as never);
      let expected: unknown;
      try {
        expected = { ok: JSON.parse(JSON.stringify(toWire(await impl.handle(op, args as never)))) };
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (!code) throw e;
        expected = { error: code };
      }
      const id = `unit-${pad(units.length + 1)}`;
      units.push({ id, op, args, expected, rules, capabilities, ...(setup.length ? { setup } : {}) });
      index.push({ id: `vec/${id}`, file: "units/manifest.json", case: id, rules, capabilities });
    } finally {
      await impl.close?.();
    }
  };
  const sidOf = (n: number) => n.toString(16).padStart(2, "0").repeat(32);
  await sequence(
    [],
    "si.register",
    { node: { op: "concat", params: {}, inputs: [{ sid: sidOf(0x11) }] } },
    ["IDX-SI-001"],
    ["structural-index"],
  );
  await sequence(
    [],
    "si.register",
    { node: { op: "literal", params: { hex: "00" }, inputs: [{ artifact: "not-a-key" }] } },
    ["IDX-SI-002"],
    ["structural-index"],
  );
  await sequence(
    [{ op: "si.register", args: { node: { op: "literal", params: { hex: "00" }, inputs: [] } } }],
    "si.register",
    { node: { op: "concat", params: {}, inputs: [{ sid: "4c8f1f3d2b" }] } },
    ["IDX-SI-002"],
    ["structural-index"],
  );
  await sequence(
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
  await sequence([], "store.get", { key: sidOf(0x77), at: null }, ["IDX-GET-002"], ["store"]);

  files.push({
    path: "units/manifest.json",
    bytes: text(
      canonicalJsonText({
        schema: "asl-conformance/unit-vectors/1",
        schema_file: "spec/schemas/vectors.schema.json",
        profile: PROFILE,
        generator: "asl-conform vectors generate",
        number_of_cases: units.length,
        cases: units,
      }),
    ),
  });

  // --- semantic traces
  const traces = await generateTraces();
  const traceCases = traces.map((t) => {
    const file = `traces/${t.id}.json`;
    const body = text(canonicalJsonText(t));
    files.push({ path: file, bytes: body });
    const caps: Capability[] = t.target === "store" ? ["store", "content-index"] : ["content-index"];
    index.push({ id: `trace/${t.id}`, file, case: t.id, rules: [...t.rules].sort(), capabilities: caps });
    return {
      id: t.id,
      title: t.title,
      target: t.target,
      rules: t.rules,
      file,
      steps: t.steps.length,
      sha256: toHex(sha256(body)),
    };
  });
  files.push({
    path: "traces/manifest.json",
    bytes: text(
      canonicalJsonText({
        schema: "asl-conformance/trace-vectors/1",
        schema_file: "spec/schemas/trace.schema.json",
        profile: PROFILE,
        generator: "asl-conform vectors generate",
        number_of_cases: traceCases.length,
        cases: traceCases,
      }),
    ),
  });

  // --- regressions: saved counterexamples (spec/regressions/*.json), their expectations recomputed
  const regDir = opts.regressionsDir ?? REGRESSIONS_DIR;
  for (const name of existsSync(regDir)
    ? readdirSync(regDir)
        .filter((f) => f.endsWith(".json"))
        .sort()
    : []) {
    const source = JSON.parse(readFileSync(join(regDir, name), "utf8")) as RegressionCase;
    const v = schemaValidator().getSchema(`${schemaId("vectors.schema.json")}#/$defs/regression`);
    if (v && !v(source))
      throw new Error(
        `${join(regDir, name)} is not a regression case: ${v.errors?.[0]?.instancePath} ${v.errors?.[0]?.message}`,
      );
    const impl = createReferenceImplementation();
    await impl.reset();
    const calls = [];
    try {
      for (const c of source.calls) {
        let expected: RegressionCase["calls"][number]["expected"];
        try {
          expected = {
            ok: JSON.parse(
              JSON.stringify(
                toWire(
                  await impl.handle(
                    c.op as OpName,
                    argsFromWire(c.op, c.args as Record<string, unknown>) as never,
                  ),
                ),
              ),
            ),
          };
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (!code) throw e;
          expected = { error: code };
        }
        calls.push({ op: c.op, args: c.args, expected });
      }
    } finally {
      await impl.close?.();
    }
    const file = `regressions/${name}`;
    const body: RegressionCase = { ...source, calls };
    files.push({ path: file, bytes: text(canonicalJsonText(body)) });
    const id = `reg-${name.replace(/\.json$/, "")}`;
    index.push({
      id: `vec/${id}`,
      file,
      case: id,
      rules: [...source.rules].sort(),
      capabilities: source.capabilities,
    });
  }

  // --- the index: every check the files define, and every file with its hash
  const listed = files
    .map((f) => ({ path: f.path, size: f.bytes.length, sha256: toHex(sha256(f.bytes)) }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  index.sort((a, b) => (a.id < b.id ? -1 : 1));
  files.push({
    path: "index.json",
    bytes: text(
      canonicalJsonText({
        schema: INDEX_SCHEMA,
        schema_file: "spec/schemas/vectors.schema.json",
        profile: PROFILE,
        generator: "asl-conform vectors generate",
        number_of_checks: index.length,
        checks: index,
        files: listed,
      }),
    ),
  });
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
