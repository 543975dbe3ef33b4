// The streamed segment writer: encodes a segment of ASL and TGK records to a file from batches of
// records, never holding the segment whole (the largest buffers are one batch, the bloom filters and a
// 4 MiB write buffer). The batches are read three times: to count the distinct keys each bloom filter is
// sized by (DEC-009), to set its bits, and to write; so `batches()` must give the same records each time.
// The bytes are exactly what encodeSegment writes for the same records and bloom requests (DEC-025,
// tested). Records are checked as they are written (the asl-records and tgk-records passes of DEC-027,
// across batch boundaries too, and logseq-unique); a refused input leaves no file behind (ATXI-ENC-001).
// Not streamed here: node projections, xor8 filters and unknown blocks (encodeSegment writes those).
// Rules: ATXI-ENC-001, ATXI-INV-006, ATXI-FLT-004, ATXI-FTR-002.
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { AslError, isAslError } from "../common/errors.ts";
import { xxh64Stream } from "../common/hash.ts";
import { BLOOM_NUM_HASHES, BLOOM_SEED, type BloomFilter, bloomNumBits } from "../filters/bloom.ts";
import { filterFrame } from "../filters/filter.ts";
import { fmix64Halves, hiWord, loWord, MIX } from "../filters/mix.ts";
import {
  F,
  FOOTER_SIZE,
  FR,
  FRAME_HEADER_SIZE,
  H,
  HEADER_SIZE,
  MAGIC,
  pad8,
  SEGMENT_VERSION,
} from "./layout.ts";
import { AslTable, checkRecords, type KeyedRecordTable, type LogseqBounds, TgkTable } from "./records.ts";
import { lt64, wordView } from "./words.ts";

/** Records of one kind in DEC-004 order, laid out as DEC-002 says (24 bytes each), in batches. */
export interface RecordBatches {
  count: number;
  batches(): Iterable<Uint8Array>;
}

export interface SegmentFileInput {
  segmentId: bigint;
  logseqMin: bigint;
  logseqMax: bigint;
  asl?: RecordBatches;
  tgk?: RecordBatches;
  /** Bloom filters to build (DEC-009), in file order, over the ASL (1) or TGK (2) keys. */
  blooms?: readonly (1 | 2)[];
}

const EMPTY: RecordBatches = { count: 0, batches: () => [] };
const OUT_BUFFER = 4 << 20;

/** Calls f(words, base, count) for each batch, checking its length and the total count. */
function eachBatch(
  src: RecordBatches,
  what: string,
  f: (w: Uint32Array, n: number, first: number) => void,
): void {
  let seen = 0;
  for (const b of src.batches()) {
    if (b.length % 24 !== 0)
      throw new RangeError(`${what} batch of ${b.length} bytes is not a whole number of 24-byte records`);
    f(wordView(b), b.length / 24, seen);
    seen += b.length / 24;
  }
  if (seen !== src.count)
    throw new RangeError(`${what} batches hold ${seen} records, not the ${src.count} announced`);
}

/** The reference bloom filter (DEC-009) over the keys of the batches, as buildBloom builds it. */
function streamBloom(src: RecordBatches, domain: 1 | 2, what: string): BloomFilter {
  let distinct = 0;
  let pHi = -1;
  let pLo = -1;
  eachBatch(src, what, (w, n) => {
    for (let i = 0; i < n; i++) {
      const hi = w[6 * i + 3]!;
      const lo = w[6 * i + 2]!;
      if (hi !== pHi || lo !== pLo) distinct++;
      pHi = hi;
      pLo = lo;
    }
  });
  const m = bloomNumBits(distinct);
  const bits = new Uint8Array(Math.ceil(m / 8));
  const sHi = hiWord(BLOOM_SEED);
  const sLo = loWord(BLOOM_SEED);
  eachBatch(src, what, (w, n) => {
    for (let i = 0; i < n; i++) {
      // Probe i of key x: ((h1 + i h2) mod 2^32) mod m, h = fmix64(x ^ seed) (DEC-009, as bloom.ts).
      fmix64Halves((w[6 * i + 3]! ^ sHi) >>> 0, (w[6 * i + 2]! ^ sLo) >>> 0);
      let p = MIX[0]!;
      const h2 = MIX[1]!;
      for (let k = 0; k < BLOOM_NUM_HASHES; k++) {
        const bit = p % m;
        bits[bit >>> 3] = bits[bit >>> 3]! | (1 << (bit & 7));
        p = (p + h2) >>> 0;
      }
    }
  });
  return { kind: "bloom", domain, numBits: m, numHashes: BLOOM_NUM_HASHES, seed: BLOOM_SEED, bits };
}

