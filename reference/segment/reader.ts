// The segment reader of DEC-027: runs the checks of spec/errors.yaml `reader_check_order` in that order and
// throws the first failure as one AslError (code, byte offset, field, rule). Every read is bounds-checked
// first: the header is read only once the size is known to be >= 96, each area only once its two offsets
// have been checked against the size, each count only once compared (in BigInt) with the bytes present, and
// every loop advances by at least one fixed-size structure, so it ends. The reader keeps what it has
// established so far, which `inspectSegment` shows when a check fails.
// Rules: ATXI-LAY-001, ATXI-LAY-002, ATXI-HDR-001..006, ATXI-FLT-001, ATXI-FLT-006, ATXI-ACC-001,
// ATXI-NPR-004, ATXI-FTR-001..003, ATXI-DEC-001, ATXI-DEC-002.
import { AslError, type ErrorCode } from "../common/errors.ts";
import { xxh64 } from "../common/hash.ts";
import type { CheckStep } from "./check-order.ts";
import {
  ASL_RECORD_SIZE,
  BLOCK_TYPE_NODE_REFS,
  BLOCK_VERSION_NODE_REFS,
  F,
  FOOTER_SIZE,
  FR,
  FRAME_HEADER_SIZE,
  H,
  HEADER_FLAG_HAS_NODE_PROJECTIONS,
  HEADER_FLAGS_RESERVED,
  HEADER_SIZE,
  MAGIC,
  MIN_SEGMENT_SIZE,
  NODE_REF_SIZE,
  SEGMENT_VERSION,
  TGK_RECORD_SIZE,
} from "./layout.ts";
import type { SegmentFooter, SegmentHeader } from "./model.ts";
import type { LogseqBounds } from "./records.ts";

/** A framed filter or acceleration block as the framing pass found it. */
export interface Frame {
  offset: number;
  type: number;
  version: number;
  flags: number;
  sizeBytes: number;
  payloadOffset: number;
  /** Offset just past the zero padding. */
  end: number;
}

function err(code: ErrorCode, message: string, offset: number, field: string, rule: string): AslError {
  return new AslError(code, message, { offset, field, rule });
}

