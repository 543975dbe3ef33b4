// The malformed and invalid segments of the golden vectors: each is a named valid segment changed by a
// recorded list of byte edits, re-sealed with the DEC-006 checksum where DEC-027 asks for it, so that
// exactly one check of `reader_check_order` fails. Every SEG_* code has at least one case; the generator
// checks each case yields the code it was written for. Rules: ATXI-DEC-001, ATXI-DEC-002, and the rule
// each defect breaks.

import type { ErrorCode } from "../../../reference/common/errors.ts";
import { decodeSegment } from "../../../reference/segment/decode.ts";
import { AR, F, FR, H } from "../../../reference/segment/layout.ts";
import { applyEdits, type Edit, type InvalidDraft, u8, u16, u32, u64 } from "./edits.ts";
import { recordAndFilterDrafts } from "./invalid-records.ts";

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
  return out;
}
