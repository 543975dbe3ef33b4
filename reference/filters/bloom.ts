// The bloom filter of profile 1 (filter_type 1, version 1), DEC-009, hashing with fmix64 (DEC-008).
// Payload: num_bits m u32, num_hashes k u32, seed u64, ceil(m/8) bytes of bits (bit p = bit p%8 of byte
// p/8). Probe i of key x is ((h1 + i*h2) mod 2^32) mod m with h = fmix64(x XOR seed), h1/h2 its low/high
// words (Kirsch-Mitzenmacher double hashing). Rules: ATXI-FLT-002, ATXI-FLT-004, ATXI-FLT-007, ATXI-FLT-009.
import { AslError } from "../common/errors.ts";
import { bloomSetAll } from "./bulk.ts";
import { FILTER_PARAMS_BYTES, type FilterDomain } from "./domain.ts";
import { distinctKeys } from "./keys.ts";
import { fmix64Halves, hiWord, loWord, MIX } from "./mix.ts";

export interface BloomFilter {
  kind: "bloom";
  domain: FilterDomain;
  numBits: number;
  numHashes: number;
  seed: bigint;
  /** ceil(numBits / 8) bytes. */
  bits: Uint8Array;
}

/** DEC-009 reference writer parameters. */
export const BLOOM_BITS_PER_KEY = 10;
export const BLOOM_NUM_HASHES = 7;
export const BLOOM_SEED = 0x9e3779b97f4a7c15n;
export const BLOOM_MAX_HASHES = 32;

/** m = max(64, 10 n rounded up to a multiple of 64), n = the number of distinct keys (DEC-009). */
export function bloomNumBits(distinctKeys: number): number {
  const m = Math.ceil((BLOOM_BITS_PER_KEY * distinctKeys) / 64) * 64;
  if (m > 0xffffffff) throw new RangeError(`bloom: ${distinctKeys} keys need more than 2^32 - 1 bits`);
  return Math.max(64, m);
}

function setProbes(
  bits: Uint8Array,
  m: number,
  k: number,
  seedHi: number,
  seedLo: number,
  hi: number,
  lo: number,
) {
  fmix64Halves((hi ^ seedHi) >>> 0, (lo ^ seedLo) >>> 0);
  let p = MIX[0]!;
  const h2 = MIX[1]!;
  for (let i = 0; i < k; i++) {
    const bit = p % m;
    bits[bit >>> 3] = bits[bit >>> 3]! | (1 << (bit & 7));
    p = (p + h2) >>> 0;
  }
}

/**
 * Builds the reference bloom filter over `keys` (duplicates allowed; n counts distinct keys). The bits of
 * the distinct keys are the bits of all keys (a repeat sets the same bits again).
 */
export function buildBloom(domain: FilterDomain, keys: readonly bigint[] | BigUint64Array): BloomFilter {
  const { count, words, hiAt, loAt } = distinctKeys(keys);
  const m = bloomNumBits(count);
  const bits = new Uint8Array(Math.ceil(m / 8));
  const sHi = hiWord(BLOOM_SEED);
  const sLo = loWord(BLOOM_SEED);
  const f = { bits, numBits: m, numHashes: BLOOM_NUM_HASHES, seed: BLOOM_SEED };
  // The module reads keys as little-endian u64s: the words are that on a little-endian host (hiAt 1).
  // It sets the same bits as setProbes below, about 10x faster (bulk.ts); setProbes is the fallback.
  const col = {
    bytes: new Uint8Array(words.buffer, words.byteOffset, 8 * count),
    first: 0,
    count,
    stride: 8,
  };
  if (hiAt !== 1 || !bloomSetAll(f, col)) {
    for (let i = 0; i < count; i++)
      setProbes(bits, m, BLOOM_NUM_HASHES, sHi, sLo, words[2 * i + hiAt]!, words[2 * i + loAt]!);
  }
  return { kind: "bloom", domain, numBits: m, numHashes: BLOOM_NUM_HASHES, seed: BLOOM_SEED, bits };
}

/**
 * A probe bound to one filter: `(hi, lo) => possibly present`. Binding once hoists the parameter reads
 * out of the per-key loop.
 */
