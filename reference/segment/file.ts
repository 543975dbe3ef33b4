// Segments as files: `DiskSegment` reads a segment on demand with positional reads (files past 2 GiB
// included), keeping in memory only its header and footer, its filters and a sparse index (the (id,
// logseq) of every K-th record, the node_id of every K-th ref). A DiskSegment is a SegmentSource: a
// SegmentSet queries it as it queries a decoded one. file-writer.ts writes such files without holding
// them whole.
// Rules: ATXI-LAY-001, ATXI-HDR-001, ATXI-HDR-002, ATXI-HDR-005, ATXI-HDR-006, ATXI-FTR-001, ATXI-FTR-002,
// ATXI-FLT-001, ATXI-ACC-001, ATXI-NPR-004, ATXI-INV-006.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { AslError, type ErrorCode } from "../common/errors.ts";
import type { KnownFilter, SegmentFilter } from "../filters/filter.ts";
import type { Position } from "../tgk/edge.ts";
import type { CheckStep } from "./check-order.ts";
import { parseFilters } from "./filter-check.ts";
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
  NODE_REF_SIZE,
  SEGMENT_VERSION,
  TGK_RECORD_SIZE,
} from "./layout.ts";
import type { AslRecord, SegmentFooter, SegmentHeader, TgkRecord } from "./model.ts";
import { NodeRefTable } from "./projections.ts";
import { type Frame, SegmentReader } from "./reader.ts";
import { AslTable, TgkTable } from "./records.ts";
import { lt64, wordView } from "./words.ts";

export interface DiskSegmentOptions {
  /** Records (and refs) per sparse-index entry: a lookup reads one block of this many (default 128). */
  sparseEvery?: number;
  /**
   * Leave the filter-contents check to the first use of `filters` (verifySegmentFile runs the record
   * passes first, as DEC-027 orders them).
   */
  deferFilterContents?: boolean;
  /** Told each DEC-027 step as open starts it (verifySegmentFile names the failing step with it). */
  onStep?: (step: CheckStep) => void;
}

const DEFAULT_EVERY = 128;
/** Structures read per chunk while the sparse index is built at open. */
const SCAN_CHUNK = 65_536;

function truncated(at: number): AslError {
  return new AslError("SEG_TRUNCATED", `the segment file ends before byte ${at}`, {
    offset: at,
    field: "segment",
    rule: "ATXI-FTR-003",
  });
}

/** Reads buf.length bytes at `position` (a file offset past 2 GiB is fine: a double holds it exactly). */
function readAt(fd: number, buf: Uint8Array, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) throw truncated(position + done);
    done += n;
  }
}

/**
 * One table of fixed-size structures in a file (ASL or TGK records of 24 bytes, node-edge refs of 32),
 * each with logseq u64 @0 and its sort key u64 @8 (DEC-002). The sparse index holds the first (logseq,
 * key) of each block of `every` structures; reads go through a one-block cache, so a lookup reads one
 * block and the accessors of the structure it found read nothing more.
 */
class DiskTable<T> {
  /** Per block b: words [logseq lo, logseq hi, key lo, key hi] of its first structure. */
  readonly sparse: Uint32Array;
  private readonly buf: Uint8Array;
  private view: T | undefined;
  private block = -1;

  constructor(
    private readonly fd: number,
    /** File offset of structure 0. */
    readonly start: number,
    readonly count: number,
    readonly every: number,
    private readonly stride: number,
    private readonly make: (words: Uint32Array, count: number) => T,
  ) {
    this.buf = new Uint8Array(every * stride);
    this.sparse = new Uint32Array(4 * Math.ceil(count / every));
    const per = Math.max(1, Math.floor(SCAN_CHUNK / every)) * every;
    const chunk = new Uint8Array(Math.min(count, per) * stride);
    const w = wordView(chunk);
    for (let first = 0; first < count; first += per) {
      const n = Math.min(per, count - first);
      readAt(fd, chunk.subarray(0, n * stride), start + first * stride);
      for (let i = 0; i < n; i += every) {
        const x = (i * stride) >>> 2;
        this.sparse.set(w.subarray(x, x + 4), 4 * ((first + i) / every));
      }
    }
  }

