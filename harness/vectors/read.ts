// Typed, schema-checked readers of the golden vector files (vectors/, or a release of them). Every file is
// validated against its definition in spec/schemas/vectors.schema.json or trace.schema.json before use, so
// a truncated or hand-edited file is refused with its name and the JSON path of the first problem, never
// half-read. The writer of these files is authoring/generate; the shapes here are what it promises.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Capability, DecodedSegment, Query, SegmentInput } from "../../adapters/interface.ts";
import { schemaId, schemaValidator } from "../../catalog/load.ts";
import { REPO_ROOT } from "../../catalog/paths.ts";
import type { Expect, Step, Trace } from "../traces/form.ts";

import { VectorFileError } from "./errors.ts";

export { VectorFileError };

/** One entry of vectors/index.json: a check the vector files define. */
export interface IndexEntry {
  id: string;
  file: string;
  case: string;
  rules: string[];
  capabilities: Capability[];
}

export interface VectorIndex {
  schema: string;
  profile: string;
  number_of_checks: number;
  checks: IndexEntry[];
  files: { path: string; size: number; sha256: string }[];
}

export interface QueryCase {
  query: Query;
  /** Absent in a set that must be refused as a whole (open_error). */
  expect?: Expect;
}

export interface ValidSegmentCase {
  id: string;
  comment: string;
  rules: string[];
  flags: string[];
  result: "valid";
  file: string;
  size: number;
  sha256: string;
  decoded: DecodedSegment;
  encode: SegmentInput | null;
  queries: QueryCase[];
  checks: string[];
}

export interface InvalidSegmentCase {
  id: string;
  comment: string;
  rules: string[];
  flags: string[];
  result: "invalid";
  file: string;
  size: number;
  sha256: string;
  derived_from: string;
  mutations: { offset: number; before: string; after: string; reseal?: boolean }[];
  expected_error: { code: string; stage: string; step: string; offset: number; field: string; rule: string };
  checks: string[];
}

export type SegmentCase = ValidSegmentCase | InvalidSegmentCase;

export interface SetCase {
  id: string;
  comment: string;
  rules: string[];
  flags: string[];
  members: string[];
  open_error?: { code: string; stage: string };
  queries: QueryCase[];
  checks: string[];
}

export interface UnitCase {
  id: string;
  comment?: string;
  rules: string[];
  capabilities: Capability[];
  /** Requests run first, their answers not compared. */
  setup?: Step[];
  op: Step["op"];
  args: Record<string, unknown>;
  expect: Expect;
}

export interface Regression {
  schema: string;
  property: string;
  seed: number;
  rules: string[];
  capabilities: Capability[];
  steps: Step[];
}

interface Manifest<C> {
  schema: string;
  cases: C[];
}

const VECTORS_SCHEMA = schemaId("vectors.schema.json");

function display(dir: string, file: string): string {
  const abs = join(dir, file);
  const rel = relative(REPO_ROOT, abs);
  return rel.startsWith("..") ? abs : rel;
}

/** Reads one JSON file of a vector tree and validates it against `schema` (a full schema id with fragment). */
export function readVectorJson<T>(dir: string, file: string, schema: string): T {
  const name = display(dir, file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(dir, file), "utf8"));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new VectorFileError(
      name,
      err.code === "ENOENT" ? "missing" : `not readable JSON (${err.message.split("\n")[0]})`,
    );
  }
  const validate = schemaValidator().getSchema(schema);
  if (!validate) throw new VectorFileError(name, `no schema ${schema}`);
  if (!validate(data)) {
    const e = validate.errors?.[0];
    throw new VectorFileError(
      name,
      `breaks ${schema.replace("https://asl-conformance.dev/schemas/", "spec/schemas/")} at ${e?.instancePath || "/"}: ${e?.message ?? "invalid"}`,
    );
  }
  return data as T;
}

export function readIndex(dir: string): VectorIndex {
  return readVectorJson<VectorIndex>(dir, "index.json", `${VECTORS_SCHEMA}#/$defs/index`);
}

export const MANIFEST_DEFS = {
  "segments/manifest.json": "segmentManifest",
  "sets/manifest.json": "setManifest",
  "units/manifest.json": "unitManifest",
  "traces/manifest.json": "traceManifest",
} as const;

export function readManifest<C>(dir: string, file: keyof typeof MANIFEST_DEFS): C[] {
  return readVectorJson<Manifest<C>>(dir, file, `${VECTORS_SCHEMA}#/$defs/${MANIFEST_DEFS[file]}`).cases;
}

export function readTrace(dir: string, file: string): Trace {
  return readVectorJson<Trace>(dir, file, schemaId("trace.schema.json"));
}

export function readRegression(dir: string, file: string): Regression {
  return readVectorJson<Regression>(dir, file, `${VECTORS_SCHEMA}#/$defs/regression`);
}

/** The bytes of a segment file of the tree. */
export function readSegmentBytes(dir: string, file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(join(dir, file)));
  } catch (e) {
    throw new VectorFileError(display(dir, file), `cannot read: ${(e as Error).message}`);
  }
}
