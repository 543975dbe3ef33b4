// The .ksy as a second, independent reader of the golden segment vectors (harness/kaitai/crosscheck.ts):
// every valid vector decodes to the reference's form field by field, every invalid vector whose defect the
// .ksy expresses is rejected, and the cross-check itself can fail (a tampered value, a re-sealed change,
// a mislabelled vector).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKaitaiParser } from "../../authoring/kaitai/compile.ts";
import { compareDecoded, kaitaiDecoded, referenceDecoded } from "../../authoring/kaitai/convert.ts";
import {
  type CrossCheckResult,
  kaitaiCrossCheck,
  readSegmentManifest,
  type SegmentCase,
} from "../../authoring/kaitai/crosscheck.ts";
import { loadExpressibility } from "../../authoring/kaitai/expressibility.ts";
import { VECTORS_DIR } from "../../catalog/paths.ts";
import { xxh64 } from "../../reference/common/hash.ts";
import { READER_CHECK_ORDER } from "../../reference/segment/check-order.ts";

/** What the table in crosscheck.ts says is expressible today: a floor, so the table cannot quietly shrink. */
const MIN_EXPRESSIBLE = 56;

const cases = readSegmentManifest();
const validCases = cases.filter((c) => c.result === "valid");
const invalidCases = cases.filter((c) => c.result === "invalid");
const caseNamed = (file: string): SegmentCase => {
  const c = cases.find((x) => x.file === file);
  if (!c) throw new Error(`no case for ${file} in vectors/segments/manifest.json`);
  return c;
};
const vectorBytes = (file: string) => new Uint8Array(readFileSync(join(VECTORS_DIR, file)));

const scratch: string[] = [];
/** A vectors directory holding only `entries` (file -> bytes) and a manifest of `manifestCases`. */
function scratchVectors(manifestCases: SegmentCase[], entries: Record<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "ksy-vectors-"));
  scratch.push(dir);
  mkdirSync(join(dir, "segments"), { recursive: true });
  writeFileSync(join(dir, "segments", "manifest.json"), JSON.stringify({ cases: manifestCases }));
  for (const [file, bytes] of Object.entries(entries)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), bytes);
  }
  return dir;
}
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe("Kaitai cross-check of the golden segment vectors", () => {
  let result: CrossCheckResult;
  beforeAll(async () => {
    result = await kaitaiCrossCheck();
  });

  it("[ATXI-LAY-001][ATXI-ASL-001][ATXI-TGK-001][ATXI-NPR-001][ATXI-FLT-006][ATXI-FTR-001][ATXI-INV-001] Kaitai decodes every valid vector exactly as the reference decoder and the manifest do, field by field", () => {
    expect(result.problems.map((p) => `${p.file}: ${p.message}`)).toEqual([]);
    expect(validCases.length).toBeGreaterThan(0);
    expect(result.checkedValid).toBe(validCases.length);
  });

  it(`[ATXI-DEC-001][ATXI-LAY-002] Kaitai rejects every invalid vector whose defect the .ksy expresses (at least ${MIN_EXPRESSIBLE})`, () => {
    expect(result.rejectedInvalid).toBe(result.expressibleInvalid);
    expect(result.rejectedInvalid).toBeGreaterThanOrEqual(MIN_EXPRESSIBLE);
    expect(result.rejectedInvalid + result.notExpressible.length).toBe(invalidCases.length);
  });

  it("[ATXI-FTR-002][ATXI-VIS-005][ATXI-NPR-002][ATXI-NPR-004][ATXI-FLT-002] the defects listed as inexpressible are only the checksum, shared logseqs, node-ref matching, the projection flag without a block and filter contents", () => {
    const inexpressibleCodes = new Set(result.notExpressible.map((n) => n.code));
    expect([...inexpressibleCodes].sort()).toEqual([
      "SEG_BAD_NODE_REF",
      "SEG_CHECKSUM_MISMATCH",
      "SEG_DUPLICATE_LOGSEQ",
      "SEG_FILTER_FALSE_NEGATIVE",
    ]);
    // Without the checksum Kaitai sees nothing wrong in a flipped record byte or a flipped checksum.
    for (const file of [
      "segments/malformed/record-bit-flip-unsealed.atxi",
      "segments/malformed/checksum-bit-flip.atxi",
    ])
      expect(result.notExpressible.find((n) => n.file === file)?.kaitai).toBe("parsed");
  });

  it("[ATXI-DEC-001] the expressibility table has a row for every step of the reader's check order", () => {
    const steps = new Set(loadExpressibility().map((r) => r.step));
    expect(READER_CHECK_ORDER.filter((s) => !steps.has(s))).toEqual([]);
  });
});

