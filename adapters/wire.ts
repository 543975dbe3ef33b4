// Conversions between in-process values and their JSON wire form (spec/protocol.md section 3): bytes
// travel as base64. Going out, any Uint8Array becomes base64. Coming in, a base64 string cannot be told
// from any other string by looking, so the byte-carrying members of each operation are read from the one
// place that declares them: spec/schemas/protocol.schema.json, where every such member is a
// {"$ref": "#/$defs/b64"} (found once per operation by walking the schema, $refs followed).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SPEC_DIR } from "../catalog/paths.ts";
import type { OpName } from "./interface.ts";

export function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") {
    // fromEntries defines own members: an assignment would turn a member "__proto__" (a DAG param may be
    // named so) into a prototype and lose it.
    return Object.fromEntries(
      Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, toWire(v)]])),
    );
  }
  return value;
}

// Standard alphabet, padded to a multiple of 4 (RFC 4648 section 4): anything else is not bytes.
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bytesOf(v: unknown): unknown {
  if (typeof v !== "string" || !B64.test(v)) return v;
  return new Uint8Array(Buffer.from(v, "base64"));
}

/** A path to a byte member: object keys, and "[]" for every item of an array. */
type Path = readonly string[];
type Schema = Record<string, unknown>;

let defs: Record<string, Schema> | undefined;
const pathsOf = new Map<string, Path[]>();

function byteFields(def: string): Path[] {
  let known = pathsOf.get(def);
  if (known) return known;
  defs ??= (
    JSON.parse(readFileSync(join(SPEC_DIR, "schemas/protocol.schema.json"), "utf8")) as {
      $defs: Record<string, Schema>;
    }
  ).$defs;
  const out: Path[] = [];
  const walk = (node: unknown, path: string[], seen: ReadonlySet<string>) => {
    if (!node || typeof node !== "object") return;
    const n = node as Schema;
    const ref = typeof n.$ref === "string" ? n.$ref : undefined;
    if (ref === "#/$defs/b64") out.push(path);
    else if (ref?.startsWith("#/$defs/")) {
      const name = ref.slice("#/$defs/".length);
      if (!seen.has(name)) walk(defs![name], path, new Set([...seen, name]));
    }
    for (const k of ["oneOf", "anyOf", "allOf"] as const)
      if (Array.isArray(n[k])) for (const x of n[k] as unknown[]) walk(x, path, seen);
    if (n.properties && typeof n.properties === "object")
      for (const [k, x] of Object.entries(n.properties as Schema)) walk(x, [...path, k], seen);
    if (n.items) walk(n.items, [...path, "[]"], seen);
  };
  walk(defs[def], [], new Set([def]));
  known = out.filter((p, i) => out.findIndex((q) => q.join("/") === p.join("/")) === i);
  pathsOf.set(def, known);
  return known;
}

function convertAt(value: unknown, path: Path, i = 0): unknown {
  if (i === path.length) return bytesOf(value);
  const key = path[i]!;
  if (key === "[]") return Array.isArray(value) ? value.map((x) => convertAt(x, path, i + 1)) : value;
  if (!value || typeof value !== "object" || Array.isArray(value) || !(key in value)) return value;
  const v = value as Record<string, unknown>;
  return { ...v, [key]: convertAt(v[key], path, i + 1) };
}

function fromWire(def: string, value: unknown): unknown {
  let out = value;
  for (const p of byteFields(def)) out = convertAt(out, p);
  return out;
}

/** Turns the base64 members of an operation's result back into bytes; leaves anything malformed as it is for the checks to report. */
export function resultFromWire(op: OpName | string, result: unknown): unknown {
  return fromWire(`result:${op}`, result);
}

/** Request arguments arriving over the wire (for implementations written against this module): base64 to bytes. */
export function argsFromWire(op: OpName | string, args: Record<string, unknown>): Record<string, unknown> {
  return fromWire(`args:${op}`, args) as Record<string, unknown>;
}
