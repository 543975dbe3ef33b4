// One line of the content index (DEC-020): a base state followed by log entries at positions
// base.position, base.position + 1, ... (STO-LOG-001, STO-LOG-003). It answers Index(S, P) for every P
// on the line without scanning the log (STO-CUR-001, STO-CUR-004, STO-LOG-004):
//   - the newest entry of a key on the line is one array read (lastEntry), so a lookup at CURRENT is O(1);
//   - a key written more than once keeps its entry indices in ascending order (history), so a lookup at
//     an earlier P is a binary search over that key's versions only;
//   - a key with no entry before P is answered by the base state.
// Entries are fixed-size records in typed-array chunks (33 bytes an entry, records.ts), keyed by the
// keyId of the key table (key-table.ts): no object and no Map entry per entry.
//
// The DEC-018 digest is computed lazily (STO-DIG-001): an append hashes nothing. The first time a
// digest at P is asked for (a snapshot, digest(), an install), the entries up to P are folded into a
// running digest, one SHA-256 per entry plus one per value it shadows, and a checkpoint of the running
// digest is kept every CHECKPOINT_EVERY entries. A digest at any P already folded is then a checkpoint
// plus fewer than CHECKPOINT_EVERY folds: O(1) per query, at 4 bytes an entry instead of the 64 (entry
// hash and digest after every entry) an eager design keeps. Figures: see content-index.ts.

import { byHighBits, ShardedMap } from "../common/sharded-map.ts";
import { addInto, entryHashRaw, subInto } from "./digest.ts";
import type { KeyTable } from "./key-table.ts";
import { Int32s, Records } from "./records.ts";
import type { ArtifactLocation, IndexValue } from "./types.ts";

// An entry, and a value of a FlatState: field offsets of one 33-byte record. The three u64 of the
// location are consecutive and little-endian, as DEC-018's entry encoding has them.
const KEY_ID = 0; // u32
const OP = 4; // u8, one of OP_*
const LOCATION = 5; // blockId, offset, length: 3 x u64 LE
const TAG = 29; // u32 LE
const RECORD_BYTES = 33;

// Op 0 is absence: only in a FlatState (whose records start all zero), where the key has no value.
const OP_PUT = 1;
const OP_PUT_TAGGED = 2;
const OP_TOMBSTONE = 3;

/** One checkpoint of the running digest every this many entries: 4 bytes an entry, at most 7 folds a query. */
const CHECKPOINT_EVERY = 8;

function isValue(op: number): boolean {
  return op === OP_PUT || op === OP_PUT_TAGGED;
}

function writeValue(r: Records, i: number, loc: ArtifactLocation, typeTag: number | undefined): void {
  r.setU8(i, OP, typeTag === undefined ? OP_PUT : OP_PUT_TAGGED);
  r.setU64(i, LOCATION, loc.blockId);
  r.setU64(i, LOCATION + 8, loc.offset);
  r.setU64(i, LOCATION + 16, loc.length);
  r.setU32(i, TAG, typeTag ?? 0);
}

function readValue(r: Records, i: number): IndexValue | undefined {
  const op = r.u8(i, OP);
  if (!isValue(op)) return undefined;
  return {
    location: {
      blockId: r.u64(i, LOCATION),
      offset: r.u64(i, LOCATION + 8),
      length: r.u64(i, LOCATION + 16),
    },
    typeTag: op === OP_PUT_TAGGED ? r.u32(i, TAG) : undefined,
  };
}

/** The DEC-018 entry hash e of the value in record i, for the key with these bytes (recomputed each time). */
function hashValue(r: Records, i: number, key: Uint8Array): Uint8Array {
  const rec = r.bytes(i);
  const tagged = rec[OP] === OP_PUT_TAGGED;
  return entryHashRaw(key, rec.subarray(LOCATION, LOCATION + 24), tagged ? r.u32(i, TAG) : undefined);
}

/** An immutable, fully materialized state: the base of a line, or an installed snapshot. */
export class FlatState {
  /** values: one record per keyId below keyCount, op 0 when the key has no value in this state. */
  private constructor(
    readonly position: number,
    readonly digest: Uint8Array,
    private readonly values: Records,
    private readonly keyCount: number,
  ) {}

  static empty(): FlatState {
    return new FlatState(0, new Uint8Array(32), new Records(RECORD_BYTES), 0);
  }

  valueOf(keyId: number): IndexValue | undefined {
    return keyId < this.keyCount ? readValue(this.values, keyId) : undefined;
  }

  has(keyId: number): boolean {
    return keyId < this.keyCount && isValue(this.values.u8(keyId, OP));
  }

  hashOf(keyId: number, keys: KeyTable): Uint8Array {
    return hashValue(this.values, keyId, keys.keyBytes(keyId));
  }

  /** Every (keyId, value) of the state, in keyId order. */
  *entries(): IterableIterator<[number, IndexValue]> {
    for (let k = 0; k < this.keyCount; k++) {
      const v = readValue(this.values, k);
      if (v !== undefined) yield [k, v];
    }
  }

  /** A state from `base` with records `changes` applied: (keyId, entry record) pairs, in order. */
  static apply(
    base: FlatState,
    position: number,
    digest: Uint8Array,
    keyCount: number,
    changes: Iterable<[number, Uint8Array]>,
  ): FlatState {
    const values = base.values.copy(keyCount);
    for (const [keyId, rec] of changes) values.setBytes(keyId, rec);
    return new FlatState(position, digest, values, keyCount);
  }
}

