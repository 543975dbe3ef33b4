// The on-disk journal of the embedded store: every content-index mutation (PUT, TOMBSTONE, SNAPSHOT,
// INSTALL, RETIRE), framed so that a torn tail is told apart from damage (STO-REC-001, STO-REC-002,
// DEC-038). Replaying the journal through a fresh ContentIndex gives back the exact state, abandoned
// lines included, which is what the snapshots made on them read.
//
// Frame: magic "ASLJ" (4 bytes), kind u8, 3 reserved zero bytes, the payload (its size fixed by the
// kind: the kind byte is the frame's length field), then a checksum u64 LE = XXH64 seed 0 (the project's
// checksum, DEC-006) over every byte of the frame before it. Integers are little-endian (DEC-001).
// Payloads:
//   PUT       position u64, key 32, block_id u64, offset u64, length u64, flags u8, type_tag u32
//   TOMBSTONE position u64, key 32
//   SNAPSHOT  position u64, snapshot id 32
//   INSTALL   snapshot id 32
//   RETIRE    snapshot id 32
//   HEADER    format version u32 (1), reserved u32 (0): the first frame of every log made since DEC-038,
//             written (temp file, fsync, rename, directory fsync) before any block or snapshot file
//             exists, so that an initialized store's log is never empty. A log that begins with another
//             kind was made before DEC-038 and is read the same way.
//
// DEC-038, what the scan decides at the first frame that does not read (offset o, rem = bytes left):
//   torn tail (what a crash in the middle of an append leaves; dropped by reopen, kept in recovered/):
//     - zeros: every byte from o to the end of the file is zero;
//     - a header cut short (the frame's length field, its kind byte, is cut): fewer than 8 bytes remain
//       or the kind byte is zero, and the bytes agree with a frame header as far as they go (magic, a
//       known kind, zero reserved bytes), then only zeros;
//     - a frame cut short: a valid 8-byte header whose frame would end past the end of the file, and
//       the bytes present are not a complete frame of another kind with a valid checksum (a bit flip in
//       the kind byte that makes a complete frame look longer is damage, not a cut).
//   damage (STORE_CORRUPT_LOG with the file and o; reopen refuses): anything else, in particular a
//     complete-length frame whose checksum fails, even the last one and even when it ends in zeros,
//     a header that is neither valid nor a prefix followed by zeros, and a frame that reads but cannot
//     be decoded or replayed.
// The journal is read in chunks with positional reads (never as one buffer), so its size is bounded by
// the disk, not by the largest buffer Node.js can allocate.
import * as fs from "node:fs";
import { AslError } from "../common/errors.ts";
import { toHex, xxh64 } from "../common/hash.ts";
import { keyBytesInto } from "../content-index/digest.ts";
import type { ArtifactLocation } from "../content-index/index.ts";

export type JournalRecord =
  | {
      kind: "put";
      position: number;
      key: string;
      location: ArtifactLocation;
      typeTag: number | undefined;
      /** True when the store holds the bytes (Store.put); false for a content-index PUT (Store.indexPut). */
      stored: boolean;
    }
  | { kind: "tombstone"; position: number; key: string }
  | { kind: "snapshot"; position: number; id: string }
  | { kind: "install"; id: string }
  | { kind: "retire"; id: string };

type FrameKind = JournalRecord["kind"] | "header";

const MAGIC = [0x41, 0x53, 0x4c, 0x4a]; // "ASLJ"
export const HEADER_SIZE = 8;
const TRAILER_SIZE = 8;
const KINDS = ["put", "tombstone", "snapshot", "install", "retire", "header"] as const satisfies FrameKind[];
const PAYLOAD_SIZE: Record<FrameKind, number> = {
  put: 69,
  tombstone: 40,
  snapshot: 40,
  install: 32,
  retire: 32,
  header: 8,
};
/** The journal format version the HEADER frame carries. */
export const JOURNAL_VERSION = 1;
const MAX_FRAME = Math.max(...Object.values(PAYLOAD_SIZE)) + HEADER_SIZE + TRAILER_SIZE;

