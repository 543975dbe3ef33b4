// Recorded byte edits for the malformed golden vectors (DEC-027): an edit list applied to a valid
// segment, each edit kept as {offset, before, after} in hex, and the footer checksum re-sealed (DEC-006)
// as one entry of its own, so a reader of the vectors can replay every case from its base. An insertion is
// an edit whose `before` is empty. Boundary cases are written as a CaseSpec (draftOf): the check they are
// for and, for a two-defect case, each defect's edits, so the generator can check each alone.
// Rules: ATXI-DEC-001.
import type { ErrorCode } from "../../../reference/common/errors.ts";
import { toHex } from "../../../reference/common/hash.ts";
import type { CheckStep } from "../../../reference/segment/check-order.ts";
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

/**
 * One check of spec/errors.yaml `reader_check_order`: a step, and the index of the sub-check in the step's
 * `checks` list (0 for a step without sub-checks).
 */
export interface CheckRef {
  step: CheckStep;
  check: number;
}
export const at = (step: CheckStep, check = 0): CheckRef => ({ step, check });

/** The other defect of a two-defect case, alone: what a reader that ran the checks in another order reports. */
export interface SecondDefect {
  target: CheckRef;
  code: ErrorCode;
  /** The base with only this defect (re-sealed as the case is, where the defect is past the checksum). */
  bytes: Uint8Array;
}

export interface InvalidDraft {
  name: string;
  base: string;
  code: ErrorCode;
  flags: string[];
  comment: string;
  bytes: Uint8Array;
  mutations: Mutation[];
  /** The check the expected error comes from, when the case was written for one (boundary cases). */
  target?: CheckRef;
  /** A two-defect case: the first defect alone (`firstBytes`) and the second alone must give other errors. */
  firstBytes?: Uint8Array;
  second?: SecondDefect;
}

export type Edit =
  | { offset: number; after: Uint8Array }
  | { truncateAt: number }
  | { insertAt: number; bytes: Uint8Array };

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
    } else if ("insertAt" in e) {
      // An insertion is recorded as an edit of zero bytes: bytes [insertAt, insertAt) became `bytes`.
      mutations.push({ offset: e.insertAt, before: "", after: toHex(e.bytes) });
      const out = new Uint8Array(bytes.length + e.bytes.length);
      out.set(bytes.subarray(0, e.insertAt), 0);
      out.set(e.bytes, e.insertAt);
      out.set(bytes.subarray(e.insertAt), e.insertAt + e.bytes.length);
      bytes = out;
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

/** The other defect of a two-defect case, as written: its edits alone, and the error they alone give. */
export interface SecondSpec {
  edits: Edit[];
  reseal?: boolean;
  code: ErrorCode;
  target: CheckRef;
}

/**
 * A boundary case: a valid base, edits, the one code and the check it is written for. A two-defect case
 * gives `first` (the first defect's edits alone; `edits` then defaults to `first` followed by the second's)
 * and `second`; `edits` is given when the two defects touch the same field.
 */
export interface CaseSpec {
  base: string;
  name: string;
  code: ErrorCode;
  target: CheckRef;
  flags: string[];
  comment: string;
  edits?: Edit[];
  reseal?: boolean;
  first?: Edit[];
  second?: SecondSpec;
}

/** Builds the draft of a boundary case from its base's bytes. */
export function draftOf(valid: ReadonlyMap<string, Uint8Array>, c: CaseSpec): InvalidDraft {
  const b = valid.get(c.base);
  if (b === undefined) throw new Error(`vectors: no valid segment named ${c.base}`);
  const reseal = c.reseal ?? true;
  const edits = c.edits ?? [...(c.first ?? []), ...(c.second?.edits ?? [])];
  if (c.second && !c.first) throw new Error(`vectors: two-defect case ${c.name} has no first defect`);
  const second = c.second;
  return {
    name: c.name,
    base: c.base,
    code: c.code,
    flags: c.flags,
    comment: c.comment,
    ...applyEdits(b, edits, reseal && (second?.reseal ?? true)),
    target: c.target,
    ...(second
      ? {
          firstBytes: applyEdits(b, c.first!, reseal).bytes,
          second: {
            target: second.target,
            code: second.code,
            bytes: applyEdits(b, second.edits, second.reseal ?? true).bytes,
          },
        }
      : {}),
  };
}
