// The values the content index speaks in (ASL/INDEXES/1 2.1, ASL-STORE-INDEX 3) and how they are checked
// at the API boundary. DEC-015: an ArtifactKey is 32 bytes written as 64 lowercase hex digits.
// DEC-019: an ArtifactLocation is three u64 (bigint here) and the optional type tag a u32.
// DEC-005/DEC-020: a LogPosition is a 0-based position along a line. Anything not well formed is
// refused with CI_INVALID_ARGUMENT (STO-CUR-005) before any state is touched.
import { AslError } from "../common/errors.ts";

/** 64 lowercase hex digits: the SHA-256 of an artifact's bytes (DEC-015). */
export type ArtifactKey = string;
/** 64 lowercase hex digits (DEC-018). */
export type SnapshotId = string;
/** A 0-based position along the current line (DEC-005). */
export type LogPosition = number;

export interface ArtifactLocation {
  readonly blockId: bigint;
  readonly offset: bigint;
  readonly length: bigint;
}

/** What the content index answers for a visible key: its location and optional type tag (DEC-019). */
export interface IndexValue {
  readonly location: ArtifactLocation;
  readonly typeTag: number | undefined;
}

/** A state (SnapshotID, LogPosition) per ASL-STORE-INDEX 3. */
export interface IndexState {
  readonly snapshot: SnapshotId;
  readonly position: LogPosition;
}

/**
 * A requested state. The position may be a bigint so that a u64 read from a trace above 2^53 is still a
 * well-formed request (it is then simply beyond every line, see toPosition).
 */
export interface StateRequest {
  readonly snapshot: SnapshotId;
  readonly position: LogPosition | bigint;
}

export interface SnapshotInfo {
  readonly id: SnapshotId;
  readonly position: LogPosition;
  /** State digest, 64 lowercase hex digits (DEC-018). */
  readonly digest: string;
  readonly retired: boolean;
  /** True when (id, P) can be asked for every P from its position to CURRENT's (DEC-020). */
  readonly onCurrentLine: boolean;
}

export const U64_MAX = (1n << 64n) - 1n;
/** 1 for the 16 lowercase hex digits, by char code below 128. */
const LOWER_HEX = new Uint8Array(128);
for (const c of "0123456789abcdef") LOWER_HEX[c.charCodeAt(0)] = 1;

/** 64 lowercase hex digits; a loop, not a regular expression: it was 30 % of a put's profile. */
function isKeyText(v: unknown): v is string {
  if (typeof v !== "string" || v.length !== 64) return false;
  for (let i = 0; i < 64; i++) if (LOWER_HEX[v.charCodeAt(i)] !== 1) return false;
  return true;
}

function invalid(message: string, field: string): AslError {
  return new AslError("CI_INVALID_ARGUMENT", message, { field, rule: "STO-CUR-005" });
}

/** The error for a key that is not 64 lowercase hex digits. */
export function invalidKey(key: unknown, field = "key"): AslError {
  return invalid(`${field} must be 64 lowercase hex digits, got ${describe(key)}`, field);
}

/** Refuses anything but 64 lowercase hex digits; uppercase is refused too, one spelling per key. */
export function checkKey(key: unknown, field = "key"): ArtifactKey {
  if (!isKeyText(key)) throw invalidKey(key, field);
  return key;
}

export function checkSnapshotId(id: unknown): SnapshotId {
  return checkKey(id, "snapshot");
}

function checkU64(v: unknown, field: string): bigint {
  if (typeof v !== "bigint" || v < 0n || v > U64_MAX)
    throw invalid(`${field} must be a u64 bigint, got ${describe(v)}`, field);
  return v;
}

export function checkLocation(loc: unknown): ArtifactLocation {
  if (typeof loc !== "object" || loc === null) throw invalid("location must be an object", "location");
  const l = loc as Record<string, unknown>;
  return {
    blockId: checkU64(l["blockId"], "location.blockId"),
    offset: checkU64(l["offset"], "location.offset"),
    length: checkU64(l["length"], "location.length"),
  };
}

export function checkTypeTag(tag: unknown): number | undefined {
  if (tag === undefined) return undefined;
  if (typeof tag !== "number" || !Number.isInteger(tag) || tag < 0 || tag > 0xffff_ffff) {
    throw invalid(`typeTag must be a u32, got ${describe(tag)}`, "typeTag");
  }
  return tag;
}

/**
 * A u64 position as a JS number. Positions above 2^53 cannot exist in this engine (each needs an entry),
 * so such a well-formed u64 maps to Infinity: it compares greater than every real position and yields
 * the same typed error a real position beyond CURRENT would.
 */
export function toPosition(p: unknown): number {
  if (typeof p === "number" && Number.isSafeInteger(p) && p >= 0) return p;
  if (typeof p === "bigint" && p >= 0n && p <= U64_MAX) {
    return p <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(p) : Number.POSITIVE_INFINITY;
  }
  throw invalid(`position must be a u64, got ${describe(p)}`, "position");
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}...` : v);
  if (typeof v === "bigint") return `${v}n`;
  return String(v);
}
