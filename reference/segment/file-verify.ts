// Verifying a segment file in bounded memory: every check of DEC-027, in its order, on a segment that is
// read in chunks (it may be far larger than memory and never read before). What it holds: one chunk of
// structures (about 1.5 MB), the filters, and for logseq-unique one bit per logseq of the header's range
// (or 8 bytes per record when that range is sparse). It reports what verifySegment reports for the same
// bytes: the first failing check's code and byte offset (tested on mutated segments).
// Rules: ATXI-DEC-001, ATXI-DEC-002, ATXI-FTR-002, ATXI-VIS-005, ATXI-FLT-002.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { AslError, isAslError } from "../common/errors.ts";
import { xxh64Stream } from "../common/hash.ts";
import type { KnownFilter } from "../filters/filter.ts";
import { hiWord, loWord } from "../filters/mix.ts";
import type { CheckStep } from "./check-order.ts";
import { DiskSegment } from "./file.ts";
import { firstMissingKey } from "./filter-check.ts";
import { F, FOOTER_SIZE, H, HEADER_SIZE, MAGIC, NODE_REF_SIZE, SEGMENT_VERSION } from "./layout.ts";
import { checkNodeRefs, NodeRefTable } from "./projections.ts";
import { AslTable, checkRecords, type KeyedRecordTable, type LogseqBounds, TgkTable } from "./records.ts";
import { wordView } from "./words.ts";

const CHUNK = 65_536;

export type FileVerifyResult =
  | { ok: true; segment: DiskSegment }
  | { ok: false; error: AslError; step: CheckStep };

function readAt(fd: number, buf: Uint8Array, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) throw new Error(`segment file shorter than its size while reading byte ${position + done}`);
    done += n;
  }
}

/**
 * Calls f(words, count, first) over structures [first - 1, first + n) of a table in the file (the one
 * before the chunk included, so order checks cross chunk boundaries), chunk after chunk.
 */
function chunks(
  fd: number,
  start: number,
  count: number,
  stride: number,
  f: (words: Uint32Array, n: number, firstInChunk: number) => void,
): void {
  const buf = new Uint8Array((CHUNK + 1) * stride);
  for (let first = 0; first < count; first += CHUNK) {
    const from = Math.max(0, first - 1);
    const n = Math.min(first + CHUNK, count) - from;
    const part = buf.subarray(0, n * stride);
    readAt(fd, part, start + from * stride);
    f(wordView(part), n, from);
  }
}

/** Re-bases an error a chunk's table reported: its offset into the file, record numbers from 0 of the table. */
function rebase(e: unknown, fileOffset: number, firstIndex: number): unknown {
  if (!isAslError(e)) return e;
  const msg = e.message.replace(
    /(record|ref) (\d+)/g,
    (_, w: string, i: string) => `${w} ${Number(i) + firstIndex}`,
  );
  return new AslError(e.code, msg, { offset: (e.offset ?? 0) + fileOffset, field: e.field, rule: e.rule });
}

