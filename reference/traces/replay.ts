// Runs a trace's steps against an engine and compares what it observes with what the trace expects.
// The generator records its expectations through the same `execute`, so a trace and its replay can
// never disagree about how a step is performed or observed.
import type { ArtifactLocation, IndexState, IndexValue, StateRequest } from "../content-index/index.ts";
import type {
  AtJson,
  Expect,
  LocationJson,
  Mismatch,
  Observation,
  SnapshotArg,
  SnapshotObs,
  Step,
  Target,
  Trace,
} from "./trace.ts";

type Maybe<T> = T | Promise<T>;

/** What a content-index trace drives (the reference ContentIndex fits it). */
export interface ContentIndexEngine {
  put(key: string, location: ArtifactLocation, typeTag?: number): Maybe<number>;
  tombstone(key: string): Maybe<number>;
  lookup(key: string, at?: StateRequest): Maybe<IndexValue | undefined>;
  current(): Maybe<IndexState>;
  snapshot(): Maybe<IndexState>;
  install(id: string): Maybe<IndexState>;
  retire(id: string): Maybe<void>;
  digest(at?: StateRequest): Maybe<string>;
}

/** What a store trace drives (the reference Store fits it). */
export interface StoreEngine {
  put(
    bytes: Uint8Array,
    typeTag?: number,
  ): Maybe<{ key: string; created: boolean; position: number | bigint }>;
  get(key: string, at?: StateRequest): Maybe<Uint8Array>;
  tombstone(key: string): Maybe<number>;
  current(): Maybe<IndexState>;
  snapshot(): Maybe<IndexState>;
  install(id: string): Maybe<IndexState>;
  retire(id: string): Maybe<void>;
}

export type TraceEngine = ContentIndexEngine | StoreEngine;
export type EngineFactory = (target: Target) => Maybe<TraceEngine>;

/** What a step produced: an observation, an error code, or a state whose snapshot is still an id. */
export type Raw = { result: Observation } | { error: string } | { state: { id: string; position: string } };

/** A decimal u64 becomes a bigint; anything else is passed on as it is, for the engine to refuse. */
function num(text: string): bigint | string {
  return /^-?[0-9]+$/.test(text) ? BigInt(text) : text;
}

function location(l: LocationJson): ArtifactLocation {
  return { blockId: num(l.blockId), offset: num(l.offset), length: num(l.length) } as ArtifactLocation;
}

function locationJson(l: ArtifactLocation): LocationJson {
  return { blockId: String(l.blockId), offset: String(l.offset), length: String(l.length) };
}

export async function execute(
  step: Step,
  target: Target,
  engine: TraceEngine,
  resolve: (s: SnapshotArg) => string,
): Promise<Raw> {
  const ci = engine as ContentIndexEngine;
  const store = engine as StoreEngine;
  const at = (a: AtJson | undefined): StateRequest | undefined =>
    a === undefined
      ? undefined
      : ({ snapshot: resolve(a.snapshot), position: num(a.position) } as StateRequest);
  const state = (s: IndexState): Raw => ({ state: { id: s.snapshot, position: String(s.position) } });
  try {
    switch (step.op) {
      case "put":
        if ("bytes" in step) {
          const r = await store.put(new Uint8Array(Buffer.from(step.bytes, "base64")), step.typeTag);
          return { result: { key: r.key, created: r.created, position: String(r.position) } };
        }
        return {
          result: { position: String(await ci.put(step.key, location(step.location), step.typeTag)) },
        };
      case "tombstone":
        return { result: { position: String(await (target === "store" ? store : ci).tombstone(step.key)) } };
      case "lookup": {
        const v = await ci.lookup(step.key, at(step.at));
        if (v === undefined) return { result: { found: false } };
        const found = { found: true as const, location: locationJson(v.location) };
        return { result: v.typeTag === undefined ? found : { ...found, typeTag: v.typeTag } };
      }
      case "get":
        return { result: { bytes: Buffer.from(await store.get(step.key, at(step.at))).toString("base64") } };
      case "current":
        return state(await engine.current());
      case "snapshot":
        return state(await engine.snapshot());
      case "install":
        return state(await engine.install(resolve(step.snapshot)));
      case "retire":
        await engine.retire(resolve(step.snapshot));
        return { result: {} };
      case "digest":
        return { result: { digest: await ci.digest(at(step.at)) } };
    }
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === "string") return { error: code };
    throw e;
  }
}

/** Stable JSON: sorted keys, so that equal observations compare equal as text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * Replays a trace on a fresh engine and returns every step where the engine's observation differs from
 * the trace's. Snapshot references bind on first sight; a later sight must give the same id, and two
 * references must never share an id (DEC-018: one id never names two states).
 */
export async function replayTrace(trace: Trace, engineFactory: EngineFactory): Promise<Mismatch[]> {
  const engine = await engineFactory(trace.target);
  const byName = new Map<string, string>();
  const byId = new Map<string, string>();
  const mismatches: Mismatch[] = [];
  const resolve = (s: SnapshotArg): string => {
    if (typeof s === "string") return s;
    const id = byName.get(s.ref);
    if (id === undefined)
      throw new Error(`trace ${trace.id}: snapshot reference ${s.ref} is used before it is bound`);
    return id;
  };
  for (const [i, step] of trace.steps.entries()) {
    const raw = await execute(step, trace.target, engine, resolve);
    const expected: Expect = step.expect;
    const miss = (actual: unknown, kind: Mismatch["kind"] = "observation") =>
      mismatches.push({ step: i, op: step.op, expected, actual, kind });
    if ("state" in raw && "result" in expected && "snapshot" in expected.result) {
      const want = expected.result as { snapshot: SnapshotObs; position: string };
      const actual = { snapshot: raw.state.id, position: raw.state.position };
      if (want.position !== raw.state.position) {
        miss(actual);
        continue;
      }
      const bound = byName.get(want.snapshot.ref);
      const owner = byId.get(raw.state.id);
      if (
        (bound !== undefined && bound !== raw.state.id) ||
        (owner !== undefined && owner !== want.snapshot.ref)
      ) {
        miss(actual, "snapshot-ref");
        continue;
      }
      byName.set(want.snapshot.ref, raw.state.id);
      byId.set(raw.state.id, want.snapshot.ref);
      if (want.snapshot.id !== undefined && want.snapshot.id !== raw.state.id) miss(actual, "snapshot-id");
      continue;
    }
    const actual =
      "state" in raw ? { result: { snapshot: raw.state.id, position: raw.state.position } } : raw;
    if (canonicalJson(actual) !== canonicalJson(expected)) miss(actual);
  }
  return mismatches;
}