export function frameSizeOf(kind: FrameKind): number {
  return HEADER_SIZE + PAYLOAD_SIZE[kind] + TRAILER_SIZE;
}

function frame(kind: FrameKind): { frame: Uint8Array; view: DataView } {
  const frame = new Uint8Array(frameSizeOf(kind));
  frame.set(MAGIC, 0);
  frame[4] = KINDS.indexOf(kind) + 1;
  return { frame, view: new DataView(frame.buffer) };
}

function seal(f: Uint8Array, v: DataView): Uint8Array {
  v.setBigUint64(f.length - TRAILER_SIZE, xxh64([f.subarray(0, f.length - TRAILER_SIZE)]), true);
  return f;
}

/** The HEADER frame that begins every log made since DEC-038. */
export function encodeHeader(): Uint8Array {
  const { frame: f, view: v } = frame("header");
  v.setUint32(HEADER_SIZE, JOURNAL_VERSION, true);
  return seal(f, v);
}

export function encodeRecord(r: JournalRecord): Uint8Array {
  const { frame: f, view: v } = frame(r.kind);
  let o = HEADER_SIZE;
  if (r.kind === "put" || r.kind === "tombstone" || r.kind === "snapshot") {
    v.setBigUint64(o, BigInt(r.position), true);
    o += 8;
  }
  keyBytesInto(r.kind === "put" || r.kind === "tombstone" ? r.key : r.id, f, o);
  o += 32;
  if (r.kind === "put") {
    v.setBigUint64(o, r.location.blockId, true);
    v.setBigUint64(o + 8, r.location.offset, true);
    v.setBigUint64(o + 16, r.location.length, true);
    // Bit 0: a type tag is present; bit 1: the store holds the bytes (only those count for DEC-015 collisions).
    f[o + 24] = (r.typeTag === undefined ? 0 : 1) | (r.stored ? 2 : 0);
    v.setUint32(o + 25, r.typeTag ?? 0, true);
  }
  return seal(f, v);
}

/** Where the journal's bytes come from: a file read in chunks, or (tests) bytes in memory. */
export interface JournalSource {
  readonly size: number;
  /** Fills `into` from byte `at` (at + into.length <= size). */
  read(at: number, into: Uint8Array): void;
}

/** Default chunk of a streaming read: large enough that a frame rarely straddles two reads. */
export const DEFAULT_CHUNK = 4 * 1024 * 1024;

/** A file read with positional reads; `size` is the size when the scan starts. */
export function fileSource(fd: number, size: number): JournalSource {
  return {
    size,
    read(at, into) {
      let got = 0;
      while (got < into.length) {
        const n = fs.readSync(fd, into, got, into.length - got, at + got);
        if (n === 0)
          throw new Error(`the file ended at byte ${at + got} while reading (it shrank during the scan)`);
        got += n;
      }
    },
  };
}

export function bytesSource(bytes: Uint8Array): JournalSource {
  return { size: bytes.length, read: (at, into) => into.set(bytes.subarray(at, at + into.length)) };
}

/** A sliding window over a source: frames are read from it without holding the whole file. */
class Window {
  private readonly buf: Uint8Array;
  private start = 0;
  private end = 0;
  constructor(
    private readonly src: JournalSource,
    chunk: number,
  ) {
    this.buf = new Uint8Array(Math.max(chunk, MAX_FRAME));
  }
  /** The bytes [at, at + n), n <= the window's size; a view valid until the next call. */
  at(at: number, n: number): Uint8Array {
    if (at < this.start || at + n > this.end) {
      const len = Math.min(this.buf.length, this.src.size - at);
      this.src.read(at, this.buf.subarray(0, len));
      this.start = at;
      this.end = at + len;
    }
    return this.buf.subarray(at - this.start, at - this.start + n);
  }
  /** True when every byte from `from` to the end of the source is zero (read a window at a time). */
  zerosFrom(from: number): boolean {
    for (let o = from; o < this.src.size; ) {
      const n = Math.min(this.buf.length, this.src.size - o);
      if (!allZero(this.at(o, n))) return false;
      o += n;
    }
    return true;
  }
}

