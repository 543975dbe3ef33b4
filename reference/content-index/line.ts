// One line of the content index (DEC-020): a base state followed by log entries at positions
// base.position, base.position + 1, ... (STO-LOG-001, STO-LOG-003). It answers Index(S, P) for every P
// on the line without scanning the log (STO-CUR-001, STO-CUR-004, STO-LOG-004):
//   - the newest entry of a key on the line is one array read (lastEntry), so a lookup at CURRENT is O(1);
//   - a key written more than once keeps its entry indices in ascending order (history), so a lookup at
//     an earlier P is a binary search over that key's versions only;
//   - a key with no entry before P is answered by the base state.
// Entries are stored column-wise in typed arrays (about 97 bytes an entry, no object per entry), and the
// state digest after every entry is kept (32 bytes an entry) so that digest(S, P) is O(1) (STO-DIG-001).

import { addInto, entryHash, subInto } from "./digest.ts";
import type { ArtifactLocation, IndexValue } from "./types.ts";

/** A value of a materialized state: what the index answers, plus its DEC-018 entry hash. */
export interface StoredValue extends IndexValue {
  readonly hash: Uint8Array;
}

/** An immutable, fully materialized state: the base of a line, or an installed snapshot. */
export class FlatState {
  constructor(
    readonly position: number,
    readonly digest: Uint8Array,
    readonly values: ReadonlyMap<number, StoredValue>,
  ) {}
}

const OP_PUT = 0;
const OP_PUT_TAGGED = 1;
const OP_TOMBSTONE = 2;

/** What `entryAt` found: an entry index >= 0, or one of these. */
const FROM_BASE = -1;

export class Line {
  readonly start: number;
  private n = 0;
  private cap = 1024;
  private keyIds = new Int32Array(this.cap);
  private ops = new Uint8Array(this.cap);
  private blockIds = new BigUint64Array(this.cap);
  private offsets = new BigUint64Array(this.cap);
  private lengths = new BigUint64Array(this.cap);
  private tags = new Uint32Array(this.cap);
  private hashes = new Uint8Array(32 * this.cap);
  private digests = new Uint8Array(32 * this.cap);
  /** keyId -> index of the newest entry of that key on this line, or -1. */
  private lastEntry: Int32Array;
  /** keyId -> every entry index of that key, ascending; only for keys written twice or more. */
  private readonly history = new Map<number, number[]>();
  private readonly digestNow: Uint8Array;

  constructor(
    readonly serial: number,
    readonly base: FlatState,
    keyCount: number,
  ) {
    this.start = base.position;
    this.lastEntry = new Int32Array(Math.max(1024, keyCount)).fill(-1);
    this.digestNow = base.digest.slice();
  }

  /** CURRENT's position on this line. */
  get tail(): number {
    return this.start + this.n;
  }

  get length(): number {
    return this.n;
  }

  /** Appends a PUT (loc given) or a TOMBSTONE (loc undefined) and returns its position. */
  append(keyId: number, key: string, loc: ArtifactLocation | undefined, typeTag: number | undefined): number {
    if (this.n === this.cap) this.grow();
    if (keyId >= this.lastEntry.length) this.growKeys(keyId);
    const i = this.n;
    const prev = this.lastEntry[keyId]!;
    // The digest loses the value this entry shadows (DEC-018), whether it came from the line or the base.
    if (prev >= 0) {
      if (this.ops[prev] !== OP_TOMBSTONE) subInto(this.digestNow, this.hashes, 32 * prev);
    } else {
      const old = this.base.values.get(keyId);
      if (old !== undefined) subInto(this.digestNow, old.hash);
    }
    this.keyIds[i] = keyId;
    if (loc === undefined) {
      this.ops[i] = OP_TOMBSTONE;
    } else {
      this.ops[i] = typeTag === undefined ? OP_PUT : OP_PUT_TAGGED;
      this.blockIds[i] = loc.blockId;
      this.offsets[i] = loc.offset;
      this.lengths[i] = loc.length;
      this.tags[i] = typeTag ?? 0;
      const h = entryHash(key, loc, typeTag);
      this.hashes.set(h, 32 * i);
      addInto(this.digestNow, h);
    }
    this.digests.set(this.digestNow, 32 * i);
    if (prev >= 0) {
      let versions = this.history.get(keyId);
      if (versions === undefined) {
        versions = [prev];
        this.history.set(keyId, versions);
      }
      versions.push(i);
    }
    this.lastEntry[keyId] = i;
    this.n = i + 1;
    return this.start + i;
  }

