// Comparing what an implementation answered with what was expected, in the wire form (spec/protocol.md
// section 3), so that a difference is named the way a vector file or a protocol message names it: the
// JSON path of the first differing member, and the two values there.
import type { Outcome } from "../adapters/interface.ts";
import { toWire } from "../adapters/wire.ts";
import type { Fault } from "./checks/types.ts";

/** A value in its JSON wire form (bytes as base64, undefined members dropped), as plain data. */
export function wireJson(v: unknown): unknown {
  return JSON.parse(JSON.stringify(toWire(v) ?? null));
}

/** The first place two JSON values differ, as a path and the two values there. */
export function firstDifference(
  expected: unknown,
  actual: unknown,
  path = "",
): { path: string; expected: unknown; actual: unknown } | undefined {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= expected.length || i >= actual.length)
        return { path: `${path}[${i}]`, expected: expected[i], actual: actual[i] };
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isObject(expected) && isObject(actual)) {
    for (const k of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
      if (!(k in actual)) return { path: `${path}.${k}`, expected: expected[k], actual: undefined };
      if (!(k in expected)) return { path: `${path}.${k}`, expected: undefined, actual: actual[k] };
      const d = firstDifference(expected[k], actual[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : { path: path || "(value)", expected, actual };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The first byte offset where two byte strings differ (their common length when one is a prefix). */
export function firstByteDifference(a: Uint8Array, b: Uint8Array): number | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? undefined : n;
}

/** The transport fault an outcome carries, if any. */
export function faultOf(o: Outcome<unknown>): Fault | undefined {
  return "error" in o && o.fault ? { code: o.error.code, message: o.error.message } : undefined;
}

/** An answer as a vector records it: {ok: wire value} or {error: code}. */
export function expectationOf(o: Outcome<unknown>): { ok: unknown } | { error: string } {
  return "error" in o ? { error: o.error.code } : { ok: wireJson(o.ok) };
}
