// The byte form of every generated JSON file: sorted keys, two-space indentation, a final newline, bytes
// as base64 (the wire form), so the same value is always the same bytes on every machine.
import { PROFILE } from "../../adapters/interface.ts";
import { toWire } from "../../adapters/wire.ts";
import type { IndexEntry } from "../../harness/vectors/read.ts";

export interface VectorFile {
  /** Path relative to vectors/. */
  path: string;
  bytes: Uint8Array;
}

/** What one part of the generator makes: its files and the checks they define. */
export interface GeneratedPart {
  files: VectorFile[];
  entries: IndexEntry[];
}

export function canonicalJsonText(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x !== null && typeof x === "object" && !(x instanceof Uint8Array)) {
      const o = x as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .filter((k) => o[k] !== undefined)
          .sort()
          .map((k) => [k, sort(o[k])]),
      );
    }
    return x;
  };
  return `${JSON.stringify(sort(toWire(v)), null, 2)}\n`;
}

export const jsonFile = (path: string, value: unknown): VectorFile => ({
  path,
  bytes: new TextEncoder().encode(canonicalJsonText(value)),
});

/** The header every manifest carries. */
export function manifestHeader(schema: string, schemaFile: string, count: number) {
  return {
    schema,
    schema_file: schemaFile,
    profile: PROFILE,
    generator: "asl-conform vectors generate",
    number_of_cases: count,
  };
}

/** A value as the reference answered it: {ok} in wire form, or {error: code}. */
export function answerOf(run: () => unknown): { ok: unknown } | { error: string } {
  try {
    return { ok: JSON.parse(canonicalJsonText(run())) };
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code !== "string") throw e;
    return { error: code };
  }
}