const ZERO_PAGE = new Uint8Array(64 * 1024);
export function allZero(b: Uint8Array): boolean {
  for (let o = 0; o < b.length; o += ZERO_PAGE.length) {
    const part = b.subarray(o, Math.min(b.length, o + ZERO_PAGE.length));
    if (
      !Buffer.from(part.buffer, part.byteOffset, part.byteLength).equals(ZERO_PAGE.subarray(0, part.length))
    )
      return false;
  }
  return true;
}

export type TornKind = "zeros" | "header cut short" | "frame cut short";

export interface TornTail {
  kind: TornKind;
  /** Where the torn tail starts: the end of the last complete frame. */
  offset: number;
  length: number;
}

export interface ScanResult {
  /** Complete, valid frames read (the HEADER frame included). */
  frames: number;
  /** Records passed to onRecord (every frame but the HEADER). */
  records: number;
  /** True when the log begins with a HEADER frame (made since DEC-038). */
  header: boolean;
  /** Where the valid frames end; a torn tail, when there is one, runs from here to the end. */
  validEnd: number;
  size: number;
  tail?: TornTail;
}

export type OnRecord = (offset: number, record: JournalRecord) => void;

/**
 * Damage in the log: STORE_CORRUPT_LOG naming the file and the byte offset of the defect. frameOffset is
 * where the frame holding it begins, which is where a point-in-time repair cuts the log (DEC-038).
 */
export class LogDamage extends AslError {
  readonly frameOffset: number;
  constructor(fileName: string, frameOffset: number, what: string, at = frameOffset, rule = "STO-REC-002") {
    super("STORE_CORRUPT_LOG", `${fileName}: ${what} at byte offset ${at}`, { offset: at, rule });
    this.frameOffset = frameOffset;
  }
}

function corruptLog(fileName: string, o: number, what: string, at = o): LogDamage {
  return new LogDamage(fileName, o, what, at);
}

function headerOk(b: Uint8Array): boolean {
  const kind = b[4]!;
  return (
    MAGIC.every((m, i) => b[i] === m) &&
    kind >= 1 &&
    kind <= KINDS.length &&
    b[5] === 0 &&
    b[6] === 0 &&
    b[7] === 0
  );
}

/** True when b (shorter than a header, or longer) is a proper prefix of a valid header, then only zeros. */
function headerPrefixThenZeros(b: Uint8Array): boolean {
  let lastNonZero = -1;
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) lastNonZero = i;
  if (lastNonZero >= HEADER_SIZE - 1) return false; // a whole header would be there: not a header cut
  for (let i = 0; i <= lastNonZero; i++) {
    const ok = i < 4 ? b[i] === MAGIC[i] : i === 4 ? b[i]! >= 1 && b[i]! <= KINDS.length : b[i] === 0;
    if (!ok) return false;
  }
  return true;
}

/**
 * Reads a whole journal frame by frame, calling onRecord for each record in order. Throws
 * STORE_CORRUPT_LOG (file name, byte offset) for damage; reports a torn tail without throwing. Errors
 * thrown by onRecord propagate unchanged.
 */
