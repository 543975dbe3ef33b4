// Filters (DEC-007..DEC-010), the mixers (DEC-008, DEC-010) and the shard function (DEC-024).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { xxh64 } from "../../../reference/common/hash.ts";
import {
  bloomNumBits,
  buildBloom,
  encodeBloomPayload,
  parseBloomPayload,
} from "../../../reference/filters/bloom.ts";
import { buildFilter, filterMayContain } from "../../../reference/filters/filter.ts";
import {
  fmix64,
  fmix64Halves,
  hiWord,
  joinWords,
  loWord,
  MIX,
  mulHi32,
  splitmix64,
} from "../../../reference/filters/mix.ts";
import {
  buildXor8,
  encodeXor8Payload,
  parseXor8Payload,
  xor8BlockLength,
} from "../../../reference/filters/xor8.ts";
import { shard } from "../../../reference/query/shard.ts";
import { U64_MAX } from "./helpers.ts";

const u64 = fc.bigInt({ min: 0n, max: U64_MAX });
const te = new TextEncoder();

/** n distinct pseudo-random keys from a fixed LCG (deterministic). */
function keys(n: number, seed: bigint): bigint[] {
  const out: bigint[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & U64_MAX;
    out.push(x);
  }
  return out;
}

function fpRate(kind: "bloom" | "xor8", n: number, trials: number): number {
  const f = buildFilter(kind, 1, keys(n, 1n));
  const held = new Set(keys(n, 1n));
  let fp = 0;
  let asked = 0;
  for (const k of keys(trials, 99n)) {
    if (held.has(k)) continue;
    asked++;
    if (filterMayContain(f, k)) fp++;
  }
  return fp / asked;
}

describe("mixers", () => {
  it("[ATXI-FLT-007] [ATXI-FLT-008] fmix64 known values (MurmurHash3 finaliser)", () => {
    expect(fmix64(0n)).toBe(0n);
    expect(fmix64(1n)).toBe(0xb456bcfc34c2cb2cn);
    expect(fmix64(U64_MAX)).toBe(0x64b5720b4b825f21n);
  });
  it("[ATXI-FLT-007] [ATXI-FLT-008] fmix64 on 32-bit halves equals the BigInt oracle", () => {
    fc.assert(
      fc.property(u64, (x) => {
        fmix64Halves(hiWord(x), loWord(x));
        expect(joinWords(MIX[1]!, MIX[0]!)).toBe(fmix64(x));
      }),
      { numRuns: 2000 },
    );
  });
  it("[ATXI-FLT-008] splitmix64 from state 0 starts with the published first output", () => {
    const g = splitmix64(0n);
    expect(g.next().value).toBe(0xe220a8397b1dcdafn);
    expect(g.next().value).toBe(0x6e789e6aa1b965f4n);
  });
  it("[ATXI-FTR-002] XXH64 seed 0 known values (DEC-006)", () => {
    expect(xxh64([new Uint8Array()])).toBe(0xef46db3751d8e999n);
    expect(xxh64([te.encode("abc")])).toBe(0x44bc2cf5ad770999n);
    expect(xxh64([te.encode("a"), te.encode("bc")])).toBe(0x44bc2cf5ad770999n);
  });
  it("[ATXI-FLT-008] mulHi32 is exact where the product exceeds 2^53", () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), (a, b) => {
        expect(BigInt(mulHi32(a, b))).toBe((BigInt(a) * BigInt(b)) >> 32n);
      }),
    );
  });
});