  /** The value of keyId at position P (start <= P <= tail), or undefined when absent. */
  valueAt(keyId: number, p: number): IndexValue | undefined {
    const e = this.entryAt(keyId, p);
    if (e === FROM_BASE) {
      const b = this.base.values.get(keyId);
      return b === undefined ? undefined : { location: b.location, typeTag: b.typeTag };
    }
    const op = this.ops[e]!;
    if (op === OP_TOMBSTONE) return undefined;
    // No copy of the entry hash here: a lookup needs only the value (a 32-byte slice costs ~30% of a lookup).
    return {
      location: { blockId: this.blockIds[e]!, offset: this.offsets[e]!, length: this.lengths[e]! },
      typeTag: op === OP_PUT_TAGGED ? this.tags[e]! : undefined,
    };
  }

  /** The state digest at position P (start <= P <= tail). */
  digestAt(p: number): Uint8Array {
    const i = p - this.start;
    return i === 0 ? this.base.digest : this.digests.subarray(32 * (i - 1), 32 * i);
  }

  /** The full state at position P as an immutable FlatState: O(base + entries before P). */
  materialize(p: number): FlatState {
    const values = new Map(this.base.values);
    const end = p - this.start;
    for (let i = 0; i < end; i++) {
      const keyId = this.keyIds[i]!;
      const v = this.valueOfEntry(i);
      if (v === undefined) values.delete(keyId);
      else values.set(keyId, v);
    }
    return new FlatState(p, this.digestAt(p).slice(), values);
  }

  /** Entries in position order, for export: [position, keyId, value or undefined for a tombstone]. */
  *entries(): IterableIterator<[number, number, IndexValue | undefined]> {
    for (let i = 0; i < this.n; i++) yield [this.start + i, this.keyIds[i]!, this.valueOfEntry(i)];
  }

  private entryAt(keyId: number, p: number): number {
    const last = keyId < this.lastEntry.length ? this.lastEntry[keyId]! : -1;
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

  private valueOfEntry(i: number): StoredValue | undefined {
    const op = this.ops[i]!;
    if (op === OP_TOMBSTONE) return undefined;
    return {
      location: { blockId: this.blockIds[i]!, offset: this.offsets[i]!, length: this.lengths[i]! },
      typeTag: op === OP_PUT_TAGGED ? this.tags[i]! : undefined,
      hash: this.hashes.slice(32 * i, 32 * i + 32),
    };
  }

  private grow(): void {
    const cap = this.cap * 2;
    const keyIds = new Int32Array(cap);
    keyIds.set(this.keyIds);
    this.keyIds = keyIds;
    const ops = new Uint8Array(cap);
    ops.set(this.ops);
    this.ops = ops;
    this.blockIds = growBig(this.blockIds, cap);
    this.offsets = growBig(this.offsets, cap);
    this.lengths = growBig(this.lengths, cap);
    const tags = new Uint32Array(cap);
    tags.set(this.tags);
    this.tags = tags;
    this.hashes = growBytes(this.hashes, 32 * cap);
    this.digests = growBytes(this.digests, 32 * cap);
    this.cap = cap;
  }

  private growKeys(keyId: number): void {
    const next = new Int32Array(Math.max(keyId + 1, this.lastEntry.length * 2)).fill(-1);
    next.set(this.lastEntry);
    this.lastEntry = next;
  }
}

function growBig(a: BigUint64Array<ArrayBuffer>, n: number): BigUint64Array<ArrayBuffer> {
  const b = new BigUint64Array(n);
  b.set(a);
  return b;
}

function growBytes(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}
