// The malformed and invalid segments of the golden vectors: each is a named valid segment changed by a
// recorded list of byte edits, re-sealed with the DEC-006 checksum where DEC-027 asks for it, so that
// exactly one check of `reader_check_order` fails. Every SEG_* code has at least one case; the generator
// checks each case yields the code it was written for, in the step of the check it names (`target`). The
// boundary cases test each check just past its limit, with offsets and sizes that are aligned and in range
// but wrong, and with two defects whose checks come in a known order (the earlier one's error wins; the
// generator checks each defect alone gives its own). Rules: ATXI-DEC-001, ATXI-DEC-002, and the rule each
// defect breaks.

import type { ErrorCode } from "../../../reference/common/errors.ts";
import { xxh64 } from "../../../reference/common/hash.ts";
import { bloomProbePositions } from "../../../reference/filters/bloom.ts";
import type { BloomFilter } from "../../../reference/filters/filter.ts";
import { decodeSegment } from "../../../reference/segment/decode.ts";
import { AR, F, FR, H, NR, TR } from "../../../reference/segment/layout.ts";
import {
  applyEdits,
  at,
  type CaseSpec,
  type CheckRef,
  draftOf,
  type Edit,
  type InvalidDraft,
  u8,
  u16,
  u32,
  u64,
} from "./edits.ts";
import { recordAndFilterDrafts, recordBoundaryCases } from "./invalid-records.ts";

export function invalidDrafts(valid: ReadonlyMap<string, Uint8Array>): InvalidDraft[] {
  const out: InvalidDraft[] = [];
  const add = (
    base: string,
    name: string,
    code: ErrorCode,
    flags: string[],
    comment: string,
    edits: Edit[],
    reseal = true,
  ) => {
    const b = valid.get(base);
    if (b === undefined) throw new Error(`vectors: no valid segment named ${base}`);
    out.push({ name, base, code, flags, comment, ...applyEdits(b, edits, reseal) });
  };
  const full = valid.get("full")!;
  const d = decodeSegment(full);
  const fo = Number(d.header.footerOffset);
  const rao = Number(d.header.recordAreaOffset);
  const a = (i: number) => d.asl.offsetOf(i);
  const t = (i: number) => d.tgk.offsetOf(i);
  const ref = (i: number) => d.nodeRefs!.offsetOf(i);
  const [fBloom, fXor] = [d.filterFrames[0]!, d.filterFrames[1]!];
  const unknownBlock = d.accelFrames.find((f) => f.type !== 1)!;
  const refBlock = d.accelFrames.find((f) => f.type === 1)!;
  const tgkIndex = (pred: (i: number) => boolean) => [...Array(d.tgk.count).keys()].find(pred)!;
  const tgkTomb = tgkIndex((i) => d.tgk.tombstone(i));
  const tgkNoType = tgkIndex((i) => !d.tgk.tombstone(i) && d.tgk.edgeTypeKey(i) === undefined);
  const asl = full.subarray(a(0), a(0) + 48);

  add(
    "full",
    "truncated-to-95-bytes",
    "SEG_TRUNCATED",
    ["Truncated"],
    "fewer bytes than a header and a footer",
    [{ truncateAt: 95 }],
    false,
  );
  add(
    "full",
    "truncated-to-0-bytes",
    "SEG_TRUNCATED",
    ["Truncated"],
    "an empty file",
    [{ truncateAt: 0 }],
    false,
  );
  add("full", "bad-magic", "SEG_BAD_MAGIC", ["BadMagic"], "'BTXI' instead of 'ATXI'", [u8(0, 0x42)]);
  add(
    "full",
    "magic-byte-swapped",
    "SEG_BAD_MAGIC",
    ["BadMagic", "ByteOrder"],
    "'IXTA': the magic written as a big-endian u32",
    [u32(0, 0x41545849)],
  );
  add("full", "version-2", "SEG_UNSUPPORTED_VERSION", ["Version"], "version 2", [u16(H.version, 2)]);
  add("full", "version-0", "SEG_UNSUPPORTED_VERSION", ["Version"], "version 0", [u16(H.version, 0)]);
  add(
    "full",
    "footer-offset-plus-8",
    "SEG_BAD_FOOTER_OFFSET",
    ["FooterOffset"],
    "footer_offset points 8 bytes past the footer",
    [u64(H.footerOffset, BigInt(fo + 8))],
  );
  add(
    "full",
    "footer-offset-misaligned",
    "SEG_BAD_FOOTER_OFFSET",
    ["FooterOffset"],
    "footer_offset not a multiple of 8",
    [u64(H.footerOffset, BigInt(fo - 4))],
  );
  add(
    "full",
    "partly-written-footer",
    "SEG_BAD_FOOTER_OFFSET",
    ["Truncated", "Atomicity"],
    "the last 8 bytes never reached the disk",
    [{ truncateAt: full.length - 8 }],
    false,
  );
  add(
    "full",
    "record-bit-flip-unsealed",
    "SEG_CHECKSUM_MISMATCH",
    ["Checksum"],
    "one bit of an artifact_id flipped, checksum not re-sealed",
    [u8(a(0) + AR.artifactId, full[a(0) + AR.artifactId]! ^ 1)],
    false,
  );
  add(
    "full",
    "checksum-bit-flip",
    "SEG_CHECKSUM_MISMATCH",
    ["Checksum"],
    "one bit of the stored checksum flipped",
    [u8(fo, full[fo]! ^ 0x80)],
    false,
  );
  add(
    "full",
    "footer-count-flip-unsealed",
    "SEG_CHECKSUM_MISMATCH",
    ["Checksum"],
    "the footer's byte counts are covered by the checksum too",
    [u8(fo + F.aslRecordBytes, full[fo + F.aslRecordBytes]! ^ 8)],
    false,
  );
  add("full", "header-flag-bit-1", "SEG_RESERVED_NONZERO", ["ReservedBits"], "header flag bit 1 set", [
    u16(H.flags, d.header.flags | 2),
  ]);
  add(
    "full",
    "record-area-offset-misaligned",
    "SEG_BAD_SECTION_BOUNDS",
    ["SectionBounds"],
    "record_area_offset + 4",
    [u64(H.recordAreaOffset, BigInt(rao + 4))],
  );
  add(
    "full",
    "record-area-offset-past-footer",
    "SEG_BAD_SECTION_BOUNDS",
    ["SectionBounds"],
    "record_area_offset beyond footer_offset",
    [u64(H.recordAreaOffset, BigInt(fo + 8))],
  );
  add(
    "full",
    "filter-bytes-mismatch",
    "SEG_BAD_SECTION_BOUNDS",
    ["SectionBounds"],
    "footer filter_bytes + 8",
    [u64(fo + F.filterBytes, BigInt(rao - 64 + 8))],
  );
  add(
    "full",
    "asl-count-plus-1",
    "SEG_BAD_RECORD_COUNT",
    ["RecordCount"],
    "asl_record_count disagrees with the footer",
    [u64(H.aslRecordCount, BigInt(d.asl.count + 1))],
  );
  add(
    "full",
    "asl-count-2p62",
    "SEG_BAD_RECORD_COUNT",
    ["RecordCount", "HugeCount"],
    "asl_record_count 2^62: must be an error, never an allocation",
    [u64(H.aslRecordCount, 1n << 62n)],
  );
  add(
    "full",
    "tgk-count-u64-max",
    "SEG_BAD_RECORD_COUNT",
    ["RecordCount", "HugeCount"],
    "tgk_record_count 2^64-1 with a footer byte count to match modulo 2^64",
    [
      u64(H.tgkRecordCount, (1n << 64n) - 1n),
      u64(fo + F.tgkRecordBytes, (((1n << 64n) - 1n) * 24n) & ((1n << 64n) - 1n)),
    ],
  );
  const over = Math.floor((fo - rao - 24 * d.tgk.count) / 24) + 1;
  add(
    "full",
    "asl-records-overrun-footer",
    "SEG_BAD_RECORD_COUNT",
    ["RecordCount"],
    "count and footer agree, but the records would run past footer_offset",
    [u64(H.aslRecordCount, BigInt(over)), u64(fo + F.aslRecordBytes, BigInt(24 * over))],
  );
  add(
    "full",
    "filter-size-2p63",
    "SEG_BAD_FILTER_HEADER",
    ["FilterFraming", "HugeCount"],
    "a filter's size_bytes 2^63 overruns the filter area",
    [u64(fBloom.offset + FR.sizeBytes, 1n << 63n)],
  );
  add(
    "full",
    "filter-size-plus-8",
    "SEG_BAD_FILTER_HEADER",
    ["FilterFraming"],
    "the last filter's payload overruns the filter area by 8",
    [u64(d.filterFrames[2]!.offset + FR.sizeBytes, BigInt(d.filterFrames[2]!.sizeBytes + 8))],
  );
  const uf = decodeSegment(valid.get("unknown-filter-and-block")!);
  const padded = uf.filterFrames.find((f) => f.end > f.payloadOffset + f.sizeBytes)!;
  add(
    "unknown-filter-and-block",
    "filter-padding-nonzero",
    "SEG_RESERVED_NONZERO",
    ["Padding", "ReservedBits"],
    "a padding byte after an unknown filter's payload is not zero",
    [u8(padded.payloadOffset + padded.sizeBytes, 1)],
  );
  const ub = uf.accelFrames[0]!;
  add(
    "unknown-filter-and-block",
    "accel-padding-nonzero",
    "SEG_RESERVED_NONZERO",
    ["Padding", "ReservedBits", "UnknownBlock"],
    "a padding byte after an unknown block's payload is not zero",
    [u8(ub.payloadOffset + ub.sizeBytes + 1, 0x80)],
  );
  add(
    "full",
    "accel-block-size-overrun",
    "SEG_BAD_ACCEL_BLOCK",
    ["AccelFraming"],
    "an unknown block's size_bytes runs past footer_offset",
    [u64(unknownBlock.offset + FR.sizeBytes, BigInt(fo))],
  );
  add(
    "full",
    "node-ref-block-size-not-32",
    "SEG_BAD_ACCEL_BLOCK",
    ["AccelFraming", "NodeProjections"],
    "the node-edge-ref block's size_bytes is not a multiple of 32",
    [u64(refBlock.offset + FR.sizeBytes, BigInt(refBlock.sizeBytes - 8))],
  );
  add(
    "full",
    "node-ref-block-flags",
    "SEG_RESERVED_NONZERO",
    ["ReservedBits", "NodeProjections"],
    "the node-edge-ref block's flags are reserved",
    [u32(refBlock.offset + FR.flags, 1)],
  );
  add(
    "full",
    "projection-flag-cleared",
    "SEG_BAD_NODE_REF",
    ["NodeProjections"],
    "a node-edge-ref block without HAS_NODE_PROJECTIONS",
    [u16(H.flags, 0)],
  );
  add(
    "empty",
    "projection-flag-without-block",
    "SEG_BAD_NODE_REF",
    ["NodeProjections"],
    "HAS_NODE_PROJECTIONS set with no node-edge-ref block",
    [u16(H.flags, 1)],
  );
  add("full", "logseq-min-zero", "SEG_LOGSEQ_RANGE", ["LogseqRange"], "logseq_min 0", [u64(H.logseqMin, 0n)]);
  add("full", "logseq-max-below-min", "SEG_LOGSEQ_RANGE", ["LogseqRange"], "logseq_max < logseq_min", [
    u64(H.logseqMin, 5n),
    u64(H.logseqMax, 4n),
  ]);
  recordAndFilterDrafts({ add, full, d, a, t, ref, fBloom, fXor, tgkTomb, tgkNoType, asl });
  for (const d of out) d.target = SINGLE_DEFECT_TARGETS[d.name];
  for (const c of [...frameBoundaryCases(valid), ...stepPairCases(valid), ...recordBoundaryCases(valid)])
    out.push(draftOf(valid, c));
  return out;
}

