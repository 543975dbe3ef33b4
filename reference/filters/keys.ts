// The key set a filter writer builds from (DEC-009: n counts distinct keys; DEC-010: the result depends on
// the set only, not on the order or repeats of the keys given), held in typed arrays: a BigUint64Array
// sorted and deduplicated in place, read as 32-bit words. This replaced a `new Set` of BigInts, which cost
// 26-49 % of a build and cannot hold more than 2^24 entries (a V8 limit); a typed array is bounded by
// memory only.

const HOST_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Distinct keys in ascending order as words: key i = words[2i + hiAt] * 2^32 + words[2i + loAt]. */
export interface DistinctKeys {
  count: number;
  words: Uint32Array;
  hiAt: 0 | 1;
  loAt: 0 | 1;
}

/**
 * The distinct keys of `keys`, sorted. A BigUint64Array given is not modified (it is copied unless it is
 * already strictly increasing); bigint values are taken modulo 2^64, as a u64 field stores them.
 */
export function distinctKeys(keys: readonly bigint[] | BigUint64Array): DistinctKeys {
  let u: BigUint64Array;
  if (keys instanceof BigUint64Array) u = strictlyIncreasing(keys) ? keys : keys.slice().sort();
  else {
    u = BigUint64Array.from(keys);
    if (!strictlyIncreasing(u)) u.sort();
  }
  const words = new Uint32Array(u.buffer, u.byteOffset, 2 * u.length);
  const H = HOST_LITTLE_ENDIAN ? 1 : 0;
  const L = HOST_LITTLE_ENDIAN ? 0 : 1;
  // Sorted: repeats are adjacent. Compact in place (only in our own copy: an input that was strictly
  // increasing has no repeats, so nothing moves).
  let n = 0;
  for (let i = 0; i < u.length; i++) {
    const hi = words[2 * i + H]!;
    const lo = words[2 * i + L]!;
    if (n > 0 && words[2 * (n - 1) + H] === hi && words[2 * (n - 1) + L] === lo) continue;
    if (n !== i) {
      words[2 * n + H] = hi;
      words[2 * n + L] = lo;
    }
    n++;
  }
  return { count: n, words, hiAt: H, loAt: L };
}

/** u[i - 1] < u[i] for every i, compared on 32-bit words (no BigInt is made). */
function strictlyIncreasing(u: BigUint64Array): boolean {
  const w = new Uint32Array(u.buffer, u.byteOffset, 2 * u.length);
  const H = HOST_LITTLE_ENDIAN ? 1 : 0;
  const L = 1 - H;
  for (let i = 1; i < u.length; i++) {
    const a = w[2 * i - 2 + H]!;
    const b = w[2 * i + H]!;
    if (a > b || (a === b && w[2 * i - 2 + L]! >= w[2 * i + L]!)) return false;
  }
  return true;
}