describe("the cross-check can fail", () => {
  it("[ATXI-INV-001][ATXI-ASL-001] a reference value altered by 1 above 2^53 (equal as JS numbers) is caught at its field path", async () => {
    const parse = await loadKaitaiParser();
    const file = "segments/u64-extremes.atxi";
    const bytes = vectorBytes(file);
    const expected = structuredClone(referenceDecoded(bytes));
    const mine = kaitaiDecoded(parse(bytes));
    expect(compareDecoded(mine, expected)).toEqual([]);

    const i = expected.asl_records.findIndex((r) => BigInt(r.artifact_id) > 2n ** 53n);
    expect(i).toBeGreaterThanOrEqual(0);
    const record = expected.asl_records[i]!;
    const altered = (BigInt(record.artifact_id) ^ 1n).toString();
    expect(Number(altered)).toBe(Number(record.artifact_id)); // a JS-number comparison would miss it
    record.artifact_id = altered;

    const diffs = compareDecoded(mine, expected);
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toMatch(
      new RegExp(`^asl_records\\[${i}\\]\\.artifact_id: Kaitai "\\d+", expected "${altered}"`),
    );
  });

  it("[ATXI-HDR-007][ATXI-FTR-002] a copy with a changed segment_id, re-sealed, fails against the vector's original decoded form", async () => {
    const file = "segments/full.atxi";
    const bytes = vectorBytes(file);
    const dv = new DataView(bytes.buffer);
    dv.setBigUint64(8, dv.getBigUint64(8, true) ^ (1n << 62n), true); // segment_id
    const fo = bytes.length - 32; // footer_offset of a valid segment (DEC-003)
    dv.setBigUint64(fo, xxh64([bytes.subarray(0, fo), bytes.subarray(fo + 8)]), true); // DEC-006

    const dir = scratchVectors([caseNamed(file)], { [file]: bytes });
    const r = await kaitaiCrossCheck(dir);
    expect(r.checkedValid).toBe(1);
    // The reference decoder accepts the re-sealed copy and agrees with Kaitai; the committed form does not.
    expect(r.problems.every((p) => p.file === file && p.message.includes("manifest"))).toBe(true);
    expect(r.problems.map((p) => p.message.split(":")[0]).sort()).toEqual([
      "footer.checksum",
      "header.segment_id",
    ]);
  });

  it("[ATXI-HDR-001][ATXI-DEC-001] a vector labelled with an expressible defect that Kaitai parses cleanly is a problem", async () => {
    const valid = caseNamed("segments/empty.atxi");
    const mislabelled: SegmentCase = {
      id: "seg-test",
      file: "segments/malformed/not-really-bad-magic.atxi",
      result: "invalid",
      expected_error: {
        code: "SEG_BAD_MAGIC",
        stage: "decode",
        step: "magic",
        offset: 0,
        field: "header.magic",
        rule: "ATXI-HDR-001",
      },
    };
    const dir = scratchVectors([mislabelled], { [mislabelled.file]: vectorBytes(valid.file) });
    const r = await kaitaiCrossCheck(dir);
    expect(r.rejectedInvalid).toBe(0);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toMatch(/Kaitai parses it cleanly, but its defect SEG_BAD_MAGIC/);
  });

  it("[ATXI-DEC-001] an invalid vector of a (step, code) the table does not know is a problem, not a pass", async () => {
    const c = structuredClone(caseNamed("segments/malformed/bad-magic.atxi"));
    c.expected_error!.step = "no-such-step";
    const dir = scratchVectors([c], { [c.file]: vectorBytes(c.file) });
    const r = await kaitaiCrossCheck(dir);
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/no row of EXPRESSIBILITY .* covers step no-such-step code SEG_BAD_MAGIC/),
    ]);
  });
});
