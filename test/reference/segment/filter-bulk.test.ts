// The bulk filter-completeness check (reference/filters/bulk.ts, issue 15) against its definition, the
// per-key probe (firstMissingKey): on random filters, on built filters with random damage, over more keys
// than one chunk, and through decode. Rules: ATXI-FLT-002, ATXI-FLT-007, ATXI-FLT-008, ATXI-DEC-001.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BloomFilter } from "../../../reference/filters/bloom.ts";
import { bloomProbePositions } from "../../../reference/filters/bloom.ts";
import { buildFilter } from "../../../reference/filters/filter.ts";
import type { Xor8Filter } from "../../../reference/filters/xor8.ts";
import { xor8Indexes } from "../../../reference/filters/xor8.ts";
import { decodeSegment } from "../../../reference/segment/decode.ts";
import { encodeSegment, sealChecksum } from "../../../reference/segment/encode.ts";
import {
  firstMissingKey,
  firstMissingKeyBulk,
  type KeySource,
} from "../../../reference/segment/filter-check.ts";
import { U64_MAX } from "./helpers.ts";

const u64 = fc.oneof(
  fc.bigInt({ min: 0n, max: U64_MAX }),
  fc.constantFrom(0n, U64_MAX, 1n << 63n, 0xffffffffn, 1n << 32n),
);

/** Keys laid out as the id of 24-byte records (stride 6 words) or 32-byte refs (8), after `pad` words. */
function source(keys: readonly bigint[], stride: 6 | 8, pad: number): KeySource {
  const words = new Uint32Array(pad + stride * keys.length + 2);
  keys.forEach((k, i) => {
    const w = pad + stride * i;
    words[w + 2] = Number(k & 0xffffffffn);
    words[w + 3] = Number(k >> 32n);
    words[w] = 0xdeadbeef; // neighbouring fields must not leak into the key
  });
  return { words, base: pad, count: keys.length, stride, hi: 3, lo: 2 };
}

const keysArb = fc.array(u64, { maxLength: 200 }).map((ks) => [...ks, ...ks.slice(0, 5)]);
const layoutArb = fc.record({ stride: fc.constantFrom(6 as const, 8 as const), pad: fc.nat({ max: 9 }) });

describe("bulk completeness check = the per-key probe", () => {
  it("[ATXI-FLT-002] [ATXI-FLT-007] any bloom: same first missing key", () => {
    const bloomArb = fc.record({
      numBits: fc.oneof(fc.integer({ min: 1, max: 4000 }), fc.constant(64)),
      numHashes: fc.integer({ min: 1, max: 32 }),
      seed: u64,
      density: fc.constantFrom(0.5, 0.97, 1),
      fill: fc.nat(),
    });
    fc.assert(
      fc.property(keysArb, layoutArb, bloomArb, (ks, lay, p) => {
        const bits = new Uint8Array(Math.ceil(p.numBits / 8));
        let x = p.fill;
        for (let b = 0; b < p.numBits; b++) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          if (x / 2 ** 32 < p.density) bits[b >>> 3]! |= 1 << (b & 7);
        }
        const f: BloomFilter = { kind: "bloom", domain: 1, ...p, bits };
        const src = source(ks, lay.stride, lay.pad);
        expect(firstMissingKeyBulk(f, src)).toBe(firstMissingKey(f, src));
      }),
      { numRuns: 300 },
    );
  });
  it("[ATXI-FLT-002] [ATXI-FLT-008] any xor8: same first missing key", () => {
    const xorArb = fc.record({
      blockLength: fc.integer({ min: 1, max: 600 }),
      seed: u64,
      fill: fc.nat(),
    });
    fc.assert(
      fc.property(keysArb, layoutArb, xorArb, (ks, lay, p) => {
        const fingerprints = new Uint8Array(3 * p.blockLength);
        let x = p.fill;
        for (let i = 0; i < fingerprints.length; i++) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          fingerprints[i] = x >>> 24;
        }
        const f: Xor8Filter = { kind: "xor8", domain: 2, ...p, fingerprints };
        const src = source(ks, lay.stride, lay.pad);
        expect(firstMissingKeyBulk(f, src)).toBe(firstMissingKey(f, src));
      }),
      { numRuns: 300 },
    );
  });
  for (const kind of ["bloom", "xor8"] as const) {
    it(`[ATXI-FLT-002] ${kind} built over the keys, then one position damaged: same answer`, () => {
      fc.assert(
        fc.property(keysArb, layoutArb, fc.nat(), fc.nat({ max: 255 }), (ks, lay, at, flip) => {
          const f = buildFilter(kind, 1, ks);
          const src = source(ks, lay.stride, lay.pad);
          expect(firstMissingKeyBulk(f, src)).toBeUndefined();
          if (ks.length === 0) return;
          // Damage a position one of the keys uses, so that key (or an earlier one) goes missing.
          const victim = ks[at % ks.length]!;
          if (f.kind === "bloom") {
            const b = bloomProbePositions(f, victim)[flip % f.numHashes]!;
            f.bits[b >>> 3]! &= ~(1 << (b & 7));
          } else {
            f.fingerprints[xor8Indexes(f, victim)[flip % 3]!]! ^= flip | 1;
          }
          const naive = firstMissingKey(f, src);
          expect(naive).toBeDefined();
          expect(firstMissingKeyBulk(f, src)).toBe(naive);
        }),
        { numRuns: 150 },
      );
    });
    it(`[ATXI-FLT-002] ${kind}: a miss past the first chunk of 65,536 keys is found at its index`, () => {
      const n = 70_000;
      const ks = Array.from({ length: n }, (_, i) => BigInt(i) * 0x9e3779b97f4a7c15n + 7n).map(
        (k) => k & U64_MAX,
      );
      const f = buildFilter(kind, 1, ks);
      const src = source(ks, 6, 0);
      expect(firstMissingKeyBulk(f, src)).toBeUndefined();
      const victim = ks[68_000]!;
      if (f.kind === "bloom") {
        const b = bloomProbePositions(f, victim)[0]!;
        f.bits[b >>> 3]! &= ~(1 << (b & 7));
      } else f.fingerprints[xor8Indexes(f, victim)[0]!]! ^= 1;
      const naive = firstMissingKey(f, src);
      expect(naive).toBeDefined();
      expect(firstMissingKeyBulk(f, src)).toBe(naive);
    });
  }
});

