// The golden vector generator: deterministic, self-describing, and each malformed case reproducible from
// its base and its recorded mutations.
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../../reference/common/hash.ts";
import { readSegment } from "../../../reference/segment/decode.ts";
import { segmentJson } from "../../../reference/segment/json.ts";
import { generateSegmentVectors } from "../../../reference/segment/vectors.ts";

const a = generateSegmentVectors();

describe("golden segment vectors", () => {
  it("[ATXI-INV-008] [ATXI-FLT-004] two runs give the same vectors, byte for byte", () => {
    const b = generateSegmentVectors();
    const norm = (v: typeof a) => JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? toHex(x) : x));
    expect(norm(b)).toEqual(norm(a));
  });
  it("[ATXI-INV-006] [ATXI-ASL-001] [ATXI-TGK-001] each valid segment decodes to its expected content", () => {
    for (const s of a.segments) expect(segmentJson(readSegment(s.bytes)), s.name).toEqual(s.expected);
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
  it("[ATXI-DEC-001] case ids are unique and sequential, names unique, every flag explained in the notes", () => {
    const all = [...a.segments, ...a.malformed, ...a.sets];
    expect(all.map((c) => c.tcId).sort((x, y) => x - y)).toEqual(all.map((_, i) => i + 1));
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    for (const c of all) for (const f of c.flags) expect(a.notes[f], `${c.name}: ${f}`).toBeDefined();
  });
});
