// The one form of an operation sequence in the vectors: semantic traces (vectors/traces/*.json), regression
// cases (vectors/regressions/*.json) and the setup of unit cases. A step is a protocol request in its wire
// form (spec/protocol.md section 3: snake_case members, u64 as decimal strings, bytes as base64), with the
// answer the reference gave. Schema: spec/schemas/trace.schema.json.
//
// SnapshotIDs are never written literally where an implementation's own id belongs: a state is named by a
// reference ({"ref": "s3"}), bound to the id the implementation answers when the state is first observed,
// because ids need only be stable and never name two states (STO-SNAP-001, STO-SNAP-004); deriving them
// from the state (DEC-018) is a SHOULD (STO-SNAP-005), checked through `derived_id` where it is portable.
import type { OpName } from "../../adapters/interface.ts";

export const TRACE_SCHEMA = "asl-conformance/trace/2";

/** A state named in a request: a reference bound by an earlier answer. */
export interface SnapshotRef {
  ref: string;
}

/** A state in an expected answer: its reference, and the DEC-018 id where the trace pins it (a SHOULD). */
export interface ExpectedSnapshot {
  ref: string;
  derived_id?: string;
}

export type Expect =
  | {
      ok: unknown;
      /** Members whose value is the implementation's own choice (a store's block layout): present, not compared. */
      free?: string[];
    }
  | { error: string };

export interface Step {
  op: OpName;
  /** The request's args in wire form; a snapshot may be a {ref}. */
  args: Record<string, unknown>;
  /** The reference's answer; absent for a setup step, whose answer is not compared. */
  expect?: Expect;
  /** The rules this step's observation checks; absent means every rule of the sequence. */
  rules?: string[];
  /**
   * Extension capabilities a read-only step needs (the state digest): the replay skips it for an
   * implementation that does not claim them, which changes nothing else in the sequence.
   */
  needs?: string[];
}

export interface Trace {
  schema: typeof TRACE_SCHEMA;
  id: string;
  title: string;
  capabilities: string[];
  rules: string[];
  steps: Step[];
}

/**
 * Operations that only read: a mismatch there is reported and the sequence goes on. Any other operation
 * changes state, so after it diverges later steps would compare two different states: the replay stops.
 */
export const READ_ONLY_OPS: ReadonlySet<string> = new Set([
  "ci.lookup",
  "ci.current",
  "ci.digest",
  "store.get",
  "si.get",
  "si.entries",
  "mc.get",
  "mc.entries",
  "seg.decode",
  "seg.encode",
  "seg.query",
  "filter.build",
  "filter.probe",
  "tgk.edge_id",
  "tgk.project",
  "shard.assign",
]);

export function isSnapshotRef(v: unknown): v is SnapshotRef {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof (v as SnapshotRef).ref === "string"
  );
}