/**
 * logseq-unique (ATXI-VIS-005) as the records stream past: one bit per logseq of [min, max] when that is
 * at most 2^30 logseqs (128 MiB), else every logseq kept and sorted at the end.
 */
class LogseqSeen {
  private readonly bits: Uint8Array | undefined;
  private readonly all: BigUint64Array | undefined;
  private readonly minHi: number;
  private readonly minLo: number;
  private n = 0;
  constructor(min: bigint, max: bigint, total: number) {
    this.minHi = hiWord(min);
    this.minLo = loWord(min);
    if (max - min < 1n << 30n) this.bits = new Uint8Array(Number((max - min) / 8n) + 1);
    else this.all = new BigUint64Array(total);
  }
  /** False when the logseq (hi:lo), within the header's bounds, was seen before. */
  add(hi: number, lo: number): boolean {
    if (this.bits === undefined) {
      this.all![this.n++] = (BigInt(hi) << 32n) | BigInt(lo);
      return true;
    }
    // The offset from logseq_min, exact in a double (it is below 2^30 here).
    const d = (hi - this.minHi) * 4294967296 + (lo - this.minLo);
    const m = 1 << (d & 7);
    if ((this.bits[d >>> 3]! & m) !== 0) return false;
    this.bits[d >>> 3] = this.bits[d >>> 3]! | m;
    return true;
  }
  /** A repeated logseq among those kept, if any (the sorted case). */
  repeat(): bigint | undefined {
    if (this.all === undefined) return undefined;
    this.all.sort();
    for (let i = 1; i < this.n; i++) if (this.all[i] === this.all[i - 1]) return this.all[i];
    return undefined;
  }
}

function refuse(e: AslError, shift: number): AslError {
  return new AslError(
    e.code,
    `writer refuses the input: ${e.message} (offset ${(e.offset ?? 0) + shift} of the file)`,
    {
      offset: (e.offset ?? 0) + shift,
      field: e.field,
      rule: e.rule,
    },
  );
}

/**
 * Writes the segment to `path` (through `path`.tmp, renamed when complete). Returns its size and checksum.
 * Deterministic: the same input gives the same bytes (DEC-025).
 */
