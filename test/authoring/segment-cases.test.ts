// The golden vector generator: deterministic, self-describing, and each malformed case reproducible from
// its base and its recorded mutations.
import { describe, expect, it } from "vitest";
import { generateSegmentVectors } from "../../authoring/cases/segments/index.ts";
import { fromHex, toHex } from "../../reference/common/hash.ts";
import { verifySegment } from "../../reference/segment/decode.ts";

const a = generateSegmentVectors();

describe("golden segment vectors", () => {
  it("[ATXI-INV-008] [ATXI-FLT-004] two runs give the same vectors, byte for byte", () => {
    const b = generateSegmentVectors();
    const norm = (v: typeof a) => JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? toHex(x) : x));
    expect(norm(b)).toEqual(norm(a));
  });
  it("[ATXI-INV-006] each valid segment decodes, and each malformed one gives the error it was written for", () => {
    for (const s of a.segments) expect(verifySegment(s.bytes).ok, s.name).toBe(true);
    for (const m of a.malformed) {
      const v = verifySegment(m.bytes);
      expect(v.ok ? "decoded" : v.error.code, m.name).toBe(m.expected.code);
    }
  });
  it("[ATXI-DEC-001] each malformed case is its base with its mutations applied, the re-seal included", () => {
    const base = new Map(a.segments.map((s) => [s.name, s.bytes]));
    for (const m of a.malformed) {
      let bytes = base.get(m.derivedFrom)!.slice();
      for (const mu of m.mutations) {
        expect(toHex(bytes.subarray(mu.offset, mu.offset + mu.before.length / 2)), m.name).toBe(mu.before);
        const after = fromHex(mu.after)!;
        if (after.length === mu.before.length / 2) bytes.set(after, mu.offset);
        else
          bytes = Uint8Array.of(
            ...bytes.subarray(0, mu.offset),
            ...after,
            ...bytes.subarray(mu.offset + mu.before.length / 2),
          );
      }
      expect(toHex(bytes), m.name).toBe(toHex(m.bytes));
      expect(m.mutations.filter((x) => x.reseal).length, m.name).toBeLessThanOrEqual(1);
    }
  });
  it("[ATXI-DEC-001] case names (the ids) are unique and well formed, every flag explained in the notes", () => {
    const all = [...a.segments, ...a.malformed, ...a.sets];
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    for (const c of all) expect(c.name).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
    for (const c of all) for (const f of c.flags) expect(a.notes[f], `${c.name}: ${f}`).toBeDefined();
  });
});