export function scanJournal(
  src: JournalSource,
  fileName: string,
  onRecord: OnRecord = () => {},
  chunk = DEFAULT_CHUNK,
): ScanResult {
  const w = new Window(src, chunk);
  const size = src.size;
  const result: ScanResult = { frames: 0, records: 0, header: false, validEnd: 0, size };
  let o = 0;
  // Made once, not per frame: a closure per frame was a tenth of a reopen's time under tsx.
  const torn = (kind: TornKind): ScanResult => ({
    ...result,
    validEnd: o,
    tail: { kind, offset: o, length: size - o },
  });
  const damaged = (at: number, what: string) => corruptLog(fileName, o, what, at);
  while (o < size) {
    const rem = size - o;
    const head = w.at(o, Math.min(rem, HEADER_SIZE));
    if (rem < HEADER_SIZE || !headerOk(head)) {
      if (headerPrefixThenZeros(head) && w.zerosFrom(o + head.length)) {
        return torn(head.every((b) => b === 0) ? "zeros" : "header cut short");
      }
      throw corruptLog(fileName, o, "frame header is damaged (magic, kind or reserved bytes)");
    }
    const kind = KINDS[head[4]! - 1]!;
    const frameSize = frameSizeOf(kind);
    if (rem < frameSize) {
      // Cut short, unless the bytes are a complete frame of another kind whose kind byte was damaged.
      for (const other of KINDS) {
        const n = frameSizeOf(other);
        if (other === kind || n > rem) continue;
        const f = w.at(o, n).slice();
        f[4] = KINDS.indexOf(other) + 1;
        const v = new DataView(f.buffer);
        if (xxh64([f.subarray(0, n - TRAILER_SIZE)]) === v.getBigUint64(n - TRAILER_SIZE, true))
          throw corruptLog(
            fileName,
            o,
            `frame kind byte is damaged (a complete ${other} frame reads as ${kind})`,
          );
      }
      return torn("frame cut short");
    }
    const f = w.at(o, frameSize);
    const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
    const sumAt = frameSize - TRAILER_SIZE;
    if (xxh64([f.subarray(0, sumAt)]) !== v.getBigUint64(sumAt, true)) {
      throw corruptLog(
        fileName,
        o,
        `${kind} frame checksum mismatch (a complete frame${rem === frameSize ? ", the last one" : ""})`,
      );
    }
    if (kind === "header") {
      if (o !== 0) throw corruptLog(fileName, o, "a header frame after the start of the log");
      const version = v.getUint32(HEADER_SIZE, true);
      if (version !== JOURNAL_VERSION || v.getUint32(HEADER_SIZE + 4, true) !== 0)
        throw corruptLog(
          fileName,
          o,
          `journal format version ${version} is not ${JOURNAL_VERSION}`,
          o + HEADER_SIZE,
        );
      result.header = true;
    } else {
      const record = decodePayload(kind, f.subarray(HEADER_SIZE, sumAt), o + HEADER_SIZE, damaged);
      onRecord(o, record);
      result.records++;
    }
    result.frames++;
    o += frameSize;
    result.validEnd = o;
  }
  return result;
}

/** Every record of a journal held in memory, with its offset (tests and tools). */
export function scanJournalBytes(
  bytes: Uint8Array,
  fileName: string,
): ScanResult & { entries: Array<{ offset: number; record: JournalRecord }> } {
  const entries: Array<{ offset: number; record: JournalRecord }> = [];
  const r = scanJournal(bytesSource(bytes), fileName, (offset, record) => entries.push({ offset, record }));
  return { ...r, entries };
}

function decodePayload(
  kind: JournalRecord["kind"],
  p: Uint8Array,
  at: number,
  corrupt: (o: number, what: string) => AslError,
): JournalRecord {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  let o = 0;
  let position = 0;
  if (kind === "put" || kind === "tombstone" || kind === "snapshot") {
    const pos = v.getBigUint64(0, true);
    if (pos > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(at, `position ${pos} out of range`);
    position = Number(pos);
    o = 8;
  }
  const hex = toHex(p.subarray(o, o + 32));
  o += 32;
  switch (kind) {
    case "tombstone":
      return { kind, position, key: hex };
    case "snapshot":
      return { kind, position, id: hex };
    case "install":
    case "retire":
      return { kind, id: hex };
    case "put": {
      const bits = p[o + 24]!;
      const hasTag = bits & 1;
      const tag = v.getUint32(o + 25, true);
      if (bits > 3 || (hasTag === 0 && tag !== 0))
        throw corrupt(at + o + 24, "has_type_tag/type_tag malformed");
      const location = {
        blockId: v.getBigUint64(o, true),
        offset: v.getBigUint64(o + 8, true),
        length: v.getBigUint64(o + 16, true),
      };
      return {
        kind,
        position,
        key: hex,
        location,
        typeTag: hasTag === 1 ? tag : undefined,
        stored: (bits & 2) !== 0,
      };
    }
  }
}