/** What `entryAt` found: an entry index >= 0, or this. */
const FROM_BASE = -1;

export class Line {
  readonly start: number;
  private n = 0;
  private readonly entries = new Records(RECORD_BYTES);
  /** keyId -> index of the newest entry of that key on this line, or -1. */
  private readonly lastEntry = new Int32s(-1);
  /** keyId -> every entry index of that key, ascending; only for keys written twice or more. */
  private readonly history = new ShardedMap<number, number[]>(byHighBits);
  /** Entries folded into digestNow (the lazy DEC-018 digest), and a checkpoint every CHECKPOINT_EVERY. */
  private folded = 0;
  private readonly digestNow: Uint8Array;
  private readonly checkpoints = new Records(32);

  constructor(
    readonly serial: number,
    readonly base: FlatState,
    private readonly keys: KeyTable,
  ) {
    this.start = base.position;
    this.digestNow = base.digest.slice();
    this.checkpoints.reserve(1);
    this.checkpoints.setBytes(0, base.digest);
  }

  /** CURRENT's position on this line. */
  get tail(): number {
    return this.start + this.n;
  }

  get length(): number {
    return this.n;
  }

  /** Appends a PUT (loc given) or a TOMBSTONE (loc undefined) and returns its position. */
  append(keyId: number, loc: ArtifactLocation | undefined, typeTag: number | undefined): number {
    const i = this.n;
    this.entries.reserve(i + 1);
    this.entries.setU32(i, KEY_ID, keyId);
    if (loc === undefined) this.entries.setU8(i, OP, OP_TOMBSTONE);
    else writeValue(this.entries, i, loc, typeTag);
    const prev = this.lastEntry.get(keyId);
    if (prev >= 0) {
      let versions = this.history.get(keyId);
      if (versions === undefined) {
        versions = [prev];
        this.history.set(keyId, versions);
      }
      versions.push(i);
    }
    this.lastEntry.set(keyId, i);
    this.n = i + 1;
    return this.start + i;
  }

  /** The value of keyId at position P (start <= P <= tail), or undefined when absent. */
  valueAt(keyId: number, p: number): IndexValue | undefined {
    const e = this.entryAt(keyId, p);
    return e === FROM_BASE ? this.base.valueOf(keyId) : readValue(this.entries, e);
  }

  /** The state digest at position P (start <= P <= tail), a new array. */
  digestAt(p: number): Uint8Array {
    const i = p - this.start;
    this.foldTo(i);
    if (i === this.folded) return this.digestNow.slice();
    const from = i - (i % CHECKPOINT_EVERY);
    const acc = this.checkpoints.bytes(from / CHECKPOINT_EVERY).slice();
    for (let e = from; e < i; e++) this.fold(acc, e);
    return acc;
  }

  /** The full state at position P as an immutable FlatState: O(base + entries before P). */
  materialize(p: number): FlatState {
    const digest = this.digestAt(p);
    const end = p - this.start;
    const entries = this.entries;
    function* changes(): IterableIterator<[number, Uint8Array]> {
      for (let i = 0; i < end; i++) yield [entries.u32(i, KEY_ID), entries.bytes(i)];
    }
    return FlatState.apply(this.base, p, digest, this.keys.size, changes());
  }

  /** Entries in position order, for export: [position, keyId, value or undefined for a tombstone]. */
  *entryList(): IterableIterator<[number, number, IndexValue | undefined]> {
    for (let i = 0; i < this.n; i++)
      yield [this.start + i, this.entries.u32(i, KEY_ID), readValue(this.entries, i)];
  }

  private entryAt(keyId: number, p: number): number {
    const last = this.lastEntry.get(keyId);
    if (last < 0) return FROM_BASE;
    const limit = p - this.start; // entries with index < limit are in the prefix
    if (last < limit) return last;
    const versions = this.history.get(keyId);
    if (versions === undefined) return FROM_BASE;
    // Greatest version index below limit; versions[0] >= limit means none.
    let lo = 0;
    let hi = versions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (versions[mid]! < limit) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? FROM_BASE : versions[lo - 1]!;
  }

  /** Folds entries up to index i (exclusive) into the running digest, keeping the checkpoints. */
  private foldTo(i: number): void {
    while (this.folded < i) {
      this.fold(this.digestNow, this.folded);
      this.folded++;
      if (this.folded % CHECKPOINT_EVERY === 0) {
        const c = this.folded / CHECKPOINT_EVERY;
        this.checkpoints.reserve(c + 1);
        this.checkpoints.setBytes(c, this.digestNow);
      }
    }
  }

  /** Applies entry e to a digest (DEC-018): minus the e of the value it shadows, plus its own e. */
  private fold(acc: Uint8Array, e: number): void {
    const keyId = this.entries.u32(e, KEY_ID);
    const key = this.keys.keyBytes(keyId);
    const shadowed = this.entryAt(keyId, this.start + e);
    if (shadowed === FROM_BASE) {
      if (this.base.has(keyId)) subInto(acc, this.base.hashOf(keyId, this.keys));
    } else if (isValue(this.entries.u8(shadowed, OP))) {
      subInto(acc, hashValue(this.entries, shadowed, key));
    }
    if (isValue(this.entries.u8(e, OP))) addInto(acc, hashValue(this.entries, e, key));
  }
}
