// DAG nodes and their structural identity (ASL/INDEXES/1 2.2; DEC-017). A node is (op, params, inputs);
// its canonical encoding is "ASL-SID/1", op as u32 LE length + UTF-8 bytes, u32 LE param count, each
// param's key then value (u32 LE length + UTF-8) in ascending byte order of the keys' UTF-8, u32 LE input
// count, each input as a tag byte (0 = SID, 1 = ArtifactKey) + 32 bytes. SID = SHA-256 of it, as hex.
// Rules: IDX-SI-002 (deterministic SID), IDX-DEP-002 (an ArtifactKey input is only 32 bytes here: nothing
// is read). This module reads no stored bytes and imports nothing that does.
import { AslError } from "../common/errors.ts";
import { sha256Parts, toHex } from "../common/hash.ts";

/** 64 lowercase hex digits: SHA-256 of a node's canonical encoding. */
export type Sid = string;

export type DagInput = { readonly sid: Sid } | { readonly artifact: string };

export interface DagNode {
  readonly op: string;
  readonly params: Readonly<Record<string, string>>;
  readonly inputs: readonly DagInput[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TAG = new TextEncoder().encode("ASL-SID/1");
const utf8 = new TextEncoder();

function bad(message: string, field: string): AslError {
  return new AslError("SI_INVALID_NODE", message, { field, rule: "IDX-SI-002" });
}

function checkText(v: unknown, field: string): string {
  // A JS string with a lone surrogate has no UTF-8 form; TextEncoder would silently replace it.
  if (typeof v !== "string" || LONE_SURROGATE.test(v)) throw bad(`${field} must be a UTF-8 string`, field);
  return v;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Checks a node's shape and returns its canonical form: params keyed in ascending UTF-8 byte order (the
 * order of the encoding), inputs copied. Throws SI_INVALID_NODE for anything else.
 */
export function canonicalNode(node: unknown): DagNode {
  if (typeof node !== "object" || node === null) throw bad("a node must be an object", "node");
  const n = node as Record<string, unknown>;
  const op = checkText(n["op"], "op");
  const params = n["params"] ?? {};
  if (typeof params !== "object" || params === null || Array.isArray(params))
    throw bad("params must be a map of strings", "params");
  const entries = Object.entries(params as Record<string, unknown>).map(([k, v]) => {
    checkText(k, "params key");
    return [k, checkText(v, `params.${k}`)] as [string, string];
  });
  const encoded = entries.map(([k]) => utf8.encode(k));
  const order = entries.map((_, i) => i).sort((i, j) => compareBytes(encoded[i]!, encoded[j]!));
  // Object.fromEntries defines own members: `sorted[k] = v` with k "__proto__" would set the prototype
  // instead, and the param would be lost from the node and from its SID.
  const sorted: Record<string, string> = Object.fromEntries(order.map((i) => entries[i]!));
  if (!Array.isArray(n["inputs"])) throw bad("inputs must be a list", "inputs");
  const inputs = (n["inputs"] as unknown[]).map((input, i): DagInput => {
    if (typeof input === "object" && input !== null) {
      const keys = Object.keys(input);
      const r = input as Record<string, unknown>;
      if (keys.length === 1 && typeof r["sid"] === "string" && HEX64.test(r["sid"])) return { sid: r["sid"] };
      if (keys.length === 1 && typeof r["artifact"] === "string" && HEX64.test(r["artifact"]))
        return { artifact: r["artifact"] };
    }
    throw bad(`inputs[${i}] must be {sid} or {artifact} with 64 lowercase hex digits`, `inputs[${i}]`);
  });
  return { op, params: sorted, inputs };
}

/** The DEC-017 canonical encoding of a node already in canonical form. */
export function encodeNode(node: DagNode): Uint8Array {
  // Sorted here, at encoding time: a JS object lists integer-like keys ("9", "10") first in numeric order,
  // whatever order they were set in, so the object's own order is not the byte order DEC-017 asks for.
  return encodeNodeWith(
    node,
    Object.entries(node.params).sort(([a], [b]) => compareBytes(utf8.encode(a), utf8.encode(b))),
  );
}

/** The encoding of DEC-017 with the params in the order given (encodeNode gives them in byte order). */
export function encodeNodeWith(node: DagNode, params: readonly (readonly [string, string])[]): Uint8Array {
  const parts: Uint8Array[] = [TAG];
  const u32 = (v: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    parts.push(b);
  };
  const str = (s: string) => {
    const b = utf8.encode(s);
    u32(b.length);
    parts.push(b);
  };
  str(node.op);
  u32(params.length);
  for (const [k, v] of params) {
    str(k);
    str(v);
  }
  u32(node.inputs.length);
  for (const input of node.inputs) {
    const isSid = "sid" in input;
    const hex = isSid ? input.sid : input.artifact;
    const b = new Uint8Array(33);
    b[0] = isSid ? 0 : 1;
    for (let i = 0; i < 32; i++) b[1 + i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    parts.push(b);
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** SID of any well-formed node (IDX-SI-002); does not check that input SIDs are registered. */
export function computeSid(node: unknown): Sid {
  return toHex(sha256Parts([encodeNode(canonicalNode(node))]));
}
