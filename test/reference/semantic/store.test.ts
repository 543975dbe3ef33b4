// The store over both backends: PUT per DEC-021, GET per DEC-030, artifact ids per DEC-015, and the
// behavioural half of ASL/INDEXES/1 section 3 (GET answers from the content index alone).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { AslError } from "../../../reference/common/errors.ts";
import { sha256, toHex } from "../../../reference/common/hash.ts";
import { createMemoryStore, openDiskStore, type Store } from "../../../reference/store/index.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "asl-store-test-"));
  dirs.push(d);
  return d;
}
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as AslError).code;
  }
  return "no error";
};
const text = (s: string) => new TextEncoder().encode(s);

const backends: Array<[string, () => Store]> = [
  ["memory", () => createMemoryStore({ blockLimit: 64 })],
  ["disk", () => openDiskStore(tempDir(), { blockLimit: 64 })],
];

describe.each(backends)("store (%s)", (_name, make) => {
  it("[IDX-PUT-001][IDX-GET-001] PUT resolves the SHA-256 key, appends at the next position, and GET returns exactly the bytes", () => {
    const s = make();
    const r = s.put(text("alpha"), 4);
    expect(r).toEqual({
      key: toHex(sha256(text("alpha"))),
      location: { blockId: 0n, offset: 0n, length: 5n },
      created: true,
      position: 0,
    });
    expect(s.get(r.key)).toEqual(text("alpha"));
    expect(s.lookup(r.key)?.typeTag).toBe(4);
    expect(s.current().position).toBe(1);
    const big = new Uint8Array(100).fill(7); // larger than the 64-byte block limit: a block of its own
    expect(s.put(big).location).toEqual({ blockId: 1n, offset: 0n, length: 100n });
    expect(s.put(text("x")).location).toEqual({ blockId: 2n, offset: 0n, length: 1n });
    expect(s.get(toHex(sha256(big)))).toEqual(big);
    s.close();
  });

  it("[IDX-PUT-001] DEC-021: a PUT of a visible key appends nothing, even with another type tag; after a tombstone it appends again", () => {
    const s = make();
    const a = s.put(text("same"), 1);
    s.put(text("other"));
    const again = s.put(text("same"), 2);
    expect(again).toEqual({ ...a, created: false, position: 2 });
    expect(s.current().position).toBe(2);
    expect(s.lookup(a.key)?.typeTag).toBe(1);
    s.tombstone(a.key);
    const revived = s.put(text("same"));
    expect(revived.created).toBe(true);
    expect(revived.position).toBe(3);
    s.close();
  });

  it("[IDX-GET-002] GET of a key not visible at the state is STORE_NOT_FOUND; at an older state it still returns the bytes", () => {
    const s = make();
    const a = s.put(text("gone soon"));
    const snap = s.snapshot();
    s.tombstone(a.key);
    expect(code(() => s.get(a.key))).toBe("STORE_NOT_FOUND");
    expect(code(() => s.get("ab".repeat(32)))).toBe("STORE_NOT_FOUND");
    expect(s.get(a.key, snap)).toEqual(text("gone soon"));
    expect(code(() => s.get(a.key, { snapshot: snap.snapshot, position: 99 }))).toBe(
      "CI_POSITION_BEYOND_CURRENT",
    );
    s.close();
  });

  it("[ATXI-INV-001] DEC-015: artifact_id is the first 8 bytes of the key, and a second key with the same id is refused", () => {
    const s = make();
    const k = s.put(text("one")).key;
    expect(s.artifactId(k)).toBe(BigInt(`0x${k.slice(0, 16)}`));
    s.close();
    const t = createMemoryStore({ artifactIdOf: () => 42n });
    t.put(text("one"));
    expect(t.put(text("one")).created).toBe(false);
    expect(code(() => t.put(text("two")))).toBe("STORE_ARTIFACT_ID_COLLISION");
    expect(t.current().position).toBe(1);
  });

  it("[IDX-GET-001][IDX-MC-002][IDX-CI-008][IDX-DEP-001] GET and PUT results are identical with the cache dropped and the structural index empty", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5), fc.boolean(), fc.boolean()), { maxLength: 25 }), (ops) => {
        const withStructure = make();
        const plain = make();
        for (const [i, tomb, dropNow] of ops) {
          const bytes = text(`artifact ${i}`);
          const node = { op: "literal", params: { hex: toHex(bytes) }, inputs: [] };
          if (tomb) {
            const k = toHex(sha256(bytes));
            expect(withStructure.tombstone(k)).toBe(plain.tombstone(k));
          } else {
            const { sid: _sid, ...r } = withStructure.put(bytes, undefined, node);
            expect(r).toEqual(plain.put(bytes));
          }
          if (dropNow) withStructure.cache.drop();
          for (let j = 0; j < 6; j++) {
            const k = toHex(sha256(text(`artifact ${j}`)));
            expect(code(() => withStructure.get(k))).toBe(code(() => plain.get(k)));
            if (plain.lookup(k) !== undefined) expect(withStructure.get(k)).toEqual(plain.get(k));
          }
          expect(withStructure.digest()).toBe(plain.digest());
        }
        withStructure.close();
        plain.close();
      }),
      { numRuns: 15 },
    );
  });

  it("[IDX-PUT-002] a malformed structure refuses the whole PUT before anything is written", () => {
    const s = make();
    expect(
      code(() =>
        s.put(text("x"), undefined, { op: "concat", params: {}, inputs: [{ sid: "12".repeat(32) }] }),
      ),
    ).toBe("SI_UNKNOWN_INPUT");
    expect(s.current().position).toBe(0);
    s.close();
  });
});

describe("store: damaged bytes", () => {
  it("[IDX-GET-001][STO-REC-001] a damaged block is STORE_CORRUPT_BLOCK naming the block and offset, never wrong bytes", () => {
    const s = createMemoryStore();
    s.put(text("aaaa"));
    const b = s.put(text("bbbb"));
    s.corruptBlock(0n, 5);
    try {
      s.get(b.key);
      expect.unreachable();
    } catch (e) {
      expect((e as AslError).code).toBe("STORE_CORRUPT_BLOCK");
      expect((e as AslError).message).toMatch(/memory block 0.*offset 4/);
    }
  });
});