describe("bloom (DEC-009) and xor8 (DEC-010)", () => {
  for (const kind of ["bloom", "xor8"] as const) {
    const rule = kind === "bloom" ? "ATXI-FLT-007" : "ATXI-FLT-008";
    it(`[ATXI-FLT-002] [${rule}] ${kind}: never a false negative, duplicates and extremes included`, () => {
      fc.assert(
        fc.property(fc.array(u64, { maxLength: 300 }), (ks) => {
          const f = buildFilter(kind, 2, [...ks, ...ks.slice(0, 3)]);
          for (const k of ks) expect(filterMayContain(f, k)).toBe(true);
        }),
        { numRuns: 150 },
      );
    });
    it(`[ATXI-FLT-004] [${rule}] ${kind}: the same keys in any order give the same bytes`, () => {
      fc.assert(
        fc.property(fc.uniqueArray(u64, { maxLength: 100 }), (ks) => {
          const a = buildFilter(kind, 1, ks);
          const b = buildFilter(kind, 1, [...ks].reverse());
          expect(a).toEqual(b);
        }),
        { numRuns: 50 },
      );
    });
  }
  it("[ATXI-FLT-005] [ATXI-FLT-007] bloom false-positive rate near 0.82 % at 10 bits per key, k = 7", () => {
    const rate = fpRate("bloom", 20_000, 200_000);
    // Theory (1 - e^{-7/10})^7 = 0.819 %; measured 0.83 % (n = 20000, 200000 probes).
    expect(rate).toBeGreaterThan(0.006);
    expect(rate).toBeLessThan(0.0105);
  });
  it("[ATXI-FLT-005] [ATXI-FLT-008] xor8 false-positive rate near 1/256 = 0.39 %", () => {
    const rate = fpRate("xor8", 20_000, 200_000);
    expect(rate).toBeGreaterThan(0.0028);
    expect(rate).toBeLessThan(0.005);
  });
  it("[ATXI-FLT-007] reference bloom parameters: m = max(64, 10n rounded up to 64), k = 7, fixed seed", () => {
    expect(bloomNumBits(0)).toBe(64);
    expect(bloomNumBits(7)).toBe(128);
    expect(bloomNumBits(64)).toBe(640);
    const f = buildBloom(1, [1n, 2n]);
    expect([f.numBits, f.numHashes, f.seed]).toEqual([64, 7, 0x9e3779b97f4a7c15n]);
  });
  it("[ATXI-FLT-008] reference xor8 block_length = floor((32 + ceil(1.23 n)) / 3) and the first splitmix64 seed", () => {
    expect(xor8BlockLength(0)).toBe(10);
    expect(xor8BlockLength(100)).toBe(51);
    const f = buildXor8(1, [5n]);
    expect(f.seed).toBe(0xe220a8397b1dcdafn);
    expect(f.fingerprints.length).toBe(3 * xor8BlockLength(1));
    expect(xor8BlockLength(1)).toBe(11);
  });
  it("[ATXI-FLT-009] payloads parse back to the same filter and their size follows the parameters", () => {
    const b = buildBloom(3, keys(50, 5n));
    const bp = encodeBloomPayload(b);
    expect(bp.length).toBe(16 + b.numBits / 8);
    expect(parseBloomPayload(bp, 3, 0, 0)).toEqual(b);
    const x = buildXor8(2, keys(50, 6n));
    const xp = encodeXor8Payload(x);
    expect(xp.length).toBe(16 + 3 * x.blockLength);
    expect(parseXor8Payload(xp, 2, 0, 0)).toEqual(x);
  });
  it("[ATXI-FLT-009] a short payload is SEG_BAD_FILTER_PARAMS, not a RangeError", () => {
    expect(() => parseBloomPayload(new Uint8Array(8), 1, 100, 92)).toThrow(
      expect.objectContaining({ code: "SEG_BAD_FILTER_PARAMS", offset: 92 }),
    );
    expect(() => parseXor8Payload(new Uint8Array(15), 1, 100, 92)).toThrow(
      expect.objectContaining({ code: "SEG_BAD_FILTER_PARAMS" }),
    );
  });
});

describe("shard (DEC-024)", () => {
  it("[ATXI-SHD-001] shard(key, N) = floor((fmix64(key) >> 32) * N / 2^32), in [0, N)", () => {
    fc.assert(
      fc.property(u64, fc.integer({ min: 1, max: 0xffffffff }), (k, n) => {
        const s = shard(k, n);
        expect(BigInt(s)).toBe(((fmix64(k) >> 32n) * BigInt(n)) >> 32n);
        expect(s).toBeLessThan(n);
      }),
    );
    expect(shard(123n, 1)).toBe(0);
    expect(() => shard(1n, 0)).toThrow(RangeError);
  });
});
