// Conversions between the wire forms of adapters/interface.ts and the reference engine's own types
// (bigint for u64, camelCase fields). Malformed wire values become CI_INVALID_ARGUMENT or
// PROTO_BAD_REQUEST answers, never exceptions of another kind.

import { AslError } from "../../reference/common/errors.ts";
import type { ArtifactLocation, StateRequest } from "../../reference/content-index/index.ts";
import type { At, Location } from "../interface.ts";

const U64 = /^(0|[1-9][0-9]{0,19})$/;
const U64_MAX = (1n << 64n) - 1n;

/** A u64 from its decimal-string wire form; `code` is what a malformed one is answered with. */
export function u64(
  v: unknown,
  field: string,
  code: "CI_INVALID_ARGUMENT" | "PROTO_BAD_REQUEST" = "PROTO_BAD_REQUEST",
): bigint {
  if (typeof v !== "string" || !U64.test(v) || BigInt(v) > U64_MAX) {
    throw new AslError(code, `${field} must be a u64 as a decimal string, got ${JSON.stringify(v)}`, {
      field,
    });
  }
  return BigInt(v);
}

export function u32(
  v: unknown,
  field: string,
  code: "CI_INVALID_ARGUMENT" | "PROTO_BAD_REQUEST" = "PROTO_BAD_REQUEST",
): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new AslError(code, `${field} must be a u32, got ${JSON.stringify(v)}`, { field });
  }
  return v;
}

export function optU32(
  v: unknown,
  field: string,
  code: "CI_INVALID_ARGUMENT" | "PROTO_BAD_REQUEST" = "PROTO_BAD_REQUEST",
): number | undefined {
  return v === null || v === undefined ? undefined : u32(v, field, code);
}

export function u64s(
  v: unknown,
  field: string,
  code: "TGK_INVALID_EDGE" | "PROTO_BAD_REQUEST" = "PROTO_BAD_REQUEST",
): bigint[] {
  if (!Array.isArray(v))
    throw new AslError("PROTO_BAD_REQUEST", `${field} must be an array of u64 strings`, { field });
  return v.map((x, i) => {
    // DEC-033: a string is shape-valid; a malformed one gets `code` (step 4), other types step 3's code.
    if (typeof x === "string" && (!U64.test(x) || BigInt(x) > U64_MAX)) {
      throw new AslError(code, `${field}[${i}] must be a u64 as a decimal string, got ${JSON.stringify(x)}`, {
        field: `${field}[${i}]`,
      });
    }
    return u64(x, `${field}[${i}]`);
  });
}

export function bytesArg(v: unknown, field: string): Uint8Array {
  if (!(v instanceof Uint8Array))
    throw new AslError("PROTO_BAD_REQUEST", `${field} must be bytes (base64 on the wire)`, { field });
  return v;
}

/** A position as the content index takes it: a number where exact, else the bigint (beyond every line). */
function position(v: unknown, field: string): number | bigint {
  const p = u64(v, field, "CI_INVALID_ARGUMENT");
  return p <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(p) : p;
}

export function stateArg(at: At): StateRequest | undefined {
  if (at === null || at === undefined) return undefined;
  if (typeof at !== "object" || Array.isArray(at) || typeof at.snapshot !== "string") {
    throw new AslError("PROTO_BAD_REQUEST", "at must be {snapshot, position} or null", { field: "at" });
  }
  return { snapshot: at.snapshot, position: position(at.position, "at.position") };
}

/** A string argument; its content is the engine's to judge (CI_INVALID_ARGUMENT and the like). */
export function str(v: unknown, field: string): string {
  if (typeof v !== "string")
    throw new AslError("PROTO_BAD_REQUEST", `${field} must be a string, got ${JSON.stringify(v)}`, { field });
  return v;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** A SID outside a node (si.get, mc.get): malformed is PROTO_BAD_REQUEST (DEC-033). */
export function sidArg(v: unknown): string {
  if (typeof v !== "string" || !HEX64.test(v))
    throw new AslError("PROTO_BAD_REQUEST", `sid must be 64 lowercase hex digits, got ${JSON.stringify(v)}`, {
      field: "sid",
    });
  return v;
}

/** A DAG node's JSON shape (DEC-033): wrong types are PROTO_BAD_REQUEST; wrong content is the index's SI_INVALID_NODE. */
export function nodeShape(v: unknown, field = "node"): unknown {
  const bad = () =>
    new AslError(
      "PROTO_BAD_REQUEST",
      `${field} must be {op: string, params: {string: string}, inputs: [{sid} | {artifact}]}`,
      { field },
    );
  if (!v || typeof v !== "object" || Array.isArray(v)) throw bad();
  const n = v as Record<string, unknown>;
  if (
    typeof n.op !== "string" ||
    !n.params ||
    typeof n.params !== "object" ||
    Array.isArray(n.params) ||
    !Array.isArray(n.inputs)
  )
    throw bad();
  if (Object.values(n.params).some((x) => typeof x !== "string")) throw bad();
  for (const i of n.inputs) {
    if (!i || typeof i !== "object" || Array.isArray(i)) throw bad();
    const keys = Object.keys(i);
    const k = keys[0];
    if (
      keys.length !== 1 ||
      (k !== "sid" && k !== "artifact") ||
      typeof (i as Record<string, unknown>)[k] !== "string"
    )
      throw bad();
  }
  return v;
}

export function locationArg(l: Location): ArtifactLocation {
  if (!l || typeof l !== "object")
    throw new AslError("PROTO_BAD_REQUEST", "location must be {block_id, offset, length}", {
      field: "location",
    });
  return {
    blockId: u64(l.block_id, "location.block_id", "CI_INVALID_ARGUMENT"),
    offset: u64(l.offset, "location.offset", "CI_INVALID_ARGUMENT"),
    length: u64(l.length, "location.length", "CI_INVALID_ARGUMENT"),
  };
}

export function locationWire(l: ArtifactLocation): Location {
  return { block_id: l.blockId.toString(), offset: l.offset.toString(), length: l.length.toString() };
}

export function state(s: { snapshot: string; position: number }): { snapshot: string; position: string } {
  return { snapshot: s.snapshot, position: String(s.position) };
}
