// The contract an implementation under test fulfils (spec/protocol.md, asl-conform/1). The same
// operations travel in-process (a TypeScript module exporting an Implementation) and over the process
// protocol (newline-delimited JSON), so the values here are in their wire form: u64 as decimal strings,
// keys and ids as 64 hex digits; only bytes are Uint8Array in-process and base64 on the wire.
import type { Capability } from "../catalog/capabilities.ts";

export type { Capability };
export const PROTOCOL_VERSION = "asl-conform/1";
export const PROFILE = "asl-conformance-profile-1";

export type U64 = string;
export type Hex32 = string;
export interface Location {
  block_id: U64;
  offset: U64;
  length: U64;
}
export interface State {
  snapshot: Hex32;
  position: U64;
}
export type At = State | null | undefined;
export interface DagNode {
  op: string;
  params: Record<string, string>;
  inputs: ({ sid: Hex32 } | { artifact: Hex32 })[];
}
export interface Edge {
  edge_type?: number | null;
  from: U64[];
  to: U64[];
}
export interface NodeRef {
  logseq: U64;
  node_id: U64;
  tgk_edge_id: U64;
  position: 1 | 2;
}
export type Found<T> = ({ found: true } & T) | { found: false };

export interface DecodedSegment {
  header: {
    version: number;
    flags: number;
    segment_id: U64;
    logseq_min: U64;
    logseq_max: U64;
    asl_record_count: U64;
    tgk_record_count: U64;
    record_area_offset: U64;
    footer_offset: U64;
  };
  filters: { filter_type: number; version: number; flags: number; payload: Bytes }[];
  asl_records: { logseq: U64; artifact_id: U64; type_tag: number; has_type_tag: number; flags: number }[];
  tgk_records: {
    logseq: U64;
    tgk_edge_id: U64;
    edge_type_key: number;
    has_edge_type: number;
    role: number;
    flags: number;
  }[];
  node_refs: NodeRef[] | null;
  accel_blocks: { block_type: number; version: number; flags: number; payload: Bytes }[];
  footer: { checksum: U64; asl_record_bytes: U64; tgk_record_bytes: U64; filter_bytes: U64 };
}

export interface SegmentInput {
  segment_id: U64;
  logseq_min: U64;
  logseq_max: U64;
  asl_records: { logseq: U64; artifact_id: U64; type_tag: number | null; tombstone: boolean }[];
  tgk_records: {
    logseq: U64;
    tgk_edge_id: U64;
    edge_type_key: number | null;
    role: number;
    tombstone: boolean;
  }[];
  edges?: Edge[];
  node_projections?: boolean;
  filters?: { kind: FilterKind; domain: "asl" | "tgk" | "node" }[];
}

export type FilterKind = "bloom" | "xor8";
export type Query =
  | { kind: "artifact"; artifact_id: U64; at: U64 }
  | { kind: "edge"; tgk_edge_id: U64; at: U64 }
  | { kind: "incident"; node_id: U64; role: "from" | "to" | "any"; at: U64 };
export interface AslHit {
  logseq: U64;
  artifact_id: U64;
  has_type_tag: number;
  type_tag: number;
}
export interface TgkHit {
  logseq: U64;
  tgk_edge_id: U64;
  has_edge_type: number;
  edge_type_key: number;
  role: number;
}
export type Answer = { found: false } | { found: true; record: AslHit | TgkHit } | { edges: U64[] };

/** Bytes: Uint8Array in-process; the process transport converts to and from base64. */
export type Bytes = Uint8Array;

