// The on-disk journal of the embedded store: every content-index mutation (PUT, TOMBSTONE, SNAPSHOT,
// INSTALL, RETIRE), framed so that a torn tail is told apart from damage (STO-REC-001, STO-REC-002).
// Replaying the journal through a fresh ContentIndex gives back the exact state, abandoned lines
// included, which is what the snapshots made on them read.
//
// Frame: magic "ASLJ" (4 bytes), kind u8, 3 reserved zero bytes, the payload (its size fixed by the
// kind), then a checksum u64 LE = XXH64 seed 0 (the project's checksum, DEC-006) over every byte of the
// frame before it. Integers are little-endian (DEC-001). Payloads:
//   PUT       position u64, key 32, block_id u64, offset u64, length u64, has_type_tag u8, type_tag u32
//   TOMBSTONE position u64, key 32
//   SNAPSHOT  position u64, snapshot id 32
//   INSTALL   snapshot id 32
//   RETIRE    snapshot id 32
// A frame that is cut short, or whose checksum fails while it ends exactly at the end of the file, or a
// tail of zero bytes, is a torn tail: the last append did not complete, nothing was acknowledged for it,
// and it is dropped. Anything else that fails is damage before the tail: STORE_CORRUPT_LOG.
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

const MAGIC = [0x41, 0x53, 0x4c, 0x4a]; // "ASLJ"
export const HEADER_SIZE = 8;
const TRAILER_SIZE = 8;
const KINDS = ["put", "tombstone", "snapshot", "install", "retire"] as const;
const PAYLOAD_SIZE: Record<JournalRecord["kind"], number> = {
  put: 69,
  tombstone: 40,
  snapshot: 40,
  install: 32,
  retire: 32,
};

export function encodeRecord(r: JournalRecord): Uint8Array {
  const frame = new Uint8Array(frameSizeOf(r.kind));
  const v = new DataView(frame.buffer);
  frame.set(MAGIC, 0);
  frame[4] = KINDS.indexOf(r.kind) + 1;
  let o = HEADER_SIZE;
  if (r.kind === "put" || r.kind === "tombstone" || r.kind === "snapshot") {
    v.setBigUint64(o, BigInt(r.position), true);
    o += 8;
  }
  keyBytesInto(r.kind === "put" || r.kind === "tombstone" ? r.key : r.id, frame, o);
  o += 32;
  if (r.kind === "put") {
    v.setBigUint64(o, r.location.blockId, true);
    v.setBigUint64(o + 8, r.location.offset, true);
    v.setBigUint64(o + 16, r.location.length, true);
    // Bit 0: a type tag is present; bit 1: the store holds the bytes (only those count for DEC-015 collisions).
    frame[o + 24] = (r.typeTag === undefined ? 0 : 1) | (r.stored ? 2 : 0);
    v.setUint32(o + 25, r.typeTag ?? 0, true);
  }
  v.setBigUint64(frame.length - TRAILER_SIZE, xxh64([frame.subarray(0, frame.length - TRAILER_SIZE)]), true);
  return frame;
}

export function frameSizeOf(kind: JournalRecord["kind"]): number {
  return HEADER_SIZE + PAYLOAD_SIZE[kind] + TRAILER_SIZE;
}

export interface ScanResult {
  records: Array<{ offset: number; record: JournalRecord }>;
  /** Where the valid records end; a torn tail, when there is one, runs from here to the end. */
  validEnd: number;
}

/** Decodes a whole journal; throws STORE_CORRUPT_LOG (file name, byte offset) for damage before the tail. */
export function scanJournal(bytes: Uint8Array, fileName: string): ScanResult {
  const records: ScanResult["records"] = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (o: number, what: string) =>
    new AslError("STORE_CORRUPT_LOG", `${fileName}: ${what} at byte offset ${o}`, {
      offset: o,
      rule: "STO-REC-002",
    });
  let o = 0;
  while (o < bytes.length) {
    const rem = bytes.length - o;
    if (rem < HEADER_SIZE) break; // a header cut short: torn
    const kindByte = bytes[o + 4]!;
    const headerOk =
      MAGIC.every((m, i) => bytes[o + i] === m) &&
      kindByte >= 1 &&
      kindByte <= KINDS.length &&
      bytes[o + 5] === 0 &&
      bytes[o + 6] === 0 &&
      bytes[o + 7] === 0;
    if (!headerOk) {
      if (bytes.subarray(o).every((b) => b === 0)) break; // zero-filled tail: torn
      throw corrupt(o, "record header is damaged (magic, kind or reserved bytes)");
    }
    const kind = KINDS[kindByte - 1]!;
    const frameSize = frameSizeOf(kind);
    if (rem < frameSize) break; // frame cut short: torn
    const sumAt = o + frameSize - TRAILER_SIZE;
    if (xxh64([bytes.subarray(o, sumAt)]) !== v.getBigUint64(sumAt, true)) {
      if (rem === frameSize) break; // the last frame, not fully on disk: torn
      throw corrupt(o, `record checksum mismatch (${kind} record, not the last one)`);
    }
    records.push({
      offset: o,
      record: decodePayload(kind, bytes.subarray(o + HEADER_SIZE, sumAt), o + HEADER_SIZE, corrupt),
    });
    o += frameSize;
  }
  return { records, validEnd: o };
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
