// The xor8 filter of profile 1 (filter_type 2, version 1), DEC-010 (Graf and Lemire 2020), hashing with
// fmix64 (DEC-008). Payload: seed u64, block_length u32, reserved u32 (zero), 3 x block_length
// fingerprints. For key x, h = fmix64(x + seed); index_j = j*bl + floor(r_j * bl / 2^32) with r_0, r_1, r_2
// the low words of h, rotl(h, 21), rotl(h, 42); the fingerprint is (h ^ h >> 32) mod 256.
// Rules: ATXI-FLT-002, ATXI-FLT-004, ATXI-FLT-008, ATXI-FLT-009.
import { AslError } from "../common/errors.ts";
import { FILTER_PARAMS_BYTES, type FilterDomain } from "./domain.ts";
import { distinctKeys } from "./keys.ts";
import { fmix64Halves, hiWord, loWord, MIX, mulHi32, splitmix64 } from "./mix.ts";

export interface Xor8Filter {
  kind: "xor8";
  domain: FilterDomain;
  seed: bigint;
  blockLength: number;
  /** 3 x blockLength bytes. */
  fingerprints: Uint8Array;
}

/** How many seeds the writer tries before giving up; with distinct keys one or two almost always do. */
const MAX_SEED_ATTEMPTS = 1000;

/** block_length = floor((32 + ceil(123 n / 100)) / 3), n distinct keys (DEC-010). */
export function xor8BlockLength(distinctKeys: number): number {
  return Math.floor((32 + Math.ceil((123 * distinctKeys) / 100)) / 3);
}

/** floor(r * bl / 2^32): exact in a double while bl < 2^21 (product < 2^53); mulHi32 otherwise. */
function reduce(r: number, bl: number): number {
  return bl < 0x200000 ? Math.floor((r * bl) / 4294967296) : mulHi32(r, bl);
}

/** Hash of (hi:lo) + seed into MIX (64-bit add on words, then fmix64). */
function hashKey(hi: number, lo: number, sHi: number, sLo: number): void {
  const l = lo + sLo;
  const carry = l > 0xffffffff ? 1 : 0;
  fmix64Halves((hi + sHi + carry) >>> 0, l >>> 0);
}

/** Index triple of hash (hHi:hLo) into out[0..2]. */
function indexes(hHi: number, hLo: number, bl: number, out: Uint32Array): void {
  out[0] = reduce(hLo, bl);
  out[1] = bl + reduce(((hLo << 21) | (hHi >>> 11)) >>> 0, bl);
  out[2] = 2 * bl + reduce(((hHi << 10) | (hLo >>> 22)) >>> 0, bl);
}

export function xor8Prober(f: Xor8Filter): (hi: number, lo: number) => boolean {
  const { fingerprints: fp, blockLength: bl } = f;
  const sHi = hiWord(f.seed);
  const sLo = loWord(f.seed);
  const idx = new Uint32Array(3);
  return (hi, lo) => {
    hashKey(hi, lo, sHi, sLo);
    const hLo = MIX[0]!;
    const hHi = MIX[1]!;
    indexes(hHi, hLo, bl, idx);
    return (fp[idx[0]!]! ^ fp[idx[1]!]! ^ fp[idx[2]!]!) === ((hLo ^ hHi) & 0xff);
  };
}

export function xor8MayContain(f: Xor8Filter, key: bigint): boolean {
  return xor8Prober(f)(hiWord(key), loWord(key));
}

/** The three fingerprint indexes of `key` (for tests and vectors). */
export function xor8Indexes(f: Xor8Filter, key: bigint): [number, number, number] {
  const idx = new Uint32Array(3);
  hashKey(hiWord(key), loWord(key), hiWord(f.seed), loWord(f.seed));
  indexes(MIX[1]!, MIX[0]!, f.blockLength, idx);
  return [idx[0]!, idx[1]!, idx[2]!];
}