  /** The table over block b (read unless it is the cached one). */
  blockTable(b: number): T {
    if (b !== this.block || this.view === undefined) {
      const first = b * this.every;
      const n = Math.min(this.every, this.count - first);
      readAt(this.fd, this.buf.subarray(0, n * this.stride), this.start + first * this.stride);
      this.view = this.make(wordView(this.buf), n);
      this.block = b;
    }
    return this.view;
  }

  /** The table over the block of structure i, and i's index in it. */
  at(i: number): [T, number] {
    const b = Math.floor(i / this.every);
    return [this.blockTable(b), i - b * this.every];
  }

  /**
   * The number of blocks whose first structure sorts before the probe: (key, logseq) <= (k, s) when
   * `orEqual`, key < k otherwise (logseq ignored).
   */
  blocksBefore(kHi: number, kLo: number, sHi: number, sLo: number, orEqual: boolean): number {
    const s = this.sparse;
    let lo = 0;
    let hi = s.length >>> 2;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = 4 * mid;
      const rHi = s[x + 3]!;
      const rLo = s[x + 2]!;
      let before: boolean;
      if (rHi !== kHi || rLo !== kLo) before = lt64(rHi, rLo, kHi, kLo);
      else before = orEqual && !lt64(sHi, sLo, s[x + 1]!, s[x]!);
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** ASL or TGK records in a segment file, answering as an AslTable or TgkTable does. */
export class DiskRecords<R extends AslRecord | TgkRecord> {
  constructor(private readonly t: DiskTable<AslTable | TgkTable>) {}
  get count(): number {
    return this.t.count;
  }
  get sparseBytes(): number {
    return this.t.sparse.byteLength;
  }
  /** Index of the record (id, logseq) exactly, or -1. */
  findExact(idHi: number, idLo: number, lsHi: number, lsLo: number): number {
    const i = this.findLatest(idHi, idLo, lsHi, lsLo);
    if (i < 0) return -1;
    return this.logseq(i) === ((BigInt(lsHi) << 32n) | BigInt(lsLo)) ? i : -1;
  }
  findLatest(idHi: number, idLo: number, sHi: number, sLo: number): number {
    // The newest record <= (id, S) is in the last block whose first record is <= (id, S).
    const b = this.t.blocksBefore(idHi, idLo, sHi, sLo, true) - 1;
    if (b < 0) return -1;
    const j = this.t.blockTable(b).findLatest(idHi, idLo, sHi, sLo);
    return j < 0 ? -1 : b * this.t.every + j;
  }
  logseq(i: number): bigint {
    const [v, j] = this.t.at(i);
    return v.logseq(j);
  }
  id(i: number): bigint {
    const [v, j] = this.t.at(i);
    return v.id(j);
  }
  tombstone(i: number): boolean {
    const [v, j] = this.t.at(i);
    return v.tombstone(j);
  }
  record(i: number): R {
    const [v, j] = this.t.at(i);
    return v.record(j) as R;
  }
}

/** The node-edge refs of a segment file, answering as a NodeRefTable does. */
export class DiskRefs {
  constructor(private readonly t: DiskTable<NodeRefTable>) {}
  get count(): number {
    return this.t.count;
  }
  get sparseBytes(): number {
    return this.t.sparse.byteLength;
  }
  lowerBound(hi: number, lo: number): number {
    // The first ref with node_id >= n is in the last block whose first ref is < n (or starts block 0).
    const b = this.t.blocksBefore(hi, lo, 0, 0, false) - 1;
    if (b < 0) return 0;
    return b * this.t.every + this.t.blockTable(b).lowerBound(hi, lo);
  }
  hasNode(i: number, hi: number, lo: number): boolean {
    const [v, j] = this.t.at(i);
    return v.hasNode(j, hi, lo);
  }
  position(i: number): Position {
    const [v, j] = this.t.at(i);
    return v.position(j);
  }
  tgkEdgeId(i: number): bigint {
    const [v, j] = this.t.at(i);
    return v.tgkEdgeId(j);
  }
  nodeId(i: number): bigint {
    const [v, j] = this.t.at(i);
    return v.nodeId(j);
  }
  logseq(i: number): bigint {
    const [v, j] = this.t.at(i);
    return v.logseq(j);
  }
}

function fail(code: ErrorCode, message: string, offset: number, field: string, rule: string): never {
  throw new AslError(code, message, { offset, field, rule });
}

/**
 * A segment file opened for queries. `open` runs the structure checks of DEC-027 that need no pass over
 * the records (size, magic, version, footer offset, reserved header flags, section bounds, record counts,
 * filter and acceleration framing, the projection flag, the logseq bounds, the filter contents) and builds
 * the sparse index; the checksum and the per-record passes are `verifySegmentFile`'s (a streaming pass
 * over the whole file). Close it when done.
 */
export class DiskSegment {
  readonly asl: DiskRecords<AslRecord>;
  readonly tgk: DiskRecords<TgkRecord>;
  readonly nodeRefs: DiskRefs | undefined;
  /** File offset of the node-edge refs, or undefined without projections. */
  readonly nodeRefsStart: number | undefined;

  private constructor(
    private fd: number,
    readonly path: string,
    readonly size: number,
    readonly header: SegmentHeader,
    readonly footer: SegmentFooter,
    /** The header and filter area: the filters are parsed from it. */
    private readonly head: Uint8Array,
    readonly filterFrames: readonly Frame[],
    readonly accelFrames: readonly Frame[],
    refsFrame: Frame | undefined,
    every: number,
  ) {
    const rao = Number(header.recordAreaOffset);
    const aslCount = Number(header.aslRecordCount);
    const tgkCount = Number(header.tgkRecordCount);
    this.asl = new DiskRecords(
      new DiskTable(fd, rao, aslCount, every, ASL_RECORD_SIZE, (w, n) => new AslTable(w, 0, n)),
    );
    this.tgk = new DiskRecords(
      new DiskTable(
        fd,
        rao + ASL_RECORD_SIZE * aslCount,
        tgkCount,
        every,
        TGK_RECORD_SIZE,
        (w, n) => new TgkTable(w, 0, n),
      ),
    );
    this.nodeRefsStart = refsFrame?.payloadOffset;
    this.nodeRefs =
      refsFrame === undefined
        ? undefined
        : new DiskRefs(
            new DiskTable(
              fd,
              refsFrame.payloadOffset,
              refsFrame.sizeBytes / NODE_REF_SIZE,
              every,
              NODE_REF_SIZE,
              (w, n) => new NodeRefTable(w, 0, n),
            ),
          );
  }

  static open(path: string, opts: DiskSegmentOptions = {}): DiskSegment {
    const every = opts.sparseEvery ?? DEFAULT_EVERY;
    if (!Number.isInteger(every) || every < 1)
      throw new RangeError(`sparseEvery must be a whole number >= 1, got ${every}`);
    const fd = openSync(path, "r");
    try {
      const seg = DiskSegment.read(fd, path, every, opts.onStep ?? (() => {}));
      if (!opts.deferFilterContents) void seg.filters;
      return seg;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  private static read(fd: number, path: string, every: number, step: (s: CheckStep) => void): DiskSegment {
    const size = fstatSync(fd).size;
    step("size");
    if (size < HEADER_SIZE + FOOTER_SIZE)
      fail(
        "SEG_TRUNCATED",
        `the segment has ${size} bytes, fewer than a 64-byte header and a 32-byte footer`,
        size,
        "segment",
        "ATXI-FTR-003",
      );
    const hb = new Uint8Array(HEADER_SIZE);
    readAt(fd, hb, 0);
    const hv = new DataView(hb.buffer);
    step("magic");
    for (let i = 0; i < 4; i++)
      if (hb[i] !== MAGIC[i])
        fail("SEG_BAD_MAGIC", "bytes 0..3 are not 'ATXI'", H.magic, "header.magic", "ATXI-HDR-001");
    step("version");
    const version = hv.getUint16(H.version, true);
    if (version !== SEGMENT_VERSION)
      fail(
        "SEG_UNSUPPORTED_VERSION",
        `segment version ${version} is not ${SEGMENT_VERSION}`,
        H.version,
        "header.version",
        "ATXI-HDR-002",
      );
    step("footer");
    const fo = hv.getBigUint64(H.footerOffset, true);
    if (fo % 8n !== 0n || fo < BigInt(HEADER_SIZE) || fo + BigInt(FOOTER_SIZE) !== BigInt(size))
      fail(
        "SEG_BAD_FOOTER_OFFSET",
        `footer_offset ${fo} does not place a 32-byte footer at the end of a ${size}-byte segment`,
        H.footerOffset,
        "header.footer_offset",
        "ATXI-FTR-001",
      );
    const fOff = Number(fo);
    const fb = new Uint8Array(FOOTER_SIZE);
    readAt(fd, fb, fOff);
    const fv = new DataView(fb.buffer);
    const header: SegmentHeader = {
      version,
      flags: hv.getUint16(H.flags, true),
      segmentId: hv.getBigUint64(H.segmentId, true),
      logseqMin: hv.getBigUint64(H.logseqMin, true),
      logseqMax: hv.getBigUint64(H.logseqMax, true),
      aslRecordCount: hv.getBigUint64(H.aslRecordCount, true),
      tgkRecordCount: hv.getBigUint64(H.tgkRecordCount, true),
      recordAreaOffset: hv.getBigUint64(H.recordAreaOffset, true),
      footerOffset: fo,
    };
    const footer: SegmentFooter = {
      checksum: fv.getBigUint64(F.checksum, true),
      aslRecordBytes: fv.getBigUint64(F.aslRecordBytes, true),
      tgkRecordBytes: fv.getBigUint64(F.tgkRecordBytes, true),
      filterBytes: fv.getBigUint64(F.filterBytes, true),
    };
    checkHeaderFields(header, footer, fOff, step);
    const rao = Number(header.recordAreaOffset);
    // The header and the filter area, in memory: the filters are what a query keeps.
    const head = new Uint8Array(rao);
    readAt(fd, head, 0);
    const reader = new SegmentReader(head);
    const filterFrames: Frame[] = [];
    step("filter-framing");
    reader.frames(HEADER_SIZE, rao, "filter", filterFrames);
    const accelStart = rao + Number(footer.aslRecordBytes + footer.tgkRecordBytes);
    step("accel-framing");
    const accelFrames = readAccelFrames(fd, accelStart, fOff);
    step("projection-flag");
    const refBlocks = accelFrames.filter(
      (fr) => fr.type === BLOCK_TYPE_NODE_REFS && fr.version === BLOCK_VERSION_NODE_REFS,
    );
    if (refBlocks.length > 1)
      fail(
        "SEG_BAD_NODE_REF",
        `a second node-edge-ref block at offset ${refBlocks[1]!.offset}; a segment has at most one`,
        refBlocks[1]!.offset,
        "accel_block_header.block_type",
        "ATXI-NPR-004",
      );
    const flagSet = (header.flags & HEADER_FLAG_HAS_NODE_PROJECTIONS) !== 0;
    if (flagSet !== (refBlocks.length === 1))
      fail(
        "SEG_BAD_NODE_REF",
        flagSet
          ? "header flag HAS_NODE_PROJECTIONS is set but there is no node-edge-ref block"
          : "a node-edge-ref block is present but header flag HAS_NODE_PROJECTIONS is clear",
        H.flags,
        "header.flags",
        "ATXI-NPR-004",
      );
    step("logseq-bounds");
    if (header.logseqMin < 1n)
      fail(
        "SEG_LOGSEQ_RANGE",
        "logseq_min is 0; logseqs start at 1",
        H.logseqMin,
        "header.logseq_min",
        "ATXI-HDR-004",
      );
    if (header.logseqMax < header.logseqMin)
      fail(
        "SEG_LOGSEQ_RANGE",
        `logseq_max ${header.logseqMax} is below logseq_min ${header.logseqMin}`,
        H.logseqMax,
        "header.logseq_max",
        "ATXI-HDR-004",
      );
    return new DiskSegment(
      fd,
      path,
      size,
      header,
      footer,
      head,
      filterFrames,
      accelFrames,
      refBlocks[0],
      every,
    );
  }

  private parsed: readonly SegmentFilter[] | undefined;

  /** The filters in file order (parsed and checked once: the filter-contents step of DEC-027). */
  get filters(): readonly SegmentFilter[] {
    if (this.parsed === undefined) this.parsed = parseFilters(this.head, this.filterFrames);
    return this.parsed;
  }

  get segmentId(): bigint {
    return this.header.segmentId;
  }
  get logseqMin(): bigint {
    return this.header.logseqMin;
  }
  get logseqMax(): bigint {
    return this.header.logseqMax;
  }

  filterFor(domain: 1 | 2 | 3): KnownFilter | undefined {
    for (const f of this.filters) if (f.kind !== "unknown" && f.domain === domain) return f;
    return undefined;
  }

  /** Bytes this segment holds in memory: its filter area and sparse indexes (what RSS grows by). */
  get memoryBytes(): number {
    const sparse = (n: number) => 16 * Math.ceil(n / DEFAULT_EVERY);
    return (
      Number(this.header.recordAreaOffset) +
      sparse(this.asl.count) +
      sparse(this.tgk.count) +
      sparse(this.nodeRefs?.count ?? 0)
    );
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** The header and footer checks of DEC-027 between footer and framing (header-flags .. record-counts). */
function checkHeaderFields(
  h: SegmentHeader,
  f: SegmentFooter,
  fOff: number,
  step: (s: CheckStep) => void,
): void {
  const fo = h.footerOffset;
  step("header-flags");
  if ((h.flags & HEADER_FLAGS_RESERVED) !== 0)
    fail(
      "SEG_RESERVED_NONZERO",
      `header flags 0x${h.flags.toString(16)} set reserved bits 1..15`,
      H.flags,
      "header.flags",
      "ATXI-HDR-003",
    );
  step("section-bounds");
  const rao = h.recordAreaOffset;
  if (rao % 8n !== 0n || rao < BigInt(HEADER_SIZE) || rao > fo)
    fail(
      "SEG_BAD_SECTION_BOUNDS",
      `record_area_offset ${rao} is not a multiple of 8 in [64, footer_offset ${fo}]`,
      H.recordAreaOffset,
      "header.record_area_offset",
      "ATXI-HDR-006",
    );
  if (f.filterBytes !== rao - BigInt(HEADER_SIZE))
    fail(
      "SEG_BAD_SECTION_BOUNDS",
      `footer filter_bytes ${f.filterBytes} is not record_area_offset - 64 = ${rao - 64n}`,
      fOff + F.filterBytes,
      "footer.filter_bytes",
      "ATXI-FTR-001",
    );
  step("record-counts");
  if (f.aslRecordBytes !== 24n * h.aslRecordCount)
    fail(
      "SEG_BAD_RECORD_COUNT",
      `footer asl_record_bytes ${f.aslRecordBytes} is not 24 x asl_record_count ${h.aslRecordCount}`,
      fOff + F.aslRecordBytes,
      "footer.asl_record_bytes",
      "ATXI-HDR-005",
    );
  if (f.tgkRecordBytes !== 24n * h.tgkRecordCount)
    fail(
      "SEG_BAD_RECORD_COUNT",
      `footer tgk_record_bytes ${f.tgkRecordBytes} is not 24 x tgk_record_count ${h.tgkRecordCount}`,
      fOff + F.tgkRecordBytes,
      "footer.tgk_record_bytes",
      "ATXI-HDR-005",
    );
  if (rao + f.aslRecordBytes > fo)
    fail(
      "SEG_BAD_RECORD_COUNT",
      `${h.aslRecordCount} ASL records from offset ${rao} overrun footer_offset ${fo}`,
      H.aslRecordCount,
      "header.asl_record_count",
      "ATXI-HDR-005",
    );
  if (rao + f.aslRecordBytes + f.tgkRecordBytes > fo)
    fail(
      "SEG_BAD_RECORD_COUNT",
      `${h.tgkRecordCount} TGK records after the ASL records overrun footer_offset ${fo}`,
      H.tgkRecordCount,
      "header.tgk_record_count",
      "ATXI-HDR-005",
    );
}

/** The acceleration framing (ATXI-ACC-001), reading only the 16-byte headers and the padding. */
function readAccelFrames(fd: number, start: number, end: number): Frame[] {
  const out: Frame[] = [];
  const hb = new Uint8Array(FRAME_HEADER_SIZE);
  const dv = new DataView(hb.buffer);
  let pos = start;
  while (pos < end) {
    if (end - pos < FRAME_HEADER_SIZE)
      fail(
        "SEG_BAD_ACCEL_BLOCK",
        `${end - pos} bytes left in the acceleration block area cannot hold a 16-byte header`,
        pos,
        "accel_block_header",
        "ATXI-ACC-001",
      );
    readAt(fd, hb, pos);
    const size = dv.getBigUint64(FR.sizeBytes, true);
    const payloadOffset = pos + FRAME_HEADER_SIZE;
    const padded = size + ((8n - (size % 8n)) % 8n);
    if (padded > BigInt(end - payloadOffset))
      fail(
        "SEG_BAD_ACCEL_BLOCK",
        `acceleration block size_bytes ${size} (padded ${padded}) overruns the ${end - payloadOffset} bytes left in its area`,
        pos + FR.sizeBytes,
        "accel_block_header.size_bytes",
        "ATXI-ACC-001",
      );
    const fr: Frame = {
      offset: pos,
      type: dv.getUint16(FR.type, true),
      version: dv.getUint16(FR.version, true),
      flags: dv.getUint32(FR.flags, true),
      sizeBytes: Number(size),
      payloadOffset,
      end: payloadOffset + Number(padded),
    };
    if (fr.type === BLOCK_TYPE_NODE_REFS && fr.version === BLOCK_VERSION_NODE_REFS) {
      if (fr.sizeBytes % NODE_REF_SIZE !== 0)
        fail(
          "SEG_BAD_ACCEL_BLOCK",
          `node-edge-ref block size_bytes ${fr.sizeBytes} is not a multiple of 32`,
          pos + FR.sizeBytes,
          "accel_block_header.size_bytes",
          "ATXI-ACC-001",
        );
      if (fr.flags !== 0)
        fail(
          "SEG_RESERVED_NONZERO",
          `node-edge-ref block flags 0x${fr.flags.toString(16)} are reserved and must be zero`,
          pos + FR.flags,
          "accel_block_header.flags",
          "ATXI-LAY-002",
        );
    }
    const pad = new Uint8Array(fr.end - payloadOffset - fr.sizeBytes);
    readAt(fd, pad, payloadOffset + fr.sizeBytes);
    const nz = pad.findIndex((b) => b !== 0);
    if (nz >= 0)
      fail(
        "SEG_RESERVED_NONZERO",
        "padding byte after the acceleration block payload is not zero",
        payloadOffset + fr.sizeBytes + nz,
        "accel_block_header.padding",
        "ATXI-LAY-002",
      );
    out.push(fr);
    pos = fr.end;
  }
  return out;
}