export function bloomProber(f: BloomFilter): (hi: number, lo: number) => boolean {
  const { bits, numBits: m, numHashes: k } = f;
  const sHi = hiWord(f.seed);
  const sLo = loWord(f.seed);
  return (hi, lo) => {
    fmix64Halves((hi ^ sHi) >>> 0, (lo ^ sLo) >>> 0);
    let p = MIX[0]!;
    const h2 = MIX[1]!;
    for (let i = 0; i < k; i++) {
      const bit = p % m;
      if ((bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
      p = (p + h2) >>> 0;
    }
    return true;
  };
}

export function bloomMayContain(f: BloomFilter, key: bigint): boolean {
  return bloomProber(f)(hiWord(key), loWord(key));
}

/** The probe positions of `key` (for tests and for vectors that clear one bit to cause a false negative). */
export function bloomProbePositions(f: BloomFilter, key: bigint): number[] {
  fmix64Halves((hiWord(key) ^ hiWord(f.seed)) >>> 0, (loWord(key) ^ loWord(f.seed)) >>> 0);
  let p = MIX[0]!;
  const h2 = MIX[1]!;
  const out: number[] = [];
  for (let i = 0; i < f.numHashes; i++) {
    out.push(p % f.numBits);
    p = (p + h2) >>> 0;
  }
  return out;
}

export function bloomPayloadSize(numBits: number): number {
  return FILTER_PARAMS_BYTES + Math.ceil(numBits / 8);
}

export function encodeBloomPayload(f: BloomFilter): Uint8Array {
  const out = new Uint8Array(bloomPayloadSize(f.numBits));
  const dv = new DataView(out.buffer);
  dv.setUint32(0, f.numBits, true);
  dv.setUint32(4, f.numHashes, true);
  dv.setBigUint64(8, f.seed, true);
  out.set(f.bits, FILTER_PARAMS_BYTES);
  return out;
}

/**
 * Parses and validates a bloom payload (the filter-contents step of DEC-027 for type 1). `base` is the
 * payload's offset in the segment and `sizeField` the offset of the filter header's size_bytes, so errors
 * name segment offsets. The domain has been checked by the caller.
 */
export function parseBloomPayload(
  payload: Uint8Array,
  domain: FilterDomain,
  base: number,
  sizeField: number,
): BloomFilter {
  const rule = "ATXI-FLT-009";
  if (payload.length < FILTER_PARAMS_BYTES) {
    throw new AslError(
      "SEG_BAD_FILTER_PARAMS",
      `bloom payload of ${payload.length} bytes cannot hold its 16 bytes of parameters`,
      { offset: sizeField, field: "asl_tgk_filter_header.size_bytes", rule },
    );
  }
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const m = dv.getUint32(0, true);
  const k = dv.getUint32(4, true);
  if (m < 1)
    throw new AslError("SEG_BAD_FILTER_PARAMS", "bloom num_bits is 0", {
      offset: base,
      field: "bloom.num_bits",
      rule,
    });
  if (k < 1 || k > BLOOM_MAX_HASHES) {
    throw new AslError("SEG_BAD_FILTER_PARAMS", `bloom num_hashes ${k} is not in 1..${BLOOM_MAX_HASHES}`, {
      offset: base + 4,
      field: "bloom.num_hashes",
      rule,
    });
  }
  if (payload.length !== bloomPayloadSize(m)) {
    throw new AslError(
      "SEG_BAD_FILTER_PARAMS",
      `bloom size_bytes ${payload.length} is not 16 + ceil(${m}/8) = ${bloomPayloadSize(m)}`,
      { offset: sizeField, field: "asl_tgk_filter_header.size_bytes", rule },
    );
  }
  const bits = payload.subarray(FILTER_PARAMS_BYTES);
  // Bits at p >= m are zero (DEC-009): only the last byte can hold them.
  const used = m & 7;
  if (used !== 0 && bits[bits.length - 1]! >>> used !== 0) {
    throw new AslError("SEG_RESERVED_NONZERO", `bloom bits at positions >= num_bits ${m} are set`, {
      offset: base + payload.length - 1,
      field: "bloom.bits",
      rule,
    });
  }
  return { kind: "bloom", domain, numBits: m, numHashes: k, seed: dv.getBigUint64(8, true), bits };
}