/** The check each single-defect case above is written for (the generator checks the step it fails in). */
const SINGLE_DEFECT_TARGETS: Record<string, CheckRef> = {
  "truncated-to-95-bytes": at("size"),
  "truncated-to-0-bytes": at("size"),
  "bad-magic": at("magic"),
  "magic-byte-swapped": at("magic"),
  "version-2": at("version"),
  "version-0": at("version"),
  "footer-offset-plus-8": at("footer"),
  "footer-offset-misaligned": at("footer"),
  "partly-written-footer": at("footer"),
  "record-bit-flip-unsealed": at("checksum"),
  "checksum-bit-flip": at("checksum"),
  "footer-count-flip-unsealed": at("checksum"),
  "header-flag-bit-1": at("header-flags"),
  "record-area-offset-misaligned": at("section-bounds", 0),
  "record-area-offset-past-footer": at("section-bounds", 0),
  "filter-bytes-mismatch": at("section-bounds", 1),
  "asl-count-plus-1": at("record-counts", 0),
  "asl-count-2p62": at("record-counts", 0),
  "tgk-count-u64-max": at("record-counts", 1),
  "asl-records-overrun-footer": at("record-counts", 3),
  "filter-size-2p63": at("filter-framing", 1),
  "filter-size-plus-8": at("filter-framing", 1),
  "filter-padding-nonzero": at("filter-framing", 2),
  "accel-padding-nonzero": at("accel-framing", 4),
  "accel-block-size-overrun": at("accel-framing", 1),
  "node-ref-block-size-not-32": at("accel-framing", 2),
  "node-ref-block-flags": at("accel-framing", 3),
  "projection-flag-cleared": at("projection-flag", 1),
  "projection-flag-without-block": at("projection-flag", 1),
  "logseq-min-zero": at("logseq-bounds", 0),
  "logseq-max-below-min": at("logseq-bounds", 1),
  "asl-reserved-byte": at("asl-records", 0),
  "asl-flag-bit-1": at("asl-records", 1),
  "asl-has-type-tag-2": at("asl-records", 2),
  "asl-absent-tag-nonzero": at("asl-records", 3),
  "asl-tombstone-with-tag": at("asl-records", 4),
  "asl-logseq-above-max": at("asl-records", 5),
  "asl-order-swapped": at("asl-records", 6),
  "asl-duplicate-key": at("asl-records", 6),
  "tgk-flag-bit-2": at("tgk-records", 0),
  "tgk-has-edge-type-2": at("tgk-records", 1),
  "tgk-absent-edge-type-nonzero": at("tgk-records", 2),
  "tgk-role-4": at("tgk-records", 3),
  "tgk-role-255": at("tgk-records", 3),
  "tgk-tombstone-with-edge-type": at("tgk-records", 4),
  "tgk-tombstone-with-role": at("tgk-records", 5),
  "tgk-logseq-below-min": at("tgk-records", 6),
  "tgk-order-swapped": at("tgk-records", 7),
  "tgk-logseq-equals-asl-logseq": at("logseq-unique"),
  "node-ref-reserved-byte": at("node-refs", 0),
  "node-ref-position-3": at("node-refs", 1),
  "node-ref-logseq-above-max": at("node-refs", 2),
  "node-ref-order-swapped": at("node-refs", 3),
  "node-ref-matches-no-record": at("node-refs", 4),
  "filter-domain-0": at("filter-contents", 0),
  "filter-flag-bit-2": at("filter-contents", 1),
  "bloom-num-bits-0": at("filter-contents", 3),
  "bloom-num-hashes-33": at("filter-contents", 4),
  "bloom-size-disagrees": at("filter-contents", 5),
  "bloom-unused-bits-set": at("filter-contents", 6),
  "xor8-block-length-0": at("filter-contents", 7),
  "xor8-reserved-nonzero": at("filter-contents", 8),
  "bloom-false-negative": at("filter-completeness"),
  "xor8-false-negative": at("filter-completeness"),
};