export class SegmentReader {
  readonly dv: DataView;
  readonly size: number;
  /** The step being run, or the last step run when all passed. */
  step: CheckStep = "size";
  header: SegmentHeader | undefined;
  footer: SegmentFooter | undefined;
  footerOffset = 0;
  recordAreaOffset = 0;
  aslCount = 0;
  tgkCount = 0;
  filterFrames: Frame[] = [];
  accelFrames: Frame[] = [];
  /** Index into accelFrames of the node-refs block, or -1. */
  nodeRefsFrame = -1;
  bounds: LogseqBounds | undefined;

  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.size = bytes.length;
  }

  get tgkStart(): number {
    return this.recordAreaOffset + ASL_RECORD_SIZE * this.aslCount;
  }
  get accelStart(): number {
    return this.tgkStart + TGK_RECORD_SIZE * this.tgkCount;
  }

  private u16(o: number): number {
    return this.dv.getUint16(o, true);
  }
  private u32(o: number): number {
    return this.dv.getUint32(o, true);
  }
  private u64(o: number): bigint {
    return this.dv.getBigUint64(o, true);
  }

  /** Steps size .. logseq-bounds: everything before the per-record passes. */
  readStructure(): void {
    this.step = "size";
    if (this.size < MIN_SEGMENT_SIZE) {
      throw err(
        "SEG_TRUNCATED",
        `the segment has ${this.size} bytes, fewer than a 64-byte header and a 32-byte footer`,
        this.size,
        "segment",
        "ATXI-FTR-003",
      );
    }
    this.step = "magic";
    for (let i = 0; i < 4; i++) {
      if (this.bytes[i] !== MAGIC[i])
        throw err("SEG_BAD_MAGIC", "bytes 0..3 are not 'ATXI'", H.magic, "header.magic", "ATXI-HDR-001");
    }
    this.step = "version";
    const version = this.u16(H.version);
    if (version !== SEGMENT_VERSION) {
      throw err(
        "SEG_UNSUPPORTED_VERSION",
        `segment version ${version} is not ${SEGMENT_VERSION}`,
        H.version,
        "header.version",
        "ATXI-HDR-002",
      );
    }
    this.step = "footer";
    const fo = this.u64(H.footerOffset);
    if (fo % 8n !== 0n || fo < BigInt(HEADER_SIZE) || fo + BigInt(FOOTER_SIZE) !== BigInt(this.size)) {
      throw err(
        "SEG_BAD_FOOTER_OFFSET",
        `footer_offset ${fo} does not place a 32-byte footer at the end of a ${this.size}-byte segment (expected ${this.size - FOOTER_SIZE}, a multiple of 8, >= 64)`,
        H.footerOffset,
        "header.footer_offset",
        "ATXI-FTR-001",
      );
    }
    const fOff = Number(fo);
    this.footerOffset = fOff;
    this.step = "checksum";
    const stored = this.u64(fOff + F.checksum);
    const computed = xxh64([this.bytes.subarray(0, fOff), this.bytes.subarray(fOff + 8, fOff + FOOTER_SIZE)]);
    if (stored !== computed) {
      throw err(
        "SEG_CHECKSUM_MISMATCH",
        `footer checksum 0x${stored.toString(16)} is not XXH64 0x${computed.toString(16)} of the segment`,
        fOff + F.checksum,
        "footer.checksum",
        "ATXI-FTR-002",
      );
    }
    this.header = {
      version,
      flags: this.u16(H.flags),
      segmentId: this.u64(H.segmentId),
      logseqMin: this.u64(H.logseqMin),
      logseqMax: this.u64(H.logseqMax),
      aslRecordCount: this.u64(H.aslRecordCount),
      tgkRecordCount: this.u64(H.tgkRecordCount),
      recordAreaOffset: this.u64(H.recordAreaOffset),
      footerOffset: fo,
    };
    this.footer = {
      checksum: stored,
      aslRecordBytes: this.u64(fOff + F.aslRecordBytes),
      tgkRecordBytes: this.u64(fOff + F.tgkRecordBytes),
      filterBytes: this.u64(fOff + F.filterBytes),
    };
    const h = this.header;
    const f = this.footer;
    this.step = "header-flags";
    if ((h.flags & HEADER_FLAGS_RESERVED) !== 0) {
      throw err(
        "SEG_RESERVED_NONZERO",
        `header flags 0x${h.flags.toString(16)} set reserved bits 1..15`,
        H.flags,
        "header.flags",
        "ATXI-HDR-003",
      );
    }
    this.step = "section-bounds";
    const rao = h.recordAreaOffset;
    if (rao % 8n !== 0n || rao < BigInt(HEADER_SIZE) || rao > fo) {
      throw err(
        "SEG_BAD_SECTION_BOUNDS",
        `record_area_offset ${rao} is not a multiple of 8 in [64, footer_offset ${fo}]`,
        H.recordAreaOffset,
        "header.record_area_offset",
        "ATXI-HDR-006",
      );
    }
    if (f.filterBytes !== rao - BigInt(HEADER_SIZE)) {
      throw err(
        "SEG_BAD_SECTION_BOUNDS",
        `footer filter_bytes ${f.filterBytes} is not record_area_offset - 64 = ${rao - 64n}`,
        fOff + F.filterBytes,
        "footer.filter_bytes",
        "ATXI-FTR-001",
      );
    }
    this.recordAreaOffset = Number(rao);
    this.step = "record-counts";
    if (f.aslRecordBytes !== 24n * h.aslRecordCount) {
      throw err(
        "SEG_BAD_RECORD_COUNT",
        `footer asl_record_bytes ${f.aslRecordBytes} is not 24 x asl_record_count ${h.aslRecordCount}`,
        fOff + F.aslRecordBytes,
        "footer.asl_record_bytes",
        "ATXI-HDR-005",
      );
    }
    if (f.tgkRecordBytes !== 24n * h.tgkRecordCount) {
      throw err(
        "SEG_BAD_RECORD_COUNT",
        `footer tgk_record_bytes ${f.tgkRecordBytes} is not 24 x tgk_record_count ${h.tgkRecordCount}`,
        fOff + F.tgkRecordBytes,
        "footer.tgk_record_bytes",
        "ATXI-HDR-005",
      );
    }
    if (rao + f.aslRecordBytes > fo) {
      throw err(
        "SEG_BAD_RECORD_COUNT",
        `${h.aslRecordCount} ASL records from offset ${rao} overrun footer_offset ${fo}`,
        H.aslRecordCount,
        "header.asl_record_count",
        "ATXI-HDR-005",
      );
    }
    if (rao + f.aslRecordBytes + f.tgkRecordBytes > fo) {
      throw err(
        "SEG_BAD_RECORD_COUNT",
        `${h.tgkRecordCount} TGK records after the ASL records overrun footer_offset ${fo}`,
        H.tgkRecordCount,
        "header.tgk_record_count",
        "ATXI-HDR-005",
      );
    }
    this.aslCount = Number(h.aslRecordCount);
    this.tgkCount = Number(h.tgkRecordCount);
    this.step = "filter-framing";
    this.frames(HEADER_SIZE, this.recordAreaOffset, "filter", this.filterFrames);
    this.step = "accel-framing";
    this.frames(this.accelStart, fOff, "accel", this.accelFrames);
    this.step = "projection-flag";
    const refBlocks: number[] = [];
    this.accelFrames.forEach((fr, i) => {
      if (fr.type === BLOCK_TYPE_NODE_REFS && fr.version === BLOCK_VERSION_NODE_REFS) refBlocks.push(i);
    });
    if (refBlocks.length > 1) {
      const second = this.accelFrames[refBlocks[1]!]!;
      throw err(
        "SEG_BAD_NODE_REF",
        `a second node-edge-ref block at offset ${second.offset}; a segment has at most one`,
        second.offset,
        "accel_block_header.block_type",
        "ATXI-NPR-004",
      );
    }
    const flagSet = (h.flags & HEADER_FLAG_HAS_NODE_PROJECTIONS) !== 0;
    if (flagSet !== (refBlocks.length === 1)) {
      throw err(
        "SEG_BAD_NODE_REF",
        flagSet
          ? "header flag HAS_NODE_PROJECTIONS is set but there is no node-edge-ref block"
          : "a node-edge-ref block is present but header flag HAS_NODE_PROJECTIONS is clear",
        H.flags,
        "header.flags",
        "ATXI-NPR-004",
      );
    }
    this.nodeRefsFrame = refBlocks.length === 1 ? refBlocks[0]! : -1;
    this.step = "logseq-bounds";
    if (h.logseqMin < 1n)
      throw err(
        "SEG_LOGSEQ_RANGE",
        "logseq_min is 0; logseqs start at 1",
        H.logseqMin,
        "header.logseq_min",
        "ATXI-HDR-004",
      );
    if (h.logseqMax < h.logseqMin) {
      throw err(
        "SEG_LOGSEQ_RANGE",
        `logseq_max ${h.logseqMax} is below logseq_min ${h.logseqMin}`,
        H.logseqMax,
        "header.logseq_max",
        "ATXI-HDR-004",
      );
    }
    this.bounds = {
      minHi: Number(h.logseqMin >> 32n),
      minLo: Number(h.logseqMin & 0xffffffffn),
      maxHi: Number(h.logseqMax >> 32n),
      maxLo: Number(h.logseqMax & 0xffffffffn),
    };
  }

  /**
   * The framing of the filter area (ATXI-FLT-001) or the acceleration area (ATXI-ACC-001): exactly a
   * sequence of 16-byte headers, each followed by size_bytes of payload and zero padding to 8. Frames are
   * appended to `out` as they are found, so a failure leaves the ones before it for inspection.
   */
  frames(start: number, end: number, area: "filter" | "accel", out: Frame[]): void {
    const code: ErrorCode = area === "filter" ? "SEG_BAD_FILTER_HEADER" : "SEG_BAD_ACCEL_BLOCK";
    const s = area === "filter" ? "asl_tgk_filter_header" : "accel_block_header";
    const rule = area === "filter" ? "ATXI-FLT-001" : "ATXI-ACC-001";
    const what = area === "filter" ? "filter" : "acceleration block";
    let pos = start;
    while (pos < end) {
      if (end - pos < FRAME_HEADER_SIZE) {
        throw err(
          code,
          `${end - pos} bytes left in the ${what} area cannot hold a 16-byte header`,
          pos,
          s,
          rule,
        );
      }
      const size = this.u64(pos + FR.sizeBytes);
      const payloadOffset = pos + FRAME_HEADER_SIZE;
      const room = BigInt(end - payloadOffset);
      const padded = size + ((8n - (size % 8n)) % 8n);
      if (padded > room) {
        throw err(
          code,
          `${what} size_bytes ${size} (padded ${padded}) overruns the ${room} bytes left in its area`,
          pos + FR.sizeBytes,
          `${s}.size_bytes`,
          rule,
        );
      }
      const fr: Frame = {
        offset: pos,
        type: this.u16(pos + FR.type),
        version: this.u16(pos + FR.version),
        flags: this.u32(pos + FR.flags),
        sizeBytes: Number(size),
        payloadOffset,
        end: payloadOffset + Number(padded),
      };
      if (area === "accel" && fr.type === BLOCK_TYPE_NODE_REFS && fr.version === BLOCK_VERSION_NODE_REFS) {
        if (fr.sizeBytes % NODE_REF_SIZE !== 0) {
          throw err(
            "SEG_BAD_ACCEL_BLOCK",
            `node-edge-ref block size_bytes ${fr.sizeBytes} is not a multiple of 32`,
            pos + FR.sizeBytes,
            `${s}.size_bytes`,
            "ATXI-ACC-001",
          );
        }
        if (fr.flags !== 0) {
          throw err(
            "SEG_RESERVED_NONZERO",
            `node-edge-ref block flags 0x${fr.flags.toString(16)} are reserved and must be zero`,
            pos + FR.flags,
            `${s}.flags`,
            "ATXI-LAY-002",
          );
        }
      }
      for (let p = payloadOffset + fr.sizeBytes; p < fr.end; p++) {
        if (this.bytes[p] !== 0)
          throw err(
            "SEG_RESERVED_NONZERO",
            `padding byte after the ${what} payload is not zero`,
            p,
            `${s}.padding`,
            "ATXI-LAY-002",
          );
      }
      out.push(fr);
      pos = fr.end;
    }
  }
}
