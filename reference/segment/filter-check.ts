// The filter-contents and filter-completeness passes of DEC-027 over the framed filters of a segment:
// known filters (DEC-009 bloom, DEC-010 xor8) have a valid domain (DEC-007), zero reserved flag bits and
// parameters in range; unknown ones are kept verbatim and ignored (DEC-011); every known filter answers
// "possibly present" for every key of its domain (tombstones included). Rules: ATXI-FLT-002, ATXI-FLT-006,
// ATXI-FLT-007, ATXI-FLT-008, ATXI-FLT-009, ATXI-FLT-010, ATXI-LAY-002.
import { AslError } from "../common/errors.ts";
import { bloomFirstMiss, type KeyColumn, xor8FirstMiss } from "../filters/bulk.ts";
import { DOMAIN_MASK, FILTER_RESERVED_FLAG_MASK, type FilterDomain } from "../filters/domain.ts";
import {
  filterProber,
  isKnownFilterType,
  type KnownFilter,
  parseKnownFilter,
  type SegmentFilter,
} from "../filters/filter.ts";
import { FR } from "./layout.ts";
import type { NodeRefTable } from "./projections.ts";
import type { Frame } from "./reader.ts";
import type { KeyedRecordTable } from "./records.ts";

/** filter-contents: parses every framed filter, validating the known ones. */
export function parseFilters(bytes: Uint8Array, frames: readonly Frame[]): SegmentFilter[] {
  return frames.map((fr) => {
    const payload = bytes.subarray(fr.payloadOffset, fr.payloadOffset + fr.sizeBytes);
    if (!isKnownFilterType(fr.type, fr.version)) {
      return { kind: "unknown", filterType: fr.type, version: fr.version, flags: fr.flags, payload };
    }
    const domain = fr.flags & DOMAIN_MASK;
    if (domain === 0) {
      throw new AslError("SEG_BAD_FILTER_PARAMS", "filter domain (flags bits 0..1) is 0, not 1..3", {
        offset: fr.offset + FR.flags,
        field: "asl_tgk_filter_header.flags",
        rule: "ATXI-FLT-010",
      });
    }
    if ((fr.flags & FILTER_RESERVED_FLAG_MASK) !== 0) {
      throw new AslError(
        "SEG_RESERVED_NONZERO",
        `filter flags 0x${(fr.flags >>> 0).toString(16)} set reserved bits 2..31`,
        { offset: fr.offset + FR.flags, field: "asl_tgk_filter_header.flags", rule: "ATXI-LAY-002" },
      );
    }
    return parseKnownFilter(
      fr.type,
      domain as FilterDomain,
      payload,
      fr.payloadOffset,
      fr.offset + FR.sizeBytes,
    );
  });
}

const HOST_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Word offsets of the 64-bit key of each domain inside its structure: (stride in words, hi word, lo word). */
export interface KeySource {
  words: Uint32Array;
  base: number;
  count: number;
  stride: number;
  hi: number;
  lo: number;
}

export function keySource(
  domain: FilterDomain,
  asl: KeyedRecordTable,
  tgk: KeyedRecordTable,
  refs: NodeRefTable | undefined,
): KeySource {
  if (domain === 1)
    return { words: asl.words, base: asl.start >>> 2, count: asl.count, stride: 6, hi: 3, lo: 2 };
  if (domain === 2)
    return { words: tgk.words, base: tgk.start >>> 2, count: tgk.count, stride: 6, hi: 3, lo: 2 };
  if (refs === undefined) return { words: asl.words, base: 0, count: 0, stride: 8, hi: 3, lo: 2 };
  return { words: refs.words, base: refs.start >>> 2, count: refs.count, stride: 8, hi: 3, lo: 2 };
}

/**
 * filter-completeness: the first known filter (file order) that misses a key of its domain fails.
 * `skip[n]` true leaves filter n out: the writer passes it for the filters it has just built from these
 * very keys, which hold every one of them by construction (DEC-009 sets every probed bit of every key;
 * DEC-010's peeling succeeds only when every key is peeled, and each peeled key's fingerprint equation is
 * then solved), so checking them again could never fail.
 */
export function checkFilterCompleteness(
  filters: readonly SegmentFilter[],
  frames: readonly Frame[],
  asl: KeyedRecordTable,
  tgk: KeyedRecordTable,
  refs: NodeRefTable | undefined,
  skip: readonly boolean[] = [],
): void {
  filters.forEach((f, n) => {
    if (f.kind === "unknown" || skip[n] === true) return;
    const miss = firstMissingKeyBulk(f, keySource(f.domain, asl, tgk, refs));
    if (miss !== undefined) {
      const fr = frames[n]!;
      throw new AslError(
        "SEG_FILTER_FALSE_NEGATIVE",
        `filter ${n} (${f.kind}, domain ${f.domain}) answers 'absent' for key ${miss} its segment holds`,
        { offset: fr.offset, field: "asl_tgk_filter_header", rule: "ATXI-FLT-002" },
      );
    }
  });
}

/**
 * The first key of the source the filter rejects, or undefined: `firstMissingKey`'s answer, computed by
 * the bulk kernels of filters/bulk.ts (the same probe, key by key, in WebAssembly integer arithmetic).
 * Both walk the keys in file order and stop at the first rejected one, so they name the same key (a
 * repeat of a key answers as its first occurrence did). A filter too big for a WebAssembly memory is
 * probed key by key.
 */
export function firstMissingKeyBulk(f: KnownFilter, src: KeySource): bigint | undefined {
  // The module reads each key as the little-endian u64 at its low word (the high word follows it): the
  // words' bytes are the segment's own only on a little-endian host (words.ts copies and swaps otherwise).
  if (!HOST_LITTLE_ENDIAN || src.hi !== src.lo + 1) return firstMissingKey(f, src);
  const col: KeyColumn = {
    bytes: new Uint8Array(src.words.buffer, src.words.byteOffset, src.words.byteLength),
    first: 4 * (src.base + src.lo),
    count: src.count,
    stride: 4 * src.stride,
  };
  const at = f.kind === "bloom" ? bloomFirstMiss(f, col) : xor8FirstMiss(f, col);
  if (at === undefined) return firstMissingKey(f, src);
  if (at < 0) return undefined;
  const w = src.base + src.stride * at;
  return (BigInt(src.words[w + src.hi]!) << 32n) | BigInt(src.words[w + src.lo]!);
}

/**
 * The first key of the source the filter rejects, or undefined: the definition, one probe per key
 * (runs of one key are probed once). The fallback of `firstMissingKeyBulk`, and its oracle in the tests.
 */
export function firstMissingKey(f: KnownFilter, src: KeySource): bigint | undefined {
  const probe = filterProber(f);
  const { words, base, stride } = src;
  let pHi = -1;
  let pLo = -1;
  for (let i = 0; i < src.count; i++) {
    const w = base + stride * i;
    const hi = words[w + src.hi]!;
    const lo = words[w + src.lo]!;
    if (hi === pHi && lo === pLo) continue;
    if (!probe(hi, lo)) return (BigInt(hi) << 32n) | BigInt(lo);
    pHi = hi;
    pLo = lo;
  }
  return undefined;
}
