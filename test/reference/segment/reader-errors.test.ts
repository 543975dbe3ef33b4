// The reader's errors (DEC-027): the check order is errors.yaml's, each code comes from a single-defect
// mutation of a valid segment with its exact offset, and no input at all makes the reader throw anything
// but an AslError or hang (ATXI-DEC-002).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateSegmentVectors } from "../../../authoring/cases/segments/index.ts";
import { isAslError } from "../../../reference/common/errors.ts";
import { READER_CHECK_ORDER } from "../../../reference/segment/check-order.ts";
import { decodeSegment, verifySegment } from "../../../reference/segment/decode.ts";
import { encodeSegment, sealChecksum } from "../../../reference/segment/encode.ts";
import { EDGE_POOL, logArb, recordsOf } from "./helpers.ts";

const vectors = generateSegmentVectors();
const byName = new Map(vectors.segments.map((s) => [s.name, s]));
const errorsYaml = parse(readFileSync(new URL("../../../spec/errors.yaml", import.meta.url), "utf8")) as {
  reader_check_order: { step: string; code: string }[];
  codes: { code: string; stage: string }[];
};

describe("check order (DEC-027)", () => {
  it("[ATXI-DEC-001] the reader's steps are errors.yaml reader_check_order, in order, and every step is reached by some vector", () => {
    expect(errorsYaml.reader_check_order.map((s) => s.step)).toEqual([...READER_CHECK_ORDER]);
    const reached = new Set(vectors.malformed.map((m) => m.expected.step));
    expect(READER_CHECK_ORDER.filter((s) => !reached.has(s))).toEqual([]);
  });
  it("[ATXI-DEC-001] every malformed vector's stage is the stage errors.yaml gives its code", () => {
    const stage = new Map(errorsYaml.codes.map((c) => [c.code, c.stage]));
    for (const m of vectors.malformed) expect(m.expected.stage, m.name).toBe(stage.get(m.expected.code));
  });
  it("[ATXI-DEC-001] [ATXI-FTR-002] a defect before the checksum is reported even when the checksum is also wrong", () => {
    const b = byName.get("full")!.bytes.slice();
    b[4] = 9; // version, not re-sealed
    expect(verifySegment(b)).toMatchObject({
      ok: false,
      error: { code: "SEG_UNSUPPORTED_VERSION", offset: 4 },
    });
  });
  it("[ATXI-DEC-001] the lowest offset wins within a record pass; a later pass never pre-empts an earlier one", () => {
    const full = byName.get("full")!.bytes;
    const d = decodeSegment(full);
    const b = full.slice();
    b[d.asl.offsetOf(2) + 20] = 7; // has_type_tag of ASL record 2: SEG_BAD_BOOLEAN
    b[d.asl.offsetOf(4) + 21] = 1; // reserved byte of a later record: SEG_RESERVED_NONZERO
    b[d.nodeRefs!.offsetOf(0) + 24] = 9; // a node-ref defect, a later step
    sealChecksum(b);
    expect(verifySegment(b)).toMatchObject({
      ok: false,
      step: "asl-records",
      error: { code: "SEG_BAD_BOOLEAN", offset: d.asl.offsetOf(2) + 20 },
    });
  });
});