/** Every operation: its arguments and its result (spec/protocol.md section 6). */
export interface Ops {
  "ci.put": { args: { key: Hex32; location: Location; type_tag?: number | null }; result: { position: U64 } };
  "ci.tombstone": { args: { key: Hex32 }; result: { position: U64 } };
  "ci.lookup": {
    args: { key: Hex32; at?: At };
    result: Found<{ location: Location; type_tag: number | null }>;
  };
  "ci.current": { args: Record<string, never>; result: State };
  "ci.snapshot": { args: Record<string, never>; result: State };
  "ci.install": { args: { snapshot: Hex32 }; result: State };
  "ci.retire": { args: { snapshot: Hex32 }; result: Record<string, never> };
  "ci.digest": { args: { at?: At }; result: { digest: Hex32 } };
  "store.put": {
    args: { bytes: Bytes; type_tag?: number | null; structure?: DagNode | null };
    result: {
      key: Hex32;
      artifact_id: U64;
      location: Location;
      created: boolean;
      position: U64 | null;
      sid: Hex32 | null;
    };
  };
  "store.get": { args: { key: Hex32; at?: At }; result: { bytes: Bytes } };
  "store.reopen": { args: Record<string, never>; result: State };
  "store.open": { args: { dir: string }; result: State };
  "si.register": { args: { node: DagNode }; result: { sid: Hex32 } };
  "si.get": { args: { sid: Hex32 }; result: Found<{ node: DagNode }> };
  "si.entries": { args: Record<string, never>; result: { entries: { sid: Hex32; node: DagNode }[] } };
  "si.rebuild": { args: { nodes: DagNode[] }; result: { entries: { sid: Hex32; node: DagNode }[] } };
  "mc.get": { args: { sid: Hex32 }; result: Found<{ key: Hex32 }> };
  "mc.entries": { args: Record<string, never>; result: { entries: { sid: Hex32; key: Hex32 }[] } };
  "mc.drop": { args: Record<string, never>; result: Record<string, never> };
  "mc.recompute": { args: { at?: At }; result: { entries: { sid: Hex32; key: Hex32 }[] } };
  "seg.decode": { args: { bytes: Bytes }; result: { segment: DecodedSegment } };
  "seg.encode": { args: { input: SegmentInput }; result: { bytes: Bytes } };
  "seg.query": {
    args: { segments: Bytes[]; use_filters: boolean; queries: Query[] };
    result: { answers: Outcome<Answer>[] };
  };
  "filter.build": { args: { kind: FilterKind; keys: U64[] }; result: { payload: Bytes } };
  "filter.probe": { args: { kind: FilterKind; payload: Bytes; keys: U64[] }; result: { results: boolean[] } };
  "tgk.edge_id": { args: { edge: Edge }; result: { edge_id: U64 } };
  "tgk.project": { args: { edge: Edge; logseq: U64 }; result: { refs: NodeRef[] } };
  "shard.assign": { args: { key: U64; shards: number }; result: { shard: number } };
}
export type OpName = keyof Ops;
export type OpArgs<O extends OpName> = Ops[O]["args"];
export type OpResult<O extends OpName> = Ops[O]["result"];
/** A table of operation handlers (the reference's, a mutant's): each takes its operation's args, returns its result. */
export type Handlers<O extends OpName = OpName> = { [K in O]: (args: OpArgs<K>) => OpResult<K> };

export interface WireError {
  code: string;
  message: string;
  offset?: number;
  field?: string;
  rule?: string;
}

/** What one operation came back with. `fault` marks a transport failure (crash, hang, garbage), not an answer. */
export type Outcome<T> = { ok: T } | { error: WireError; fault?: boolean };

export interface ImplementationInfo {
  name: string;
  version: string;
  language: string;
}

export interface HelloResult {
  protocol: string;
  implementation: ImplementationInfo;
  capabilities: Capability[];
}

/**
 * What an implementation written in TypeScript or JavaScript exports (default export or `implementation`)
 * for `asl-conform run --adapter ./module.ts`. `create` is called once per run; `handle` answers one
 * operation and throws `{ code, message }` (or an AslError) for an error answer.
 */
export interface Implementation {
  info: ImplementationInfo;
  capabilities: Capability[];
  reset(): Promise<void> | void;
  handle<O extends OpName>(op: O, args: OpArgs<O>): Promise<OpResult<O>> | OpResult<O>;
  close?(): Promise<void> | void;
}

/**
 * Options of one call. `unchecked`: the request breaks the protocol schema on purpose (a check of DEC-033's
 * answers to malformed requests), so --validate-protocol sends it instead of refusing it.
 */
export interface CallOptions {
  unchecked?: boolean;
}

/** What the harness talks to: an implementation behind some transport. */
export interface Adapter {
  readonly hello: HelloResult;
  call<O extends OpName>(op: O, args: OpArgs<O>, opts?: CallOptions): Promise<Outcome<OpResult<O>>>;
  batch(requests: { op: OpName; args: unknown }[], opts?: CallOptions): Promise<Outcome<unknown>[]>;
  reset(): Promise<Outcome<Record<string, never>>>;
  close(): Promise<void>;
  /** The last lines the implementation wrote on stderr (process adapters). */
  stderrTail(): string;
  /** Waits briefly for diagnostics still in flight (stderr written just before a fault). */
  flushDiagnostics?(): Promise<void>;
  /** A new check begins (a process adapter's restart budget is per check). */
  beginCheck?(): void;
}
