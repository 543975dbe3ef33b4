// A small implementation written as a TypeScript module, to show the in-process contract
// (adapters/interface.ts): it claims two capabilities, tgk-edges (DEC-016) and sharding (DEC-024), and is
// written from the decisions alone, without the reference engine.
//   npx asl-conform run --adapter adapters/examples/typescript/edges-and-shards.ts
// Every other check is reported as skipped, because its capability is not claimed. A malformed request
// gets the answer DEC-033 gives: its shape is checked with the protocol schema (protocolViolation, which
// the package exports for implementers), its values by hand.
import { sha256 } from "@noble/hashes/sha2.js";
import type { Edge, Implementation, OpArgs, OpName, OpResult } from "../../interface.ts";
import { protocolViolation } from "../../validate.ts";
import { toWire } from "../../wire.ts";

const U64 = /^(0|[1-9][0-9]{0,19})$/;
const isU64 = (v: string) => U64.test(v) && BigInt(v) <= (1n << 64n) - 1n;
const IMPLEMENTED = new Set(["tgk.edge_id", "shard.assign"]);

const M64 = (1n << 64n) - 1n;

function fmix64(x: bigint): bigint {
  let h = x & M64;
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & M64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & M64;
  return h ^ (h >> 33n);
}

function nodeSet(ids: string[], list: string): bigint[] {
  for (const s of ids)
    if (!isU64(s)) throw { code: "TGK_INVALID_EDGE", message: `${list}: ${JSON.stringify(s)} is not a u64` };
  const v = ids.map((s) => BigInt(s)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < v.length; i++) {
    if (v[i] === v[i - 1])
      throw { code: "TGK_INVALID_EDGE", message: `node ${v[i]} is listed twice in ${list}` };
  }
  return v;
}

function edgeId(edge: Edge): string {
  const from = nodeSet(edge.from, "from");
  const to = nodeSet(edge.to, "to");
  if (from.length + to.length === 0)
    throw { code: "TGK_INVALID_EDGE", message: "an edge needs at least one node" };
  const tag = new TextEncoder().encode("TGK-EDGE/1");
  const buf = new Uint8Array(tag.length + 8 + 8 * (from.length + to.length));
  const view = new DataView(buf.buffer);
  buf.set(tag, 0);
  let at = tag.length;
  for (const list of [from, to]) {
    view.setUint32(at, list.length, true);
    at += 4;
    for (const id of list) {
      view.setBigUint64(at, id, true);
      at += 8;
    }
  }
  return new DataView(sha256(buf).buffer).getBigUint64(0, false).toString();
}

const implementation: Implementation = {
  info: { name: "example-edges-and-shards", version: "1.0.0", language: "typescript" },
  capabilities: ["tgk-edges", "sharding"],
  reset() {},
  handle<O extends OpName>(op: O, args: OpArgs<O>): OpResult<O> {
    // DEC-033: an op the protocol does not have is a bad request; one it has but this example does not
    // implement is not supported, whatever its args; then the shape, then the values.
    const shape = protocolViolation("args", op, toWire(args ?? {}));
    if (shape?.startsWith("no schema"))
      throw { code: "PROTO_BAD_REQUEST", message: `unknown operation ${op}` };
    if (!IMPLEMENTED.has(op))
      throw { code: "PROTO_NOT_SUPPORTED", message: `${op} is not implemented by this example` };
    if (shape) throw { code: "PROTO_BAD_REQUEST", message: shape };
    switch (op) {
      case "tgk.edge_id":
        return { edge_id: edgeId((args as OpArgs<"tgk.edge_id">).edge) } as OpResult<O>;
      case "shard.assign": {
        const a = args as OpArgs<"shard.assign">;
        if (!isU64(a.key))
          throw { code: "PROTO_BAD_REQUEST", message: `key ${JSON.stringify(a.key)} is not a u64` };
        const shard = Number(((fmix64(BigInt(a.key)) >> 32n) * BigInt(a.shards)) >> 32n);
        return { shard } as OpResult<O>;
      }
      default:
        throw { code: "PROTO_NOT_SUPPORTED", message: `${op} is not implemented by this example` };
    }
  },
};

export default implementation;