/** Tries one seed; returns the fingerprints or undefined when the peeling fails. */
function tryBuild(
  keysHi: Uint32Array,
  keysLo: Uint32Array,
  bl: number,
  seed: bigint,
): Uint8Array | undefined {
  const n = keysHi.length;
  const cap = 3 * bl;
  const sHi = hiWord(seed);
  const sLo = loWord(seed);
  const hHi = new Uint32Array(n);
  const hLo = new Uint32Array(n);
  const count = new Uint32Array(cap);
  const xorKey = new Uint32Array(cap);
  const idx = new Uint32Array(3);
  for (let i = 0; i < n; i++) {
    hashKey(keysHi[i]!, keysLo[i]!, sHi, sLo);
    hLo[i] = MIX[0]!;
    hHi[i] = MIX[1]!;
    indexes(hHi[i]!, hLo[i]!, bl, idx);
    for (let j = 0; j < 3; j++) {
      const p = idx[j]!;
      count[p] = count[p]! + 1;
      xorKey[p] = xorKey[p]! ^ i;
    }
  }
  const queue = new Uint32Array(cap);
  let qLen = 0;
  for (let p = 0; p < cap; p++) if (count[p] === 1) queue[qLen++] = p;
  const stackKey = new Uint32Array(n);
  const stackPos = new Uint32Array(n);
  let sLen = 0;
  while (qLen > 0) {
    const p = queue[--qLen]!;
    if (count[p] !== 1) continue;
    const key = xorKey[p]!;
    stackKey[sLen] = key;
    stackPos[sLen++] = p;
    indexes(hHi[key]!, hLo[key]!, bl, idx);
    for (let j = 0; j < 3; j++) {
      const q = idx[j]!;
      count[q] = count[q]! - 1;
      xorKey[q] = xorKey[q]! ^ key;
      if (count[q] === 1) queue[qLen++] = q;
    }
  }
  if (sLen !== n) return undefined;
  const fp = new Uint8Array(cap);
  for (let s = sLen - 1; s >= 0; s--) {
    const key = stackKey[s]!;
    const p = stackPos[s]!;
    indexes(hHi[key]!, hLo[key]!, bl, idx);
    const f = (hLo[key]! ^ hHi[key]!) & 0xff;
    fp[p] = f ^ fp[idx[0]!]! ^ fp[idx[1]!]! ^ fp[idx[2]!]! ^ fp[p]!;
  }
  return fp;
}

/**
 * Builds the reference xor8 filter over `keys` (deduplicated first, DEC-010). The distinct keys come in
 * ascending order; the bytes do not depend on it (DEC-010: the peeling follows positions, and the key
 * at a position is the one key of the set there, whatever its index).
 */
export function buildXor8(domain: FilterDomain, keys: readonly bigint[] | BigUint64Array): Xor8Filter {
  const { count, words, hiAt, loAt } = distinctKeys(keys);
  const bl = xor8BlockLength(count);
  const keysHi = new Uint32Array(count);
  const keysLo = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    keysHi[i] = words[2 * i + hiAt]!;
    keysLo[i] = words[2 * i + loAt]!;
  }
  const seeds = splitmix64(0n);
  for (let attempt = 0; attempt < MAX_SEED_ATTEMPTS; attempt++) {
    const seed = seeds.next().value;
    const fp = tryBuild(keysHi, keysLo, bl, seed);
    if (fp) return { kind: "xor8", domain, seed, blockLength: bl, fingerprints: fp };
  }
  throw new Error(`xor8: no seed among the first ${MAX_SEED_ATTEMPTS} peels ${count} keys`);
}

export function xor8PayloadSize(blockLength: number): number {
  return FILTER_PARAMS_BYTES + 3 * blockLength;
}

export function encodeXor8Payload(f: Xor8Filter): Uint8Array {
  const out = new Uint8Array(xor8PayloadSize(f.blockLength));
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, f.seed, true);
  dv.setUint32(8, f.blockLength, true);
  out.set(f.fingerprints, FILTER_PARAMS_BYTES);
  return out;
}

/** Parses and validates an xor8 payload (filter-contents step of DEC-027 for type 2); offsets as for bloom. */
export function parseXor8Payload(
  payload: Uint8Array,
  domain: FilterDomain,
  base: number,
  sizeField: number,
): Xor8Filter {
  const rule = "ATXI-FLT-009";
  if (payload.length < FILTER_PARAMS_BYTES) {
    throw new AslError(
      "SEG_BAD_FILTER_PARAMS",
      `xor8 payload of ${payload.length} bytes cannot hold its 16 bytes of parameters`,
      { offset: sizeField, field: "asl_tgk_filter_header.size_bytes", rule },
    );
  }
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const bl = dv.getUint32(8, true);
  if (bl < 1)
    throw new AslError("SEG_BAD_FILTER_PARAMS", "xor8 block_length is 0", {
      offset: base + 8,
      field: "xor8.block_length",
      rule,
    });
  if (dv.getUint32(12, true) !== 0) {
    throw new AslError("SEG_RESERVED_NONZERO", "xor8 reserved u32 is not zero", {
      offset: base + 12,
      field: "xor8.reserved",
      rule: "ATXI-LAY-002",
    });
  }
  if (payload.length !== xor8PayloadSize(bl)) {
    throw new AslError(
      "SEG_BAD_FILTER_PARAMS",
      `xor8 size_bytes ${payload.length} is not 16 + 3 x ${bl} = ${xor8PayloadSize(bl)}`,
      { offset: sizeField, field: "asl_tgk_filter_header.size_bytes", rule },
    );
  }
  return {
    kind: "xor8",
    domain,
    seed: dv.getBigUint64(0, true),
    blockLength: bl,
    fingerprints: payload.subarray(FILTER_PARAMS_BYTES),
  };
}
