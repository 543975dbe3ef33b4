// The filter writers' key sets over typed arrays (reference/filters/keys.ts, issue 15): distinct keys
// sorted without a Set of BigInts, the same filter bytes as the definition, and a bloom filter over more
// than 2^24 distinct keys (the most a Set holds). Rules: ATXI-FLT-004, ATXI-FLT-007, ATXI-FLT-008.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bloomNumBits, bloomProbePositions, buildBloom } from "../../../reference/filters/bloom.ts";
import { buildFilter } from "../../../reference/filters/filter.ts";
import { distinctKeys } from "../../../reference/filters/keys.ts";
import { buildXor8, xor8BlockLength } from "../../../reference/filters/xor8.ts";
import { firstMissingKey, firstMissingKeyBulk } from "../../../reference/segment/filter-check.ts";
import { U64_MAX } from "./helpers.ts";

const u64 = fc.oneof(
  fc.bigInt({ min: 0n, max: U64_MAX }),
  fc.bigInt({ min: 0n, max: 20n }),
  fc.constantFrom(U64_MAX, 1n << 63n, 0xffffffffn, 1n << 32n, (1n << 32n) - 1n),
);
const keysArb = fc.array(u64, { maxLength: 300 });

function listed(ks: readonly bigint[]): bigint[] {
  const d = distinctKeys(ks);
  return Array.from(
    { length: d.count },
    (_, i) => (BigInt(d.words[2 * i + d.hiAt]!) << 32n) | BigInt(d.words[2 * i + d.loAt]!),
  );
}

describe("distinct keys over typed arrays", () => {
  it("[ATXI-FLT-004] are the sorted distinct keys, whatever the order and repeats", () => {
    fc.assert(
      fc.property(keysArb, (ks) => {
        const expected = [...new Set(ks)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(listed(ks)).toEqual(expected);
        expect(listed([...ks, ...ks].reverse())).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
  it("[ATXI-FLT-004] a BigUint64Array given is left as it was", () => {
    const u = BigUint64Array.of(5n, 3n, 5n, U64_MAX, 0n);
    const copy = u.slice();
    expect(distinctKeys(u).count).toBe(4);
    expect(u).toEqual(copy);
    const sorted = BigUint64Array.of(1n, 2n, 3n);
    expect(distinctKeys(sorted).count).toBe(3);
    expect(sorted).toEqual(BigUint64Array.of(1n, 2n, 3n));
  });
});

describe("builders over typed arrays give the definition's bytes", () => {
  it("[ATXI-FLT-007] bloom: m from the distinct count, and exactly the bits of every key's probes", () => {
    fc.assert(
      fc.property(keysArb, (ks) => {
        const f = buildBloom(1, ks);
        expect(f.numBits).toBe(bloomNumBits(new Set(ks).size));
        // The definition: OR of the probe bits of every key given.
        const bits = new Uint8Array(f.bits.length);
        for (const k of ks) for (const p of bloomProbePositions(f, k)) bits[p >>> 3]! |= 1 << (p & 7);
        expect(f.bits).toEqual(bits);
      }),
      { numRuns: 200 },
    );
  });
  for (const kind of ["bloom", "xor8"] as const) {
    it(`[ATXI-FLT-004] ${kind}: a BigUint64Array of the keys builds the same filter as the BigInts`, () => {
      fc.assert(
        fc.property(keysArb, (ks) => {
          expect(buildFilter(kind, 2, BigUint64Array.from(ks))).toEqual(buildFilter(kind, 2, ks));
        }),
        { numRuns: 100 },
      );
    });
  }
  it("[ATXI-FLT-008] xor8: block length from the distinct count", () => {
    const ks = [7n, 7n, 1n, U64_MAX, 1n];
    expect(buildXor8(1, ks).blockLength).toBe(xor8BlockLength(3));
  });
});

describe("past 2^24 keys", () => {
  it("[ATXI-FLT-007] [ATXI-FLT-002] a bloom over 2^24 + 1000 distinct keys (and 1000 repeats) holds every key", () => {
    // 2^24 is the most a Set holds: the builder deduplicated through one until issue 15.
    const distinct = 2 ** 24 + 1000;
    const n = distinct + 1000;
    const u = new BigUint64Array(n);
    const w = new Uint32Array(u.buffer);
    for (let i = 0; i < distinct; i++) {
      // Little-endian words; lo = i keeps the keys distinct, hi scrambles their order.
      w[2 * i] = i;
      w[2 * i + 1] = Math.imul(i, 0x9e3779b1) >>> 0;
    }
    for (let i = distinct; i < n; i++) u[i] = u[(i * 7919) % distinct]!;
    const f = buildBloom(1, u);
    expect(f.numBits).toBe(bloomNumBits(distinct));
    const src = { words: w, base: 0, count: n, stride: 2, hi: 1, lo: 0 };
    expect(firstMissingKeyBulk(f, src)).toBeUndefined();
    expect(firstMissingKey(f, { ...src, count: 100_000 })).toBeUndefined();
  }, 120_000);
});