/** verifySegment for a file: ok with the opened segment (close it), or the first failing check. */
export function verifySegmentFile(path: string): FileVerifyResult {
  const fd = openSync(path, "r");
  let step: CheckStep = "size";
  let segment: DiskSegment | undefined;
  try {
    const size = fstatSync(fd).size;
    // size .. footer: as DiskSegment.open checks them; the checksum, streamed, only when they pass.
    step = "size";
    if (size >= HEADER_SIZE + FOOTER_SIZE) {
      const hb = new Uint8Array(HEADER_SIZE);
      readAt(fd, hb, 0);
      const dv = new DataView(hb.buffer);
      const fo = dv.getBigUint64(H.footerOffset, true);
      const plausible =
        MAGIC.every((m, i) => hb[i] === m) &&
        dv.getUint16(H.version, true) === SEGMENT_VERSION &&
        fo % 8n === 0n &&
        fo >= BigInt(HEADER_SIZE) &&
        fo + BigInt(FOOTER_SIZE) === BigInt(size);
      if (plausible) {
        step = "checksum";
        checksum(fd, Number(fo), size);
      }
    }
    segment = DiskSegment.open(path, {
      deferFilterContents: true,
      onStep: (s) => {
        // The checksum runs between footer and header-flags (above); open repeats the steps before it.
        if (s !== "size" && s !== "magic" && s !== "version" && s !== "footer") step = s;
        else if (step !== "checksum") step = s;
      },
    });
    const h = segment.header;
    const rao = Number(h.recordAreaOffset);
    const aslCount = Number(h.aslRecordCount);
    const tgkCount = Number(h.tgkRecordCount);
    const tgkStart = rao + 24 * aslCount;
    const b: LogseqBounds = {
      minHi: hiWord(h.logseqMin),
      minLo: loWord(h.logseqMin),
      maxHi: hiWord(h.logseqMax),
      maxLo: loWord(h.logseqMax),
    };
    for (const [kind, start, count] of [
      ["asl", rao, aslCount],
      ["tgk", tgkStart, tgkCount],
    ] as const) {
      step = kind === "asl" ? "asl-records" : "tgk-records";
      chunks(fd, start, count, 24, (w, n, from) => {
        const t: KeyedRecordTable = kind === "asl" ? new AslTable(w, 0, n) : new TgkTable(w, 0, n);
        try {
          checkRecords(t, kind, b);
        } catch (e) {
          throw rebase(e, start + 24 * from, from);
        }
      });
    }
    step = "logseq-unique";
    uniqueLogseqs(fd, segment, rao, tgkStart);
    step = "node-refs";
    const refsFrame = segment.accelFrames.find((fr) => fr.payloadOffset === segment!.nodeRefsStart);
    if (refsFrame !== undefined) {
      const seg = segment;
      chunks(
        fd,
        refsFrame.payloadOffset,
        refsFrame.sizeBytes / NODE_REF_SIZE,
        NODE_REF_SIZE,
        (w, n, from) => {
          try {
            checkNodeRefs(new NodeRefTable(w, 0, n), seg.tgk, b);
          } catch (e) {
            throw rebase(e, refsFrame.payloadOffset + NODE_REF_SIZE * from, from);
          }
        },
      );
    }
    step = "filter-contents";
    const filters = segment.filters;
    step = "filter-completeness";
    filters.forEach((f, k) => {
      if (f.kind === "unknown") return;
      const miss = missingKey(
        fd,
        f,
        segment!,
        rao,
        tgkStart,
        refsFrame?.payloadOffset,
        refsFrame ? refsFrame.sizeBytes / NODE_REF_SIZE : 0,
      );
      if (miss !== undefined) {
        const fr = segment!.filterFrames[k]!;
        throw new AslError(
          "SEG_FILTER_FALSE_NEGATIVE",
          `filter ${k} (${f.kind}, domain ${f.domain}) answers 'absent' for key ${miss} its segment holds`,
          { offset: fr.offset, field: "asl_tgk_filter_header", rule: "ATXI-FLT-002" },
        );
      }
    });
    return { ok: true, segment };
  } catch (e) {
    segment?.close();
    if (!isAslError(e)) throw e;
    return { ok: false, error: e, step };
  } finally {
    closeSync(fd);
  }
}

/** The checksum step (DEC-006): XXH64 over the file but its checksum field, read in 4 MiB pieces. */
function checksum(fd: number, fo: number, size: number): void {
  const h = xxh64Stream();
  const buf = new Uint8Array(4 << 20);
  for (let at = 0; at < fo; at += buf.length) {
    const part = buf.subarray(0, Math.min(buf.length, fo - at));
    readAt(fd, part, at);
    h.update(part);
  }
  const foot = new Uint8Array(FOOTER_SIZE);
  readAt(fd, foot, fo);
  h.update(foot.subarray(8));
  const stored = new DataView(foot.buffer).getBigUint64(F.checksum, true);
  const computed = h.digest();
  if (stored !== computed)
    throw new AslError(
      "SEG_CHECKSUM_MISMATCH",
      `footer checksum 0x${stored.toString(16)} is not XXH64 0x${computed.toString(16)} of the segment`,
      { offset: fo + F.checksum, field: "footer.checksum", rule: "ATXI-FTR-002" },
    );
  void size;
}

