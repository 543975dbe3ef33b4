// Recorded byte edits for the malformed golden vectors (DEC-027): an edit list applied to a valid
// segment, each edit kept as {offset, before, after} in hex, and the footer checksum re-sealed (DEC-006)
// as one entry of its own, so a reader of the vectors can replay every case from its base.
// Rules: ATXI-DEC-001.
import type { ErrorCode } from "../../../reference/common/errors.ts";
import { toHex } from "../../../reference/common/hash.ts";
import { sealChecksum } from "../../../reference/segment/encode.ts";
import { F, FOOTER_SIZE } from "../../../reference/segment/layout.ts";

/** One recorded edit: bytes [offset, offset + before.length) were `before` and became `after` (hex). */
export interface Mutation {
  offset: number;
  before: string;
  after: string;
  /** True for the entry that re-seals the footer checksum after the defect (DEC-027). */
  reseal?: boolean;
}

export interface InvalidDraft {
  name: string;
  base: string;
  code: ErrorCode;
  flags: string[];
  comment: string;
  bytes: Uint8Array;
  mutations: Mutation[];
}

export type Edit = { offset: number; after: Uint8Array } | { truncateAt: number };

export const le = (n: number, v: bigint): Uint8Array => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
};
export const u8 = (offset: number, v: number): Edit => ({ offset, after: Uint8Array.of(v) });
export const u16 = (offset: number, v: number): Edit => ({ offset, after: le(2, BigInt(v)) });
export const u32 = (offset: number, v: number): Edit => ({ offset, after: le(4, BigInt(v)) });
export const u64 = (offset: number, v: bigint): Edit => ({ offset, after: le(8, v) });

/** Applies edits in order, records them, and re-seals the checksum when asked (as its own entry). */
export function applyEdits(
  base: Uint8Array,
  edits: readonly Edit[],
  reseal: boolean,
): { bytes: Uint8Array; mutations: Mutation[] } {
  let bytes = base.slice();
  const mutations: Mutation[] = [];
  for (const e of edits) {
    if ("truncateAt" in e) {
      mutations.push({ offset: e.truncateAt, before: toHex(bytes.subarray(e.truncateAt)), after: "" });
      bytes = bytes.slice(0, e.truncateAt);
    } else {
      mutations.push({
        offset: e.offset,
        before: toHex(bytes.subarray(e.offset, e.offset + e.after.length)),
        after: toHex(e.after),
      });
      bytes.set(e.after, e.offset);
    }
  }
  if (reseal) {
    const at = bytes.length - FOOTER_SIZE + F.checksum;
    const before = toHex(bytes.subarray(at, at + 8));
    sealChecksum(bytes);
    const after = toHex(bytes.subarray(at, at + 8));
    if (before !== after) mutations.push({ offset: at, before, after, reseal: true });
  }
  return { bytes, mutations };
}