describe("single-defect mutations of valid segments", () => {
  const full = byName.get("full")!.bytes;
  const d = decodeSegment(full);
  const fo = Number(d.header.footerOffset);
  const f0 = d.filterFrames[0]!;
  const refs = d.nodeRefs!;
  // Offsets computed from the valid segment's structure, independently of the failing reader run.
  const expected: Record<string, [string, number]> = {
    "truncated-to-95-bytes": ["SEG_TRUNCATED", 95],
    "bad-magic": ["SEG_BAD_MAGIC", 0],
    "version-2": ["SEG_UNSUPPORTED_VERSION", 4],
    "footer-offset-plus-8": ["SEG_BAD_FOOTER_OFFSET", 56],
    "record-bit-flip-unsealed": ["SEG_CHECKSUM_MISMATCH", fo],
    "header-flag-bit-1": ["SEG_RESERVED_NONZERO", 6],
    "record-area-offset-misaligned": ["SEG_BAD_SECTION_BOUNDS", 48],
    "filter-bytes-mismatch": ["SEG_BAD_SECTION_BOUNDS", fo + 24],
    "asl-count-2p62": ["SEG_BAD_RECORD_COUNT", fo + 8],
    "asl-records-overrun-footer": ["SEG_BAD_RECORD_COUNT", 40],
    "filter-size-2p63": ["SEG_BAD_FILTER_HEADER", f0.offset + 8],
    "node-ref-block-size-not-32": ["SEG_BAD_ACCEL_BLOCK", d.accelFrames[1]!.offset + 8],
    "projection-flag-cleared": ["SEG_BAD_NODE_REF", 6],
    "logseq-min-zero": ["SEG_LOGSEQ_RANGE", 16],
    "asl-has-type-tag-2": ["SEG_BAD_BOOLEAN", d.asl.offsetOf(0) + 20],
    "asl-absent-tag-nonzero": ["SEG_ABSENT_FIELD_NONZERO", d.asl.offsetOf(1) + 16],
    "asl-tombstone-with-tag": ["SEG_TOMBSTONE_WITH_PAYLOAD", d.asl.offsetOf(3) + 20],
    "asl-order-swapped": ["SEG_RECORD_ORDER", d.asl.offsetOf(1)],
    "tgk-role-4": ["SEG_BAD_ROLE", d.tgk.offsetOf(0) + 21],
    "node-ref-position-3": ["SEG_BAD_NODE_REF", refs.offsetOf(0) + 24],
    "node-ref-matches-no-record": ["SEG_BAD_NODE_REF", refs.offsetOf(0) + 16],
    "bloom-num-hashes-33": ["SEG_BAD_FILTER_PARAMS", f0.payloadOffset + 4],
    "bloom-false-negative": ["SEG_FILTER_FALSE_NEGATIVE", f0.offset],
  };
  for (const m of vectors.malformed) {
    const rules = m.rules.map((r) => `[${r}]`).join(" ");
    it(`${rules} ${m.name}: ${m.expected.code} at offset ${m.expected.offset}`, () => {
      const v = verifySegment(m.bytes);
      expect(v.ok).toBe(false);
      if (v.ok) return;
      expect({
        code: v.error.code,
        offset: v.error.offset,
        field: v.error.field,
        rule: v.error.rule,
        step: v.step,
      }).toEqual({
        code: m.expected.code,
        offset: m.expected.offset,
        field: m.expected.field,
        rule: m.expected.rule,
        step: m.expected.step,
      });
      const hand = expected[m.name];
      if (hand) expect([v.error.code, v.error.offset]).toEqual(hand);
    });
  }
  it("[ATXI-DEC-001] every SEG_* code of errors.yaml has a malformed vector", () => {
    const seg = errorsYaml.codes.map((c) => c.code).filter((c) => c.startsWith("SEG_"));
    const have = new Set<string>(vectors.malformed.map((m) => m.expected.code));
    expect(seg.filter((c) => !have.has(c))).toEqual([]);
  });
});

describe("robustness (ATXI-DEC-002)", () => {
  const bases = ["full", "filters-xor8", "tgk-roles-projections", "empty"].map((n) => byName.get(n)!.bytes);
  const mutation = fc.record({
    base: fc.nat({ max: bases.length - 1 }),
    edits: fc.array(fc.record({ at: fc.nat(), value: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 6 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    reseal: fc.boolean(),
  });
  it("[ATXI-DEC-002] [ATXI-FTR-003] random byte mutations and truncations give a segment or one AslError, never another exception", () => {
    fc.assert(
      fc.property(mutation, ({ base, edits, cut, reseal }) => {
        let b = bases[base]!.slice();
        for (const e of edits) b[e.at % b.length] = e.value;
        if (cut !== undefined) b = b.slice(0, cut % (b.length + 1));
        if (reseal && b.length >= 96) sealChecksum(b);
        try {
          decodeSegment(b);
        } catch (e) {
          expect(isAslError(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
  it("[ATXI-DEC-002] u64 fields at their extremes (counts, offsets, sizes) give an AslError, never a RangeError or an allocation", () => {
    const full = byName.get("full")!.bytes;
    const d = decodeSegment(full);
    // logseq_max (offset 24) is left out: a large logseq_max is valid (bounds need not be tight).
    const fields = [
      16,
      32,
      40,
      48,
      56,
      Number(d.header.footerOffset) + 8,
      Number(d.header.footerOffset) + 16,
      Number(d.header.footerOffset) + 24,
      d.filterFrames[0]!.offset + 8,
      d.accelFrames[0]!.offset + 8,
    ];
    for (const at of fields) {
      for (const v of [1n << 62n, (1n << 64n) - 1n, 1n << 63n, 0xffffffffn]) {
        const b = full.slice();
        new DataView(b.buffer).setBigUint64(at, v, true);
        sealChecksum(b);
        const r = verifySegment(b);
        expect(r.ok, `offset ${at} = ${v}`).toBe(false);
      }
    }
  });
  it("[ATXI-DEC-002] a buffer at an odd byte offset decodes like an aligned one", () => {
    fc.assert(
      fc.property(logArb, (ops) => {
        const { asl, tgk } = recordsOf(ops);
        const b = encodeSegment({
          segmentId: 1n,
          logseqMin: 1n,
          logseqMax: BigInt(ops.length + 1),
          aslRecords: asl,
          tgkRecords: tgk,
          edges: EDGE_POOL,
          filters: [{ build: "bloom", domain: 3 }],
        });
        const shifted = new Uint8Array(b.length + 3);
        shifted.set(b, 3);
        expect(decodeSegment(shifted.subarray(3)).toSegment()).toEqual(decodeSegment(b).toSegment());
      }),
      { numRuns: 30 },
    );
  });
});