export function writeSegmentFile(path: string, input: SegmentFileInput): { bytes: number; checksum: bigint } {
  const asl = input.asl ?? EMPTY;
  const tgk = input.tgk ?? EMPTY;
  for (const [v, what] of [
    [input.segmentId, "segmentId"],
    [input.logseqMin, "logseqMin"],
    [input.logseqMax, "logseqMax"],
  ] as const) {
    if (typeof v !== "bigint" || v < 0n || v >= 1n << 64n)
      throw new RangeError(`${what} must be a u64 bigint, got ${String(v)}`);
  }
  const filters = (input.blooms ?? []).map((d) =>
    filterFrame(streamBloom(d === 1 ? asl : tgk, d, d === 1 ? "ASL" : "TGK")),
  );
  const filterBytes = filters.reduce((n, f) => n + FRAME_HEADER_SIZE + pad8(f.payload.length), 0);
  const rao = HEADER_SIZE + filterBytes;
  const aslBytes = 24 * asl.count;
  const tgkBytes = 24 * tgk.count;
  const fo = rao + aslBytes + tgkBytes;

  const head = new Uint8Array(rao);
  const dv = new DataView(head.buffer);
  head.set(MAGIC, H.magic);
  dv.setUint16(H.version, SEGMENT_VERSION, true);
  dv.setUint16(H.flags, 0, true);
  dv.setBigUint64(H.segmentId, input.segmentId, true);
  dv.setBigUint64(H.logseqMin, input.logseqMin, true);
  dv.setBigUint64(H.logseqMax, input.logseqMax, true);
  dv.setBigUint64(H.aslRecordCount, BigInt(asl.count), true);
  dv.setBigUint64(H.tgkRecordCount, BigInt(tgk.count), true);
  dv.setBigUint64(H.recordAreaOffset, BigInt(rao), true);
  dv.setBigUint64(H.footerOffset, BigInt(fo), true);
  let pos = HEADER_SIZE;
  for (const f of filters) {
    dv.setUint16(pos + FR.type, f.type, true);
    dv.setUint16(pos + FR.version, f.version, true);
    dv.setUint32(pos + FR.flags, f.flags >>> 0, true);
    dv.setBigUint64(pos + FR.sizeBytes, BigInt(f.payload.length), true);
    head.set(f.payload, pos + FRAME_HEADER_SIZE);
    pos += FRAME_HEADER_SIZE + pad8(f.payload.length);
  }

  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  const hash = xxh64Stream();
  const out = new Uint8Array(OUT_BUFFER);
  let used = 0;
  let written = 0;
  const emit = (b: Uint8Array) => {
    hash.update(b);
    let at = 0;
    while (at < b.length) {
      const n = Math.min(b.length - at, out.length - used);
      out.set(b.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === out.length) {
        written += writeSync(fd, out, 0, used);
        used = 0;
      }
    }
  };
  try {
    emit(head);
    const bounds: LogseqBounds = {
      minHi: hiWord(input.logseqMin),
      minLo: loWord(input.logseqMin),
      maxHi: hiWord(input.logseqMax),
      maxLo: loWord(input.logseqMax),
    };
    const seen = new LogseqSeen(input.logseqMin, input.logseqMax, asl.count + tgk.count);
    writeRecords(asl, "asl", rao, bounds, seen, emit);
    writeRecords(tgk, "tgk", rao + aslBytes, bounds, seen, emit);
    const dup = seen.repeat();
    if (dup !== undefined)
      throw new AslError(
        "SEG_DUPLICATE_LOGSEQ",
        `writer refuses the input: logseq ${dup} is used by two records`,
        {
          field: "logseq",
          rule: "ATXI-VIS-005",
        },
      );
    const foot = new Uint8Array(FOOTER_SIZE);
    const fv = new DataView(foot.buffer);
    fv.setBigUint64(F.aslRecordBytes, BigInt(aslBytes), true);
    fv.setBigUint64(F.tgkRecordBytes, BigInt(tgkBytes), true);
    fv.setBigUint64(F.filterBytes, BigInt(filterBytes), true);
    // DEC-006: the checksum covers everything but its own 8 bytes.
    hash.update(foot.subarray(8));
    const checksum = hash.digest();
    fv.setBigUint64(F.checksum, checksum, true);
    out.set(foot, used); // the buffer always has room: flushed whenever full
    used += FOOTER_SIZE;
    if (used > 0) written += writeSync(fd, out, 0, used);
    closeSync(fd);
    renameSync(tmp, path);
    return { bytes: written, checksum };
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

function writeRecords(
  src: RecordBatches,
  kind: "asl" | "tgk",
  start: number,
  bounds: LogseqBounds,
  seen: LogseqSeen,
  emit: (b: Uint8Array) => void,
): void {
  let pIdHi = -1;
  let pIdLo = -1;
  let pLsHi = -1;
  let pLsLo = -1;
  const what = kind === "asl" ? "ASL" : "TGK";
  eachBatch(src, what, (w, n, first) => {
    const bytes = new Uint8Array(w.buffer, w.byteOffset, 24 * n);
    const table: KeyedRecordTable = kind === "asl" ? new AslTable(w, 0, n) : new TgkTable(w, 0, n);
    const at = start + 24 * first;
    try {
      checkRecords(table, kind, bounds);
    } catch (e) {
      throw isAslError(e) ? refuse(e, at) : e;
    }
    if (n > 0 && pIdHi >= 0) {
      const idHi = w[3]!;
      const idLo = w[2]!;
      if (
        !(
          lt64(pIdHi, pIdLo, idHi, idLo) ||
          (pIdHi === idHi && pIdLo === idLo && lt64(pLsHi, pLsLo, w[1]!, w[0]!))
        )
      )
        throw refuse(
          new AslError(
            "SEG_RECORD_ORDER",
            `record ${first} does not follow record ${first - 1} strictly by (id, logseq)`,
            {
              offset: 0,
              field: kind === "asl" ? "asl_index_record" : "tgk_index_record",
              rule: kind === "asl" ? "ATXI-ASL-007" : "ATXI-TGK-006",
            },
          ),
          at,
        );
    }
    for (let i = 0; i < n; i++) {
      if (!seen.add(w[6 * i + 1]!, w[6 * i]!))
        throw refuse(
          new AslError(
            "SEG_DUPLICATE_LOGSEQ",
            `${what} record ${first + i}: logseq ${table.logseq(i)} is already used by an earlier record`,
            {
              offset: 24 * i,
              field: kind === "asl" ? "asl_index_record.logseq" : "tgk_index_record.logseq",
              rule: "ATXI-VIS-005",
            },
          ),
          at,
        );
    }
    if (n > 0) {
      const l = 6 * (n - 1);
      pIdHi = w[l + 3]!;
      pIdLo = w[l + 2]!;
      pLsHi = w[l + 1]!;
      pLsLo = w[l]!;
    }
    emit(bytes);
  });
}

/** Lays records out as DEC-002 does (24 bytes each, in the order given): a batch for writeSegmentFile. */
export function aslBatch(
  records: readonly {
    logseq: bigint;
    artifactId: bigint;
    typeTag?: number | undefined;
    tombstone: boolean;
  }[],
): Uint8Array {
  const out = new Uint8Array(24 * records.length);
  const dv = new DataView(out.buffer);
  records.forEach((r, i) => {
    const o = 24 * i;
    dv.setBigUint64(o, r.logseq, true);
    dv.setBigUint64(o + 8, r.artifactId, true);
    if (r.typeTag !== undefined) {
      dv.setUint32(o + 16, r.typeTag, true);
      out[o + 20] = 1;
    }
    if (r.tombstone) dv.setUint16(o + 22, 1, true);
  });
  return out;
}

/** TGK records laid out as DEC-002 does (24 bytes each, in the order given). */
export function tgkBatch(
  records: readonly {
    logseq: bigint;
    tgkEdgeId: bigint;
    edgeTypeKey?: number | undefined;
    role: number;
    tombstone: boolean;
  }[],
): Uint8Array {
  const out = new Uint8Array(24 * records.length);
  const dv = new DataView(out.buffer);
  records.forEach((r, i) => {
    const o = 24 * i;
    dv.setBigUint64(o, r.logseq, true);
    dv.setBigUint64(o + 8, r.tgkEdgeId, true);
    if (r.edgeTypeKey !== undefined) {
      dv.setUint32(o + 16, r.edgeTypeKey, true);
      out[o + 20] = 1;
    }
    out[o + 21] = r.role;
    if (r.tombstone) dv.setUint16(o + 22, 1, true);
  });
  return out;
}