const U64_MAX = (1n << 64n) - 1n;
const flip = (bytes: Uint8Array, offset: number, mask = 1): Edit => u8(offset, bytes[offset]! ^ mask);

/**
 * The boundary cases of the steps before the record passes (size .. logseq-bounds): for each check, a
 * defect just past its limit (the valid side is a valid segment, `inside` in valid.ts), offsets and sizes
 * that are aligned and in range but wrong, values whose u64 arithmetic wraps, defects only in the high bits
 * of a field, checksums computed over the wrong bytes, and two defects in sub-checks of one step.
 */
function frameBoundaryCases(valid: ReadonlyMap<string, Uint8Array>): CaseSpec[] {
  const full = valid.get("full")!;
  const d = decodeSegment(full);
  const fo = Number(d.header.footerOffset);
  const rao = Number(d.header.recordAreaOffset);
  const f0 = d.filterFrames[0]!;
  const f2 = d.filterFrames[2]!;
  const unknownBlock = d.accelFrames.find((f) => f.type !== 1)!;
  const refBlock = d.accelFrames.find((f) => f.type === 1)!;
  const filterRoom = (f: typeof f0) => rao - f.payloadOffset;
  const out: CaseSpec[] = [];
  const c = (x: CaseSpec) => out.push(x);

  // size
  c({
    base: "empty",
    name: "empty-truncated-to-95-bytes",
    code: "SEG_TRUNCATED",
    target: at("size"),
    flags: ["Truncated", "OffByOne"],
    comment: "the smallest valid segment (96 bytes) less its last byte",
    edits: [{ truncateAt: 95 }],
    reseal: false,
  });
  c({
    base: "full",
    name: "truncated-to-96-bytes",
    code: "SEG_BAD_FOOTER_OFFSET",
    target: at("footer"),
    flags: ["Truncated", "OffByOne"],
    comment:
      "96 bytes pass the size check (a reader that wants more than 96 says SEG_TRUNCATED); footer_offset then does not fit",
    edits: [{ truncateAt: 96 }],
    reseal: false,
  });
  // magic
  for (const [i, v, what] of [
    [1, 0x55, "'AUXI'"],
    [2, 0x59, "'ATYI'"],
    [3, 0x69, "'ATXi'"],
  ] as const)
    c({
      base: "full",
      name: `magic-byte-${i}-wrong`,
      code: "SEG_BAD_MAGIC",
      target: at("magic"),
      flags: ["BadMagic"],
      comment: `${what}: only byte ${i} of the magic is wrong`,
      edits: [u8(i, v)],
    });
  // version
  c({
    base: "full",
    name: "version-257",
    code: "SEG_UNSUPPORTED_VERSION",
    target: at("version"),
    flags: ["Version", "HighBits"],
    comment: "version 0x0101: its low byte is 1",
    edits: [u16(H.version, 0x101)],
  });
  c({
    base: "full",
    name: "version-65535",
    code: "SEG_UNSUPPORTED_VERSION",
    target: at("version"),
    flags: ["Version"],
    comment: "version 0xFFFF (-1 as a signed u16)",
    edits: [u16(H.version, 0xffff)],
  });
  // footer
  const fOff = (name: string, v: bigint, comment: string, flags: string[]) =>
    c({
      base: "full",
      name,
      code: "SEG_BAD_FOOTER_OFFSET",
      target: at("footer"),
      flags: ["FooterOffset", ...flags],
      comment,
      edits: [u64(H.footerOffset, v)],
    });
  fOff("footer-offset-minus-8", BigInt(fo - 8), "footer_offset 8 too small: aligned and inside the segment", [
    "AlignedWrong",
    "OffByOne",
  ]);
  fOff("footer-offset-plus-1", BigInt(fo + 1), "footer_offset one byte past the footer", ["OffByOne"]);
  fOff(
    "footer-offset-at-record-area",
    BigInt(rao),
    "footer_offset = record_area_offset: aligned, inside the segment, the start of a section",
    ["AlignedWrong"],
  );
  fOff(
    "footer-offset-plus-2p32",
    BigInt(fo) + (1n << 32n),
    "footer_offset right in its low 32 bits, 1 in its high half",
    ["HighBits"],
  );
  c({
    base: "full",
    name: "footer-offset-misaligned-at-end",
    code: "SEG_BAD_FOOTER_OFFSET",
    target: at("footer"),
    flags: ["FooterOffset"],
    comment:
      "4 zero bytes inserted before the footer and footer_offset + 4: the footer is at the end, but footer_offset is not a multiple of 8",
    edits: [{ insertAt: fo, bytes: new Uint8Array(4) }, u64(H.footerOffset, BigInt(fo + 4))],
  });
  // checksum: the right XXH64 of other bytes, or stored another way; a flip at each end of the covered bytes
  const sum = (parts: Uint8Array[]) => xxh64(parts);
  const zeroed = full.slice();
  zeroed.fill(0, fo, fo + 8);
  const right = sum([full.subarray(0, fo), full.subarray(fo + 8)]);
  const wrongSums: [string, bigint, string][] = [
    ["checksum-big-endian", BigInt.asUintN(64, bswap64(right)), "the right checksum stored big-endian"],
    [
      "checksum-over-zeroed-field",
      sum([zeroed]),
      "XXH64 of the whole segment with the checksum field zeroed",
    ],
    [
      "checksum-without-footer-tail",
      sum([full.subarray(0, fo)]),
      "XXH64 of [0, footer_offset) only: the footer's byte counts left out",
    ],
    [
      "checksum-draft-coverage",
      sum([full.subarray(0, d.tgk.offsetOf(d.tgk.count))]),
      "XXH64 of the header, filters and records only (the draft's list), not the acceleration area or the footer",
    ],
    ["checksum-seed-1", xxh64([full.subarray(0, fo), full.subarray(fo + 8)], 1n), "XXH64 with seed 1, not 0"],
  ];
  for (const [name, v, comment] of wrongSums)
    c({
      base: "full",
      name,
      code: "SEG_CHECKSUM_MISMATCH",
      target: at("checksum"),
      flags: ["Checksum", "ChecksumVariant"],
      comment,
      edits: [u64(fo + F.checksum, v)],
      reseal: false,
    });
  for (const [name, o, comment] of [
    [
      "segment-id-flip-unsealed",
      H.segmentId,
      "one bit of segment_id flipped (the first byte after the fields checked before the checksum)",
    ],
    ["byte-before-footer-flip-unsealed", fo - 1, "one bit of the last byte before the footer flipped"],
    ["footer-last-byte-flip-unsealed", fo + 31, "one bit of the footer's last byte (filter_bytes) flipped"],
  ] as const)
    c({
      base: "full",
      name,
      code: "SEG_CHECKSUM_MISMATCH",
      target: at("checksum"),
      flags: ["Checksum"],
      comment: `${comment}, checksum not re-sealed`,
      edits: [flip(full, o, o === fo + 31 ? 0x80 : 1)],
      reseal: false,
    });
  // header-flags
  c({
    base: "full",
    name: "header-flag-bit-15",
    code: "SEG_RESERVED_NONZERO",
    target: at("header-flags"),
    flags: ["ReservedBits", "HighBits"],
    comment: "header flag bit 15 set (the high byte of the u16)",
    edits: [u16(H.flags, d.header.flags | 0x8000)],
  });
  // section-bounds
  const sb = (name: string, check: number, edits: Edit[], comment: string, flags: string[]) =>
    c({
      base: "full",
      name,
      code: "SEG_BAD_SECTION_BOUNDS",
      target: at("section-bounds", check),
      flags: ["SectionBounds", ...flags],
      comment,
      edits,
    });
  sb(
    "record-area-offset-56",
    0,
    [u64(H.recordAreaOffset, 56n), u64(fo + F.filterBytes, U64_MAX - 7n)],
    "record_area_offset 56, a multiple of 8 below 64, with filter_bytes 2^64 - 8 = 56 - 64 modulo 2^64",
    ["OffByOne", "ExactArithmetic"],
  );
  sb(
    "record-area-offset-plus-8",
    1,
    [u64(H.recordAreaOffset, BigInt(rao + 8))],
    "record_area_offset 8 too far (aligned, inside the segment) and filter_bytes unchanged",
    ["AlignedWrong"],
  );
  sb(
    "filter-bytes-minus-8",
    1,
    [u64(fo + F.filterBytes, BigInt(rao - 64 - 8))],
    "footer filter_bytes 8 too small",
    ["AlignedWrong"],
  );
  sb(
    "filter-bytes-equals-record-area-offset",
    1,
    [u64(fo + F.filterBytes, BigInt(rao))],
    "footer filter_bytes = record_area_offset (the header's 64 bytes not taken off)",
    ["AlignedWrong"],
  );
  sb(
    "filter-bytes-high-word",
    1,
    [u64(fo + F.filterBytes, BigInt(rao - 64) + (1n << 32n))],
    "footer filter_bytes right in its low 32 bits, 1 in its high half",
    ["HighBits"],
  );
  c({
    base: "full",
    name: "record-area-offset-misaligned-and-filter-bytes",
    code: "SEG_BAD_SECTION_BOUNDS",
    target: at("section-bounds", 0),
    flags: ["SectionBounds", "TwoDefects"],
    comment:
      "record_area_offset + 4 and filter_bytes + 8: the record_area_offset check comes first (offset 48)",
    first: [u64(H.recordAreaOffset, BigInt(rao + 4))],
    second: {
      edits: [u64(fo + F.filterBytes, BigInt(rao - 64 + 8))],
      code: "SEG_BAD_SECTION_BOUNDS",
      target: at("section-bounds", 1),
    },
  });
  c({
    base: "full",
    name: "record-area-offset-plus-8-filter-bytes-agree",
    code: "SEG_BAD_FILTER_HEADER",
    target: at("filter-framing", 0),
    flags: ["AlignedWrong", "FilterFraming"],
    comment:
      "record_area_offset and filter_bytes both 8 too far, so they agree: the filter area then ends with 8 bytes, too few for a frame header",
    edits: [u64(H.recordAreaOffset, BigInt(rao + 8)), u64(fo + F.filterBytes, BigInt(rao - 64 + 8))],
  });
  c({
    base: "full",
    name: "record-area-offset-one-frame-back",
    code: "SEG_BAD_ACCEL_BLOCK",
    target: at("accel-framing", 1),
    flags: ["AlignedWrong"],
    comment:
      "record_area_offset (and filter_bytes) one filter frame too early: the frames still tile the shorter area and the counts still fit, so every section after starts early and a TGK record is read as a block header",
    edits: [u64(H.recordAreaOffset, BigInt(f2.offset)), u64(fo + F.filterBytes, BigInt(f2.offset - 64))],
  });
  c({
    base: "full",
    name: "record-area-offset-equals-footer-offset",
    code: "SEG_BAD_RECORD_COUNT",
    target: at("record-counts", 2),
    flags: ["AlignedWrong", "RecordCount"],
    comment:
      "record_area_offset = footer_offset (allowed) with filter_bytes to match: the section bounds hold, and the ASL records then overrun the footer",
    edits: [u64(H.recordAreaOffset, BigInt(fo)), u64(fo + F.filterBytes, BigInt(fo - 64))],
  });
  // record-counts
  const rc = (base: string, name: string, check: number, edits: Edit[], comment: string, flags: string[]) =>
    c({
      base,
      name,
      code: "SEG_BAD_RECORD_COUNT",
      target: at("record-counts", check),
      flags: ["RecordCount", ...flags],
      comment,
      edits,
    });
  const nA = BigInt(d.asl.count);
  const nT = BigInt(d.tgk.count);
  rc(
    "full",
    "asl-record-bytes-minus-24",
    0,
    [u64(fo + F.aslRecordBytes, 24n * (nA - 1n))],
    "footer asl_record_bytes one record short",
    ["AlignedWrong"],
  );
  rc(
    "full",
    "asl-record-bytes-8-per-record",
    0,
    [u64(fo + F.aslRecordBytes, 8n * nA)],
    "footer asl_record_bytes = 8 x asl_record_count",
    ["AlignedWrong"],
  );
  rc(
    "full",
    "asl-count-plus-2p61",
    0,
    [u64(H.aslRecordCount, nA + (1n << 61n))],
    "asl_record_count + 2^61: 24 x asl_record_count equals footer asl_record_bytes modulo 2^64, not exactly",
    ["ExactArithmetic", "HugeCount"],
  );
  rc(
    "full",
    "tgk-count-plus-1",
    1,
    [u64(H.tgkRecordCount, nT + 1n)],
    "tgk_record_count disagrees with the footer",
    ["OffByOne"],
  );
  rc(
    "full",
    "tgk-record-bytes-minus-24",
    1,
    [u64(fo + F.tgkRecordBytes, 24n * (nT - 1n))],
    "footer tgk_record_bytes one record short",
    ["AlignedWrong"],
  );
  rc(
    "full",
    "tgk-count-plus-2p61",
    1,
    [u64(H.tgkRecordCount, nT + (1n << 61n))],
    "tgk_record_count + 2^61: 24 x tgk_record_count equals footer tgk_record_bytes modulo 2^64, not exactly",
    ["ExactArithmetic", "HugeCount"],
  );
  const r = decodeSegment(valid.get("records-end-at-footer")!);
  const [ra, rt] = [BigInt(r.asl.count), BigInt(r.tgk.count)];
  const rfo = Number(r.header.footerOffset);
  const counts = (asl: bigint, tgk: bigint): Edit[] => [
    u64(H.aslRecordCount, asl),
    u64(H.tgkRecordCount, tgk),
    u64(rfo + F.aslRecordBytes, 24n * asl),
    u64(rfo + F.tgkRecordBytes, 24n * tgk),
  ];
  rc(
    "records-end-at-footer",
    "asl-records-overrun-footer-by-one-record",
    2,
    counts(ra + rt + 1n, rt),
    "asl_record_count (footer to match) such that the ASL records alone end one record past footer_offset",
    ["OffByOne"],
  );
  rc(
    "records-end-at-footer",
    "asl-records-end-at-footer-tgk-overrun",
    3,
    counts(ra + rt, rt),
    "the ASL records end exactly at footer_offset (allowed), so the TGK records after them overrun it",
    ["OffByOne"],
  );
  rc(
    "records-end-at-footer",
    "tgk-records-overrun-footer-by-one-record",
    3,
    counts(ra, rt + 1n),
    "tgk_record_count + 1 (footer to match): the TGK records end one record past footer_offset",
    ["OffByOne"],
  );
  const near = U64_MAX / 24n;
  rc(
    "records-end-at-footer",
    "asl-record-bytes-near-2p64",
    2,
    counts(near, rt),
    "asl_record_count floor((2^64-1)/24), footer to match (2^64 - 16): record_area_offset + asl_record_bytes wraps below footer_offset in u64",
    ["ExactArithmetic", "HugeCount"],
  );
  rc(
    "records-end-at-footer",
    "tgk-record-bytes-near-2p64",
    3,
    counts(ra, near),
    "tgk_record_count floor((2^64-1)/24), footer to match: the records' end wraps below footer_offset in u64",
    ["ExactArithmetic", "HugeCount"],
  );
  // On a segment with small synthetic tgk_edge_ids and no acceleration area, so that the record read as a
  // block header has a small size_bytes (the .ksy's JavaScript runtime truncates a length to 32 bits).
  const ro = decodeSegment(valid.get("record-order-adjacent")!);
  const roFo = Number(ro.header.footerOffset);
  const [roA, roT] = [BigInt(ro.asl.count), BigInt(ro.tgk.count)];
  c({
    base: "record-order-adjacent",
    name: "asl-count-minus-1-footer-agrees",
    code: "SEG_BAD_ACCEL_BLOCK",
    target: at("accel-framing", 1),
    flags: ["AlignedWrong", "RecordCount"],
    comment:
      "asl_record_count one short with the footer to match: the records end 24 bytes before footer_offset and the last TGK record is read as a block header",
    edits: [u64(H.aslRecordCount, roA - 1n), u64(roFo + F.aslRecordBytes, 24n * (roA - 1n))],
  });
  c({
    base: "record-order-adjacent",
    name: "tgk-count-minus-1-footer-agrees",
    code: "SEG_BAD_ACCEL_BLOCK",
    target: at("accel-framing", 1),
    flags: ["AlignedWrong", "RecordCount"],
    comment:
      "tgk_record_count one short with the footer to match: the last TGK record is read as an acceleration block header",
    edits: [u64(H.tgkRecordCount, roT - 1n), u64(roFo + F.tgkRecordBytes, 24n * (roT - 1n))],
  });
  c({
    base: "full",
    name: "asl-and-tgk-products-wrong",
    code: "SEG_BAD_RECORD_COUNT",
    target: at("record-counts", 0),
    flags: ["RecordCount", "TwoDefects"],
    comment:
      "asl_record_count + 1 and tgk_record_count + 1: the ASL product is checked first (footer_offset + 8)",
    first: [u64(H.aslRecordCount, nA + 1n)],
    second: {
      edits: [u64(H.tgkRecordCount, nT + 1n)],
      code: "SEG_BAD_RECORD_COUNT",
      target: at("record-counts", 1),
    },
  });
  c({
    base: "records-end-at-footer",
    name: "tgk-product-wrong-and-asl-overrun",
    code: "SEG_BAD_RECORD_COUNT",
    target: at("record-counts", 1),
    flags: ["RecordCount", "TwoDefects"],
    comment:
      "tgk_record_bytes disagrees with tgk_record_count, and the ASL records overrun the footer: the products come before the overruns",
    first: [u64(rfo + F.tgkRecordBytes, 24n * (rt + 1n))],
    second: {
      edits: [u64(H.aslRecordCount, ra + rt + 1n), u64(rfo + F.aslRecordBytes, 24n * (ra + rt + 1n))],
      code: "SEG_BAD_RECORD_COUNT",
      target: at("record-counts", 2),
    },
  });
  // filter-framing
  const ff = (
    name: string,
    check: number,
    code: ErrorCode,
    edits: Edit[],
    comment: string,
    flags: string[],
    base = "full",
  ) =>
    c({
      base,
      name,
      code,
      target: at("filter-framing", check),
      flags: ["FilterFraming", ...flags],
      comment,
      edits,
    });
  ff(
    "filter-size-room-plus-1",
    1,
    "SEG_BAD_FILTER_HEADER",
    [u64(f2.offset + FR.sizeBytes, BigInt(filterRoom(f2) + 1))],
    "the last filter's size_bytes one more than the bytes left in the area",
    ["OffByOne"],
  );
  ff(
    "filter-size-u64-max",
    1,
    "SEG_BAD_FILTER_HEADER",
    [u64(f0.offset + FR.sizeBytes, U64_MAX)],
    "size_bytes 2^64 - 1: rounded up to 8 it wraps to 0 in u64",
    ["ExactArithmetic", "HugeCount"],
  );
  ff(
    "filter-size-2p64-minus-16",
    1,
    "SEG_BAD_FILTER_HEADER",
    [u64(f0.offset + FR.sizeBytes, U64_MAX - 15n)],
    "size_bytes 2^64 - 16: the frame's start + 16 + size_bytes wraps to the frame's start in u64",
    ["ExactArithmetic", "HugeCount"],
  );
  ff(
    "filter-size-plus-2p32",
    1,
    "SEG_BAD_FILTER_HEADER",
    [u64(f0.offset + FR.sizeBytes, BigInt(f0.sizeBytes) + (1n << 32n))],
    "the first filter's size_bytes right in its low 32 bits, 1 in its high half",
    ["HighBits"],
  );
  ff(
    "filter-size-minus-8-stray-bytes",
    0,
    "SEG_BAD_FILTER_HEADER",
    [u64(f2.offset + FR.sizeBytes, BigInt(f2.sizeBytes - 8))],
    "the last filter's size_bytes 8 too small: 8 bytes are left, too few for a frame header",
    ["AlignedWrong", "StrayBytes"],
  );
  ff(
    "filter-size-plus-8-into-next-frame",
    1,
    "SEG_BAD_FILTER_HEADER",
    [u64(f0.offset + FR.sizeBytes, BigInt(f0.sizeBytes + 8))],
    "the first filter's size_bytes 8 too large (it still fits): the next frame is read 8 bytes late",
    ["AlignedWrong"],
  );
  ff(
    "filter-area-stray-8-bytes",
    0,
    "SEG_BAD_FILTER_HEADER",
    [
      { insertAt: rao, bytes: new Uint8Array(8) },
      u64(H.recordAreaOffset, BigInt(rao + 8)),
      u64(H.footerOffset, BigInt(fo + 8)),
      u64(fo + 8 + F.filterBytes, BigInt(rao + 8 - 64)),
    ],
    "8 zero bytes inserted after the last filter, every offset moved to match: the area ends with 8 bytes, too few for a frame header",
    ["StrayBytes"],
  );
  const uf = decodeSegment(valid.get("unknown-filter-and-block")!);
  const padded = uf.filterFrames.filter((f) => f.end > f.payloadOffset + f.sizeBytes);
  const [pf0, pf1] = [padded[0]!, padded[padded.length - 1]!];
  ff(
    "filter-padding-last-byte",
    2,
    "SEG_RESERVED_NONZERO",
    [u8(pf0.end - 1, 0x80)],
    "the last padding byte after an unknown filter's payload is not zero",
    ["Padding", "ReservedBits"],
    "unknown-filter-and-block",
  );
  c({
    base: "unknown-filter-and-block",
    name: "filter-padding-two-bytes",
    code: "SEG_RESERVED_NONZERO",
    target: at("filter-framing", 2),
    flags: ["FilterFraming", "Padding", "ReservedBits", "TwoDefects"],
    comment: "the first and the last padding bytes of one filter are not zero: the first is reported",
    first: [u8(pf0.payloadOffset + pf0.sizeBytes, 1)],
    second: { edits: [u8(pf0.end - 1, 1)], code: "SEG_RESERVED_NONZERO", target: at("filter-framing", 2) },
  });
  c({
    base: "unknown-filter-and-block",
    name: "filter-padding-then-later-overrun",
    code: "SEG_RESERVED_NONZERO",
    target: at("filter-framing", 2),
    flags: ["FilterFraming", "Padding", "StructureOrder", "TwoDefects"],
    comment:
      "a padding byte of the first filter is not zero and the last filter's size_bytes overruns the area: frames are checked in full one after the other, so the padding is reported",
    first: [u8(pf0.payloadOffset + pf0.sizeBytes, 1)],
    second: {
      edits: [
        u64(pf1.offset + FR.sizeBytes, BigInt(Number(uf.header.recordAreaOffset) - pf1.payloadOffset + 1)),
      ],
      code: "SEG_BAD_FILTER_HEADER",
      target: at("filter-framing", 1),
    },
  });
  // accel-framing
  const af = (
    base: string,
    name: string,
    check: number,
    code: ErrorCode,
    edits: Edit[],
    comment: string,
    flags: string[],
  ) =>
    c({
      base,
      name,
      code,
      target: at("accel-framing", check),
      flags: ["AccelFraming", ...flags],
      comment,
      edits,
    });
  af(
    "full",
    "accel-area-stray-8-bytes",
    0,
    "SEG_BAD_ACCEL_BLOCK",
    [{ insertAt: fo, bytes: new Uint8Array(8) }, u64(H.footerOffset, BigInt(fo + 8))],
    "8 zero bytes inserted before the footer and footer_offset + 8: the acceleration area ends with 8 bytes, too few for a block header",
    ["StrayBytes"],
  );
  const ax = decodeSegment(valid.get("accel-area-exact-fit")!);
  const axBlocks = ax.accelFrames;
  const axLast = axBlocks[axBlocks.length - 1]!;
  af(
    "accel-area-exact-fit",
    "accel-size-room-plus-1",
    1,
    "SEG_BAD_ACCEL_BLOCK",
    [u64(axLast.offset + FR.sizeBytes, 1n)],
    "the last block (16 bytes, empty) given size_bytes 1: padded to 8, one byte more than the area has",
    ["OffByOne"],
  );
  af(
    "full",
    "accel-size-u64-max",
    1,
    "SEG_BAD_ACCEL_BLOCK",
    [u64(unknownBlock.offset + FR.sizeBytes, U64_MAX)],
    "an unknown block's size_bytes 2^64 - 1: rounded up to 8 it wraps to 0 in u64",
    ["ExactArithmetic", "HugeCount", "UnknownBlock"],
  );
  af(
    "accel-area-exact-fit",
    "accel-unknown-size-plus-8",
    0,
    "SEG_BAD_ACCEL_BLOCK",
    [u64(axBlocks[3]!.offset + FR.sizeBytes, BigInt(axBlocks[3]!.sizeBytes + 8))],
    "an unknown block's size_bytes 8 too large (it still fits): its payload takes half of the next block's header, and 8 bytes are left",
    ["AlignedWrong", "UnknownBlock", "StrayBytes"],
  );
  af(
    "full",
    "node-ref-block-size-minus-32",
    4,
    "SEG_RESERVED_NONZERO",
    [u64(refBlock.offset + FR.sizeBytes, BigInt(refBlock.sizeBytes - 32))],
    "the node-edge-ref block's size_bytes one ref short (a multiple of 32 that fits): the last ref is read as a block header, whose padding is not zero",
    ["AlignedWrong", "NodeProjections"],
  );
  af(
    "full",
    "node-ref-block-size-16",
    2,
    "SEG_BAD_ACCEL_BLOCK",
    [u64(refBlock.offset + FR.sizeBytes, 16n)],
    "the node-edge-ref block's size_bytes 16: a multiple of 8 and 16, not of 32",
    ["AlignedWrong", "NodeProjections"],
  );
  af(
    "full",
    "node-ref-block-flag-bit-31",
    3,
    "SEG_RESERVED_NONZERO",
    [u32(refBlock.offset + FR.flags, 0x80000000)],
    "the node-edge-ref block's flag bit 31 set",
    ["ReservedBits", "HighBits", "NodeProjections"],
  );
  const ub = uf.accelFrames[0]!;
  af(
    "unknown-filter-and-block",
    "accel-padding-last-byte",
    4,
    "SEG_RESERVED_NONZERO",
    [u8(ub.end - 1, 1)],
    "the last padding byte after an unknown block's payload is not zero",
    ["Padding", "ReservedBits", "UnknownBlock"],
  );
  af(
    "accel-area-exact-fit",
    "block-type-1-version-2-made-version-1",
    2,
    "SEG_BAD_ACCEL_BLOCK",
    [u16(axBlocks[2]!.offset + FR.version, 1)],
    "the 5-byte type 1 version 2 block (every flag bit set) given version 1: now a node-edge-ref block, whose size is checked before its flags",
    ["UnknownVersion"],
  );
  c({
    base: "full",
    name: "node-ref-block-size-and-flags",
    code: "SEG_BAD_ACCEL_BLOCK",
    target: at("accel-framing", 2),
    flags: ["AccelFraming", "NodeProjections", "TwoDefects"],
    comment:
      "the node-edge-ref block's size_bytes is not a multiple of 32 and its flags are not zero: the size is checked first",
    first: [u64(refBlock.offset + FR.sizeBytes, BigInt(refBlock.sizeBytes - 8))],
    second: {
      edits: [u32(refBlock.offset + FR.flags, 1)],
      code: "SEG_RESERVED_NONZERO",
      target: at("accel-framing", 3),
    },
  });
  c({
    base: "full",
    name: "accel-padding-then-node-ref-size",
    code: "SEG_RESERVED_NONZERO",
    target: at("accel-framing", 4),
    flags: ["AccelFraming", "Padding", "StructureOrder", "TwoDefects"],
    comment:
      "a padding byte of the first (unknown) block is not zero and the node-edge-ref block after it has a size not a multiple of 32: the first frame is checked in full first",
    first: [u8(unknownBlock.payloadOffset + unknownBlock.sizeBytes, 1)],
    second: {
      edits: [u64(refBlock.offset + FR.sizeBytes, BigInt(refBlock.sizeBytes - 8))],
      code: "SEG_BAD_ACCEL_BLOCK",
      target: at("accel-framing", 2),
    },
  });
  // projection-flag
  c({
    base: "accel-area-exact-fit",
    name: "two-node-ref-blocks",
    code: "SEG_BAD_NODE_REF",
    target: at("projection-flag", 0),
    flags: ["NodeProjections"],
    comment:
      "the empty type 1 version 2 block before the node-edge-ref block given version 1: two node-edge-ref blocks, the second is reported",
    edits: [u16(axBlocks[0]!.offset + FR.version, 1)],
  });
  c({
    base: "accel-area-exact-fit",
    name: "two-node-ref-blocks-flag-cleared",
    code: "SEG_BAD_NODE_REF",
    target: at("projection-flag", 0),
    flags: ["NodeProjections", "TwoDefects"],
    comment:
      "two node-edge-ref blocks and HAS_NODE_PROJECTIONS clear: the second block is reported, not the flag (offset 6)",
    first: [u16(axBlocks[0]!.offset + FR.version, 1)],
    second: { edits: [u16(H.flags, 0)], code: "SEG_BAD_NODE_REF", target: at("projection-flag", 1) },
  });
  c({
    base: "accel-area-exact-fit",
    name: "node-ref-block-version-2-flag-set",
    code: "SEG_BAD_NODE_REF",
    target: at("projection-flag", 1),
    flags: ["NodeProjections", "UnknownVersion"],
    comment:
      "the node-edge-ref block given version 2: only blocks of type 1 version 2 remain, none is a node-edge-ref block, and HAS_NODE_PROJECTIONS is set",
    edits: [u16(axBlocks[1]!.offset + FR.version, 2)],
  });
  // logseq-bounds
  const lb = (base: string, name: string, check: number, edits: Edit[], comment: string, flags: string[]) =>
    c({
      base,
      name,
      code: "SEG_LOGSEQ_RANGE",
      target: at("logseq-bounds", check),
      flags: ["LogseqRange", ...flags],
      comment,
      edits,
    });
  lb(
    "logseq-single-point",
    "logseq-max-one-below-min",
    1,
    [u64(H.logseqMax, 6n)],
    "logseq_max = logseq_min - 1",
    ["OffByOne"],
  );
  lb(
    "logseq-single-point",
    "logseq-min-one-above-max",
    1,
    [u64(H.logseqMin, 8n)],
    "logseq_min = logseq_max + 1",
    ["OffByOne"],
  );
  lb(
    "u64-float64-twins",
    "logseq-max-below-min-float64-equal",
    1,
    [u64(H.logseqMin, (1n << 53n) + 1n), u64(H.logseqMax, 1n << 53n)],
    "logseq_min 2^53 + 1 and logseq_max 2^53: equal as doubles",
    ["Float64Twins"],
  );
  lb(
    "empty",
    "logseq-max-below-min-high-word",
    1,
    [u64(H.logseqMin, 1n << 32n), u64(H.logseqMax, (1n << 32n) - 1n)],
    "logseq_min 2^32 and logseq_max 2^32 - 1: the low 32 bits alone are in order",
    ["HighBits"],
  );
  return out;
}

