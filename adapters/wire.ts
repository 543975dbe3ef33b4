// Conversions between in-process values and their JSON wire form (spec/protocol.md section 3): bytes
// travel as base64. Requests are converted by walking the value; results by the known byte-carrying
// fields of each operation, since a base64 string cannot be told from any other string by looking.
import type { OpName } from "./interface.ts";

export function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}

// Standard alphabet, padded to a multiple of 4 (RFC 4648 section 4): anything else is not bytes.
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bytesOf(v: unknown): unknown {
  if (typeof v !== "string" || !B64.test(v)) return v;
  return new Uint8Array(Buffer.from(v, "base64"));
}

function mapPayloads(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((x) =>
    x && typeof x === "object" ? { ...x, payload: bytesOf((x as { payload?: unknown }).payload) } : x,
  );
}

/** Turns the base64 fields of an operation's result back into bytes; leaves anything malformed as it is for the checks to report. */
export function resultFromWire(op: OpName | string, result: unknown): unknown {
  if (!result || typeof result !== "object") return result;
  const r = result as Record<string, unknown>;
  switch (op) {
    case "store.get":
    case "seg.encode":
      return { ...r, bytes: bytesOf(r.bytes) };
    case "filter.build":
      return { ...r, payload: bytesOf(r.payload) };
    case "seg.decode": {
      const s = r.segment as Record<string, unknown> | undefined;
      if (!s || typeof s !== "object") return r;
      return {
        ...r,
        segment: { ...s, filters: mapPayloads(s.filters), accel_blocks: mapPayloads(s.accel_blocks) },
      };
    }
    default:
      return r;
  }
}

/** Request arguments arriving over the wire (for implementations written against this module): base64 to bytes. */
export function argsFromWire(op: OpName | string, args: Record<string, unknown>): Record<string, unknown> {
  switch (op) {
    case "store.put":
    case "seg.decode":
      return { ...args, bytes: bytesOf(args.bytes) };
    case "filter.probe":
      return { ...args, payload: bytesOf(args.payload) };
    case "seg.query":
      return { ...args, segments: Array.isArray(args.segments) ? args.segments.map(bytesOf) : args.segments };
    default:
      return args;
  }
}
