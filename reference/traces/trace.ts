// Semantic traces: sequences of operations against a content index or a store, with the observation
// the reference engine makes after each step (a result or an error code). The JSON form follows
// spec/schemas/trace.schema.json: u64 as decimal strings and bytes as base64 (DEC-032), snapshots named
// by reference ({ref}) because SnapshotIDs are only SHOULD-portable (STO-SNAP-005) and a store's ids also
// depend on its own block layout; a content-index trace also carries each id, checked separately.

export type Target = "content-index" | "store";

/** A snapshot in a request: a reference bound by an earlier observation, or literal text (unknown or malformed ids). */
export type SnapshotArg = { ref: string } | string;

export interface LocationJson {
  blockId: string;
  offset: string;
  length: string;
}

export interface AtJson {
  snapshot: SnapshotArg;
  position: string;
}

export type Step =
  | { op: "put"; key: string; location: LocationJson; typeTag?: number; expect: Expect }
  | { op: "put"; bytes: string; typeTag?: number; expect: Expect }
  | { op: "tombstone"; key: string; expect: Expect }
  | { op: "lookup"; key: string; at?: AtJson; expect: Expect }
  | { op: "get"; key: string; at?: AtJson; expect: Expect }
  | { op: "current" | "snapshot"; expect: Expect }
  | { op: "install" | "retire"; snapshot: SnapshotArg; expect: Expect }
  | { op: "digest"; at?: AtJson; expect: Expect };

export type Expect = { result: Observation } | { error: string };

/** A state observation's snapshot: the reference name, and for content-index traces the DEC-018 id. */
export interface SnapshotObs {
  ref: string;
  id?: string;
}

export type Observation =
  | { position: string } // put / tombstone on the content index
  | { key: string; created: boolean; position: string } // store put
  | { found: false }
  | { found: true; location: LocationJson; typeTag?: number }
  | { bytes: string }
  | { snapshot: SnapshotObs; position: string }
  | { digest: string }
  | Record<string, never>; // retire

export interface Trace {
  id: string;
  title: string;
  target: Target;
  rules: string[];
  steps: Step[];
}

export interface Mismatch {
  step: number;
  op: string;
  expected: unknown;
  actual: unknown;
  /** "snapshot-id" when only the literal DEC-018 id differs (a SHOULD, STO-SNAP-005). */
  kind: "observation" | "snapshot-id" | "snapshot-ref";
}