function bswap64(v: bigint): bigint {
  let out = 0n;
  for (let i = 0; i < 8; i++) out = (out << 8n) | ((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

/**
 * For each pair of adjacent steps of `reader_check_order` whose codes differ, a segment with one defect in
 * each (re-sealed where both are past the checksum): the earlier step's error is the one, so a reader that
 * runs the two steps the other way round is caught. The generator checks each defect alone gives its own.
 */
function stepPairCases(valid: ReadonlyMap<string, Uint8Array>): CaseSpec[] {
  const full = valid.get("full")!;
  const d = decodeSegment(full);
  const fo = Number(d.header.footerOffset);
  const rao = Number(d.header.recordAreaOffset);
  const f2 = d.filterFrames[2]!;
  const unknownBlock = d.accelFrames.find((f) => f.type !== 1)!;
  const refBlock = d.accelFrames.find((f) => f.type === 1)!;
  const a = (i: number) => d.asl.offsetOf(i);
  const t = (i: number) => d.tgk.offsetOf(i);
  const ref0 = d.nodeRefs!.offsetOf(0);
  const bloom0 = d.filters[0] as BloomFilter;
  const bit = bloomProbePositions(bloom0, d.asl.id(0))[0]!;
  const bitAt = d.filterFrames[0]!.payloadOffset + 16 + (bit >>> 3);
  const lastAsl = d.asl.count - 1;
  const E = {
    truncate: [{ truncateAt: 95 }] as Edit[],
    magic: [u8(0, 0x42)],
    version: [u16(H.version, 2)],
    footer: [u64(H.footerOffset, BigInt(fo + 8))],
    flipCovered: [flip(full, H.segmentId)],
    flipChecksum: [flip(full, fo + F.checksum)],
    headerFlag: [u16(H.flags, d.header.flags | 2)],
    raoMisaligned: [u64(H.recordAreaOffset, BigInt(rao + 4))],
    filterBytes: [u64(fo + F.filterBytes, BigInt(rao - 64 + 8))],
    aslCount: [u64(H.aslRecordCount, BigInt(d.asl.count + 1))],
    filterOverrun: [u64(f2.offset + FR.sizeBytes, BigInt(f2.sizeBytes + 8))],
    accelOverrun: [u64(unknownBlock.offset + FR.sizeBytes, BigInt(fo))],
    refBlockFlags: [u32(refBlock.offset + FR.flags, 1)],
    projectionCleared: [u16(H.flags, 0)],
    logseqMin0: [u64(H.logseqMin, 0n)],
    aslReserved: [u8(a(0) + AR.reserved, 1)],
    aslBoolean: [u8(a(lastAsl) + AR.hasTypeTag, 2)],
    tgkRole: [u8(t(0) + TR.role, 4)],
    tgkFlag: [u16(t(0) + TR.flags, 4)],
    aslSwapLast: [
      { offset: a(lastAsl - 1), after: full.slice(a(lastAsl), a(lastAsl) + 24) },
      { offset: a(lastAsl), after: full.slice(a(lastAsl - 1), a(lastAsl - 1) + 24) },
    ] as Edit[],
    aslDupLogseq: [u64(a(1) + AR.logseq, d.asl.logseq(0))],
    refPosition: [u8(ref0 + NR.position, 3)],
    bloomHashes: [u32(d.filterFrames[0]!.payloadOffset + 4, 33)],
    lastBloomHashes: [u32(f2.payloadOffset + 4, 33)],
    falseNegative: [u8(bitAt, full[bitAt]! & ~(1 << (bit & 7)))],
  };
  type Pair = [
    string,
    keyof typeof E,
    ErrorCode,
    keyof typeof E,
    ErrorCode,
    string,
    string,
    string?,
    boolean?,
  ];
  const pairs: Pair[] = [
    ["size", "truncate", "SEG_TRUNCATED", "magic", "SEG_BAD_MAGIC", "magic", "95 bytes with a wrong magic"],
    [
      "magic",
      "magic",
      "SEG_BAD_MAGIC",
      "version",
      "SEG_UNSUPPORTED_VERSION",
      "version",
      "a wrong magic and version 2",
    ],
    [
      "version",
      "version",
      "SEG_UNSUPPORTED_VERSION",
      "footer",
      "SEG_BAD_FOOTER_OFFSET",
      "footer",
      "version 2 and footer_offset + 8",
    ],
    [
      "footer",
      "footer",
      "SEG_BAD_FOOTER_OFFSET",
      "flipCovered",
      "SEG_CHECKSUM_MISMATCH",
      "checksum",
      "footer_offset + 8 and a flipped covered byte, not re-sealed",
    ],
    [
      "checksum",
      "flipChecksum",
      "SEG_CHECKSUM_MISMATCH",
      "headerFlag",
      "SEG_RESERVED_NONZERO",
      "header-flags",
      "header flag bit 1 set, checksum not re-sealed (the flag is not trusted before the checksum)",
    ],
    [
      "header-flags",
      "headerFlag",
      "SEG_RESERVED_NONZERO",
      "raoMisaligned",
      "SEG_BAD_SECTION_BOUNDS",
      "section-bounds",
      "header flag bit 1 and record_area_offset + 4",
    ],
    [
      "section-bounds",
      "filterBytes",
      "SEG_BAD_SECTION_BOUNDS",
      "aslCount",
      "SEG_BAD_RECORD_COUNT",
      "record-counts",
      "filter_bytes + 8 and asl_record_count + 1",
    ],
    [
      "record-counts",
      "aslCount",
      "SEG_BAD_RECORD_COUNT",
      "filterOverrun",
      "SEG_BAD_FILTER_HEADER",
      "filter-framing",
      "asl_record_count + 1 and the last filter overrunning the filter area",
    ],
    [
      "filter-framing",
      "filterOverrun",
      "SEG_BAD_FILTER_HEADER",
      "accelOverrun",
      "SEG_BAD_ACCEL_BLOCK",
      "accel-framing",
      "a filter overrunning the filter area and a block overrunning the acceleration area",
    ],
    [
      "accel-framing",
      "accelOverrun",
      "SEG_BAD_ACCEL_BLOCK",
      "projectionCleared",
      "SEG_BAD_NODE_REF",
      "projection-flag",
      "a block overrunning the acceleration area and HAS_NODE_PROJECTIONS clear",
    ],
    [
      "accel-framing",
      "refBlockFlags",
      "SEG_RESERVED_NONZERO",
      "projectionCleared",
      "SEG_BAD_NODE_REF",
      "projection-flag",
      "the node-edge-ref block's flags not zero and HAS_NODE_PROJECTIONS clear",
      "node-ref-block-flags",
    ],
    [
      "projection-flag",
      "projectionCleared",
      "SEG_BAD_NODE_REF",
      "logseqMin0",
      "SEG_LOGSEQ_RANGE",
      "logseq-bounds",
      "HAS_NODE_PROJECTIONS clear with a node-edge-ref block, and logseq_min 0",
    ],
    [
      "logseq-bounds",
      "logseqMin0",
      "SEG_LOGSEQ_RANGE",
      "aslReserved",
      "SEG_RESERVED_NONZERO",
      "asl-records",
      "logseq_min 0 and an ASL record's reserved byte 1",
    ],
    [
      "asl-records",
      "aslBoolean",
      "SEG_BAD_BOOLEAN",
      "tgkRole",
      "SEG_BAD_ROLE",
      "tgk-records",
      "the last ASL record's has_type_tag 2 and the first TGK record's role 4",
    ],
    [
      "asl-records",
      "aslSwapLast",
      "SEG_RECORD_ORDER",
      "tgkFlag",
      "SEG_RESERVED_NONZERO",
      "tgk-records",
      "the last two ASL records swapped (the last sub-check) and the first TGK record's flag bit 2 (the first sub-check)",
      "asl-order",
    ],
    [
      "tgk-records",
      "tgkRole",
      "SEG_BAD_ROLE",
      "aslDupLogseq",
      "SEG_DUPLICATE_LOGSEQ",
      "logseq-unique",
      "a TGK record's role 4, and two ASL records (earlier in the file) sharing a logseq: the step order wins over the file order",
    ],
    [
      "logseq-unique",
      "aslDupLogseq",
      "SEG_DUPLICATE_LOGSEQ",
      "refPosition",
      "SEG_BAD_NODE_REF",
      "node-refs",
      "two ASL records sharing a logseq and a node-edge ref's position 3",
    ],
    [
      "node-refs",
      "refPosition",
      "SEG_BAD_NODE_REF",
      "bloomHashes",
      "SEG_BAD_FILTER_PARAMS",
      "filter-contents",
      "a node-edge ref's position 3 and the first filter's num_hashes 33 (earlier in the file): the step order wins",
    ],
    [
      "filter-contents",
      "lastBloomHashes",
      "SEG_BAD_FILTER_PARAMS",
      "falseNegative",
      "SEG_FILTER_FALSE_NEGATIVE",
      "filter-completeness",
      "the last filter's num_hashes 33 and a false negative in the first filter: every filter's contents are checked before any filter's completeness",
    ],
  ];
  return pairs.map(([step, e1, c1, e2, c2, step2, comment, label]) => {
    const unsealed = step === "size" || step === "footer" || step === "checksum";
    return {
      base: "full",
      name: `pair-${label ?? step}-then-${step2}`,
      code: c1,
      target: at(step as CaseSpec["target"]["step"], firstCheck(e1)),
      flags: ["TwoDefects", "CheckOrder"],
      comment,
      first: E[e1],
      reseal: !unsealed,
      second: {
        edits: E[e2],
        reseal: e2 !== "flipCovered",
        code: c2,
        target: at(step2 as CaseSpec["target"]["step"], firstCheck(e2)),
      },
    };
  });
}

/** The sub-check of its step a defect of stepPairCases is (0 where the step has one check). */
function firstCheck(e: string): number {
  const idx: Record<string, number> = {
    filterBytes: 1,
    aslCount: 0,
    filterOverrun: 1,
    accelOverrun: 1,
    refBlockFlags: 3,
    projectionCleared: 1,
    logseqMin0: 0,
    aslReserved: 0,
    aslBoolean: 2,
    tgkRole: 3,
    tgkFlag: 0,
    aslSwapLast: 6,
    refPosition: 1,
    bloomHashes: 4,
    lastBloomHashes: 4,
  };
  return idx[e] ?? 0;
}
