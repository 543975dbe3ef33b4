// DEC-018: the state digest and the SnapshotID. Each visible (key, value) contributes
// e = SHA-256("ASL-CI-ENTRY/1" || key || block_id u64 LE || offset u64 LE || length u64 LE ||
// has_type_tag u8 || type_tag u32 LE); the digest is the sum of every e as a big-endian 256-bit integer,
// mod 2^256. The sum is order-independent and incremental: a PUT adds its e and subtracts the e of the
// value it shadows, a tombstone subtracts, so the digest moves in O(1) per log entry (STO-DIG-001).
// SnapshotID = SHA-256("ASL-SNAPSHOT/1" || position u64 LE || digest) (STO-SNAP-001, STO-SNAP-005).
// The arithmetic works in place on 32-byte big-endian arrays: no BigInt allocation per entry.
//
// SHA-256 here is node:crypto's one-shot hash(), not @noble/hashes (common/hash.ts): the entry hash is
// the index's one hot hash (one or two per log entry when a digest is first asked for), and on a 75-byte
// entry node:crypto folds 1.31-1.34 us an entry against 2.53-2.63 us with @noble/hashes (the same
// digests; 3e5 entries, 2 cores, CPU time; hashing 64 entries in a batch saves nothing with either).
import { hash } from "node:crypto";
import { toHex } from "../common/hash.ts";
import type { ArtifactLocation } from "./types.ts";

const ENTRY_TAG = new TextEncoder().encode("ASL-CI-ENTRY/1");
const SNAPSHOT_TAG = new TextEncoder().encode("ASL-SNAPSHOT/1");
const ENTRY_LEN = ENTRY_TAG.length + 32 + 24 + 1 + 4;

// One scratch buffer for the entry encoding: encoding is synchronous, so it is never shared.
const entryScratch = new Uint8Array(ENTRY_LEN);
const entryView = new DataView(entryScratch.buffer);
entryScratch.set(ENTRY_TAG, 0);

/** SHA-256 of bytes, as a plain Uint8Array (a Buffer's slice() would not copy). */
function sha256(bytes: Uint8Array): Uint8Array {
  const h = hash("sha256", bytes, "buffer");
  return new Uint8Array(h.buffer, h.byteOffset, h.length);
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE["0123456789abcdef".charCodeAt(i)] = i;

/**
 * Checks and parses in one pass: writes the 32 bytes of key into out at `at` and returns true when key
 * is 64 lowercase hex digits; returns false otherwise (out's 32 bytes are then unspecified). A put's hot
 * path: checking first and parsing after read the text twice, at 22 % of a put's time.
 */
export function parseKeyInto(key: unknown, out: Uint8Array, at: number): boolean {
  if (typeof key !== "string" || key.length !== 64) return false;
  let bad = 0;
  for (let i = 0; i < 32; i++) {
    const a = key.charCodeAt(2 * i);
    const b = key.charCodeAt(2 * i + 1);
    const hi = HEX_VALUE[a & 0x7f]!;
    const lo = HEX_VALUE[b & 0x7f]!;
    // -1 (not a lowercase hex digit) >> 4 is -1, a digit's value >> 4 is 0; a code past 0x7f is refused.
    bad |= ((hi | lo) >> 4) | ((a | b) >> 7);
    out[at + i] = (hi << 4) | lo;
  }
  return bad === 0;
}

/** Writes the 32 bytes of a key already checked to be 64 lowercase hex digits. */
export function keyBytesInto(key: string, out: Uint8Array, at: number): void {
  for (let i = 0; i < 32; i++) {
    out[at + i] = (HEX_VALUE[key.charCodeAt(2 * i)]! << 4) | HEX_VALUE[key.charCodeAt(2 * i + 1)]!;
  }
}

export function keyBytes(key: string): Uint8Array {
  const out = new Uint8Array(32);
  keyBytesInto(key, out, 0);
  return out;
}

/** The per-entry hash e of DEC-018 for a visible (key, value). */
export function entryHash(key: string, loc: ArtifactLocation, typeTag: number | undefined): Uint8Array {
  const k = keyBytes(key);
  const location = new Uint8Array(24);
  const view = new DataView(location.buffer);
  view.setBigUint64(0, loc.blockId, true);
  view.setBigUint64(8, loc.offset, true);
  view.setBigUint64(16, loc.length, true);
  return entryHashRaw(k, location, typeTag);
}

/**
 * e of DEC-018 from the key's 32 bytes and the location's three u64 as 24 bytes already little-endian
 * (how the index stores them, so nothing is converted).
 */
export function entryHashRaw(key: Uint8Array, location: Uint8Array, typeTag: number | undefined): Uint8Array {
  let o = ENTRY_TAG.length;
  entryScratch.set(key, o);
  o += 32;
  entryScratch.set(location, o);
  o += 24;
  entryScratch[o] = typeTag === undefined ? 0 : 1;
  entryView.setUint32(o + 1, typeTag ?? 0, true);
  return sha256(entryScratch);
}

/** acc = (acc + x) mod 2^256, both big-endian, acc in place. */
export function addInto(acc: Uint8Array, x: Uint8Array, xAt = 0): void {
  let carry = 0;
  for (let i = 31; i >= 0; i--) {
    const s = acc[i]! + x[xAt + i]! + carry;
    acc[i] = s & 0xff;
    carry = s >>> 8;
  }
}

/** acc = (acc - x) mod 2^256, both big-endian, acc in place. */
export function subInto(acc: Uint8Array, x: Uint8Array, xAt = 0): void {
  let borrow = 0;
  for (let i = 31; i >= 0; i--) {
    const d = acc[i]! - x[xAt + i]! - borrow;
    acc[i] = d & 0xff;
    borrow = d < 0 ? 1 : 0;
  }
}

export const EMPTY_DIGEST: Uint8Array = new Uint8Array(32);

/** SnapshotID of the state at `position` with digest `digest` (DEC-018). */
export function snapshotId(position: number, digest: Uint8Array): string {
  const buf = new Uint8Array(SNAPSHOT_TAG.length + 8 + 32);
  buf.set(SNAPSHOT_TAG, 0);
  new DataView(buf.buffer).setBigUint64(SNAPSHOT_TAG.length, BigInt(position), true);
  buf.set(digest, SNAPSHOT_TAG.length + 8);
  return toHex(sha256(buf));
}

/** The genesis snapshot: position 0, empty state (DEC-020). */
export const GENESIS_ID: string = snapshotId(0, EMPTY_DIGEST);