describe("decode reports the same false negative as before", () => {
  it("[ATXI-FLT-002] [ATXI-DEC-001] a cleared bloom bit: SEG_FILTER_FALSE_NEGATIVE at the filter header, naming the key", () => {
    const ids = Array.from({ length: 3000 }, (_, i) => BigInt(i) * 1_000_003n + 11n);
    const bytes = encodeSegment({
      segmentId: 1n,
      logseqMin: 1n,
      logseqMax: 3000n,
      aslRecords: ids.map((artifactId, i) => ({ logseq: BigInt(i + 1), artifactId, tombstone: false })),
      filters: [
        { build: "xor8", domain: 2 },
        { build: "bloom", domain: 1 },
      ],
    });
    const seg = decodeSegment(bytes);
    const bloom = seg.filters[1] as BloomFilter;
    const frame = seg.filterFrames[1]!;
    // Clear one probed bit of key 2500 in a copy, then re-seal the checksum.
    const bad = bytes.slice();
    const bit = bloomProbePositions(bloom, ids[2500]!)[3]!;
    const at = frame.payloadOffset + 16 + (bit >>> 3);
    bad[at]! &= ~(1 << (bit & 7));
    sealChecksum(bad);
    const src = {
      ...bloom,
      bits: bad.subarray(frame.payloadOffset + 16, frame.payloadOffset + frame.sizeBytes),
    };
    const first = firstMissingKey(src, {
      words: new Uint32Array(bad.buffer),
      base: seg.asl.start >>> 2,
      count: seg.asl.count,
      stride: 6,
      hi: 3,
      lo: 2,
    });
    expect(first).toBeDefined();
    expect(() => decodeSegment(bad)).toThrow(
      expect.objectContaining({
        code: "SEG_FILTER_FALSE_NEGATIVE",
        offset: frame.offset,
        message: expect.stringContaining(`key ${first}`),
      }),
    );
  });
});

describe("the writer's self-check", () => {
  it("[ATXI-ENC-001] [ATXI-FLT-002] leaves out only the filters it built: a given one that misses a key is still refused", () => {
    const given: BloomFilter = {
      kind: "bloom",
      domain: 1,
      numBits: 64,
      numHashes: 1,
      seed: 0n,
      bits: new Uint8Array(8),
    };
    const input = {
      segmentId: 1n,
      logseqMin: 1n,
      logseqMax: 2n,
      aslRecords: [{ logseq: 1n, artifactId: 5n, tombstone: false }],
    };
    expect(() => encodeSegment({ ...input, filters: [{ build: "bloom", domain: 1 }, given] })).toThrow(
      expect.objectContaining({
        code: "SEG_FILTER_FALSE_NEGATIVE",
        message: expect.stringContaining("filter 1 "),
      }),
    );
    // What it wrote with the built filter alone decodes, the completeness check included.
    expect(
      decodeSegment(encodeSegment({ ...input, filters: [{ build: "bloom", domain: 1 }] })).filters,
    ).toHaveLength(1);
  });
});
