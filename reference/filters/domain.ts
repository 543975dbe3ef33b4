// What every routing filter shares (ENC-ASL-TGK-INDEX section 5): its domain (DEC-007: the flags' bits 0..1
// name which ids it holds, bits 2..31 are reserved) and the filter type numbers (DEC-009, DEC-010, DEC-011).
// Rules: ATXI-FLT-002, ATXI-FLT-010.

/** DEC-007: 1 = ASL artifact_id, 2 = TGK tgk_edge_id, 3 = node_id of the node-edge refs. */
export type FilterDomain = 1 | 2 | 3;
export const DOMAIN_ASL: FilterDomain = 1;
export const DOMAIN_TGK: FilterDomain = 2;
export const DOMAIN_NODE: FilterDomain = 3;

export const FILTER_TYPE_BLOOM = 1;
export const FILTER_TYPE_XOR8 = 2;
/** DEC-010: reserved for binary fuse8 in a later profile; profile 1 readers treat it as unknown. */
export const FILTER_TYPE_FUSE8_RESERVED = 3;
export const FILTER_VERSION_1 = 1;
/** Size of a filter's fixed parameters at the start of its payload (both kinds: 16 bytes). */
export const FILTER_PARAMS_BYTES = 16;

export const DOMAIN_MASK = 0x3;
export const FILTER_RESERVED_FLAG_MASK = 0xfffffffc;

/** Keys of one domain as two parallel word arrays: the form every probe loop reads without BigInt. */
export interface KeyWords {
  hi: Uint32Array;
  lo: Uint32Array;
}

export function keyWords(keys: readonly bigint[]): KeyWords {
  const hi = new Uint32Array(keys.length);
  const lo = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    hi[i] = Number(k >> 32n);
    lo[i] = Number(k & 0xffffffffn);
  }
  return { hi, lo };
}
