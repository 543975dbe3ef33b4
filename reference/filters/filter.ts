// One entry point over the filter kinds of profile 1 (ENC-ASL-TGK-INDEX section 5; DEC-007, DEC-009,
// DEC-010, DEC-011): build a known filter from a key set, bind a probe, parse a payload, and keep filters
// of an unknown (type, version) verbatim so they re-encode byte for byte (ATXI-FLT-006, ATXI-INV-006).
import { type BloomFilter, bloomProber, buildBloom, encodeBloomPayload, parseBloomPayload } from "./bloom.ts";
import { FILTER_TYPE_BLOOM, FILTER_TYPE_XOR8, FILTER_VERSION_1, type FilterDomain } from "./domain.ts";
import { hiWord, loWord } from "./mix.ts";
import { buildXor8, encodeXor8Payload, parseXor8Payload, type Xor8Filter, xor8Prober } from "./xor8.ts";

export type { BloomFilter } from "./bloom.ts";
export type { Xor8Filter } from "./xor8.ts";

/** A filter of a (type, version) this reader does not implement: framed, skipped, kept as it was. */
export interface UnknownFilter {
  kind: "unknown";
  filterType: number;
  version: number;
  flags: number;
  payload: Uint8Array;
}

export type KnownFilter = BloomFilter | Xor8Filter;
export type SegmentFilter = KnownFilter | UnknownFilter;
export type FilterKind = KnownFilter["kind"];

/** What a writer is asked to build: a kind and a domain (DEC-007). */
export interface FilterRequest {
  build: FilterKind;
  domain: FilterDomain;
}

/** Builds a reference filter; `keys` as BigInts or, for large sets, a BigUint64Array (left unmodified). */
export function buildFilter(
  kind: FilterKind,
  domain: FilterDomain,
  keys: readonly bigint[] | BigUint64Array,
): KnownFilter {
  return kind === "bloom" ? buildBloom(domain, keys) : buildXor8(domain, keys);
}

/** A probe over key words; false means "certainly absent" (DEC-007: never for a held key). */
export function filterProber(f: KnownFilter): (hi: number, lo: number) => boolean {
  return f.kind === "bloom" ? bloomProber(f) : xor8Prober(f);
}

export function filterMayContain(f: KnownFilter, key: bigint): boolean {
  return filterProber(f)(hiWord(key), loWord(key));
}

export function isKnownFilterType(filterType: number, version: number): boolean {
  return (
    version === FILTER_VERSION_1 && (filterType === FILTER_TYPE_BLOOM || filterType === FILTER_TYPE_XOR8)
  );
}

/** The (filter_type, version, flags, payload) a filter is framed with. */
export function filterFrame(f: SegmentFilter): {
  type: number;
  version: number;
  flags: number;
  payload: Uint8Array;
} {
  switch (f.kind) {
    case "bloom":
      return {
        type: FILTER_TYPE_BLOOM,
        version: FILTER_VERSION_1,
        flags: f.domain,
        payload: encodeBloomPayload(f),
      };
    case "xor8":
      return {
        type: FILTER_TYPE_XOR8,
        version: FILTER_VERSION_1,
        flags: f.domain,
        payload: encodeXor8Payload(f),
      };
    case "unknown":
      return { type: f.filterType, version: f.version, flags: f.flags, payload: f.payload };
  }
}

/** Parses the payload of a known filter whose domain and reserved flag bits have been checked. */
export function parseKnownFilter(
  filterType: number,
  domain: FilterDomain,
  payload: Uint8Array,
  payloadOffset: number,
  sizeFieldOffset: number,
): KnownFilter {
  return filterType === FILTER_TYPE_BLOOM
    ? parseBloomPayload(payload, domain, payloadOffset, sizeFieldOffset)
    : parseXor8Payload(payload, domain, payloadOffset, sizeFieldOffset);
}