/**
 * logseq-unique (ATXI-VIS-005), streamed: the first record in file order (ASL, then TGK) whose logseq an
 * earlier record used. One bit per logseq of [min, max] when that range has at most 2^30 logseqs; otherwise
 * every logseq is kept (8 bytes a record) and sorted, and only if there is a repeat is it found in order.
 */
function uniqueLogseqs(fd: number, seg: DiskSegment, rao: number, tgkStart: number): void {
  const min = seg.logseqMin;
  const range = seg.logseqMax - min;
  const total = seg.asl.count + seg.tgk.count;
  if (total < 2) return;
  const tables = [
    ["asl", rao, seg.asl.count],
    ["tgk", tgkStart, seg.tgk.count],
  ] as const;
  const dup = (kind: "asl" | "tgk", start: number, i: number, ls: bigint): never => {
    const s = kind === "asl" ? "asl_index_record" : "tgk_index_record";
    throw new AslError(
      "SEG_DUPLICATE_LOGSEQ",
      `${kind === "asl" ? "ASL" : "TGK"} record ${i}: logseq ${ls} is already used by an earlier record of the segment`,
      { offset: start + 24 * i, field: `${s}.logseq`, rule: "ATXI-VIS-005" },
    );
  };
  if (range < 1n << 30n) {
    const bits = new Uint8Array(Number(range / 8n) + 1);
    const minHi = hiWord(min);
    const minLo = loWord(min);
    for (const [kind, start, count] of tables) {
      chunks(fd, start, count, 24, (w, n, from) => {
        for (let i = from === 0 ? 0 : 1; i < n; i++) {
          const d = (w[6 * i + 1]! - minHi) * 4294967296 + (w[6 * i]! - minLo);
          const m = 1 << (d & 7);
          if ((bits[d >>> 3]! & m) !== 0)
            dup(kind, start, from + i, (BigInt(w[6 * i + 1]!) << 32n) | BigInt(w[6 * i]!));
          bits[d >>> 3] = bits[d >>> 3]! | m;
        }
      });
    }
    return;
  }
  const all = new BigUint64Array(total);
  let k = 0;
  for (const [, start, count] of tables)
    chunks(fd, start, count, 24, (w, n, from) => {
      for (let i = from === 0 ? 0 : 1; i < n; i++)
        all[k++] = (BigInt(w[6 * i + 1]!) << 32n) | BigInt(w[6 * i]!);
    });
  const sorted = all.slice().sort();
  let repeated = false;
  for (let i = 1; i < total && !repeated; i++) repeated = sorted[i] === sorted[i - 1];
  if (!repeated) return;
  const seen = new Set<bigint>();
  k = 0;
  for (const [kind, start, count] of tables)
    for (let i = 0; i < count; i++, k++) {
      if (seen.has(all[k]!)) dup(kind, start, i, all[k]!);
      seen.add(all[k]!);
    }
}

/** The first key of the filter's domain it rejects, streamed, or undefined. */
function missingKey(
  fd: number,
  f: KnownFilter,
  seg: DiskSegment,
  rao: number,
  tgkStart: number,
  refsStart: number | undefined,
  refCount: number,
): bigint | undefined {
  const [start, count, stride] =
    f.domain === 1
      ? [rao, seg.asl.count, 24]
      : f.domain === 2
        ? [tgkStart, seg.tgk.count, 24]
        : [refsStart ?? 0, refsStart === undefined ? 0 : refCount, 32];
  let miss: bigint | undefined;
  chunks(fd, start, count, stride, (w, n) => {
    if (miss === undefined)
      miss = firstMissingKey(f, { words: w, base: 0, count: n, stride: stride / 4, hi: 3, lo: 2 });
  });
  return miss;
}
