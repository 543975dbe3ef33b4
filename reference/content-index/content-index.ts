// The content index of ASL/INDEXES/1 2.1 with the snapshot identity, log positions and CURRENT of
// ASL-STORE-INDEX 1 and 3: Index(S, P) = Snapshot[S] + replay(log[S.position : P]).
// Rules: IDX-CI-001..007, STO-SNAP-001..007, STO-LOG-001..004, STO-CUR-001..005, STO-DIG-001.
// Decisions: DEC-005 (positions), DEC-018 (digest, SnapshotID), DEC-019 (values), DEC-020 (lines,
// install, retention and its errors), DEC-031 (tombstones).
//
// Snapshots are lazy: making one records (line, position, digest) and copies nothing, because a line
// keeps every entry (and checkpoints of its running digest) while it is current, and an abandoned line
// is immutable, so a snapshot made on it can keep reading it. Measured (bench content-index/snapshot, 2
// cores): 8 us a snapshot at 1e3 live keys and 14 us at 1e5 against 17 ms for the Map copy an eager
// snapshot needs at 1e5 keys (about 1200x). Only install materializes the state it installs (O(live
// keys), once per snapshot: the result replaces the lazy view, so the old line can be collected), which
// keeps every line's base one flat state and a lookup at most one binary search plus one read deep,
// however many installs happen.
//
// Scale (issue 15). Nothing here is a V8 Map or Array per key or per entry: keys live in an
// open-addressing table over typed arrays (key-table.ts), entries and installed states in 33-byte records
// in typed-array chunks (records.ts, line.ts), and the DEC-018 digest is folded lazily, when first asked
// for (line.ts). The one limit left is ENGINE_LIMIT (int32 ids), far past this machine's memory.
// Figures, 2 cores shared with other jobs (load 20-30), so rates are per CPU second; memory is what
// the process holds after a full GC (bench/scale-content-index.bench.ts), or RSS growth where marked:
//   keys   before (Map of hex strings, eager SHA-256)       after
//   1e6    109k puts/s, 276k lookups/s, 557 B/key (RSS)     429k puts/s, 413k lookups/s, 190 B/key (RSS), 89 held
//   1e7    116k puts/s, 270k lookups/s, 372 B/key (RSS)     451k puts/s, 246k lookups/s, 83 B/key held
//   1e8    impossible: stopped at 16,777,215 keys           369-405k puts/s, 176-274k lookups/s, 80 B/key held
// Alternatives, measured at 1e6 keys in one run against this design (CPU-second ratios):
//   - a sharded Map of Maps keyed by the hex string (the naive way past 2^24): puts 0.9-1.8x of it, but
//     lookups only 0.6-0.9x (a Map hands back a stored object; this builds the value, three BigInts),
//     and 200-217 B/key against 89: 21 GB at 1e8 keys, over the 100 B/key budget;
//   - lmdb (embedded B+tree, no fsync): this index puts 2.5-3.5x and looks up 1.1-1.3x faster, and holds
//     89 B/key in memory against lmdb's 275 B/key of file.
// Hashing (DEC-018's one SHA-256 per entry was 63 % of a put): node:crypto folds an entry in 1.3 us of
// CPU against 2.6 us for @noble/hashes, batching gains nothing with either, so the digest uses
// node:crypto and is lazy: a put hashes nothing (an eager fold would cap puts at 210-280k/s), the first
// digest after N puts costs N folds (2.3 s of CPU after 1e6 puts), and a digest at a position already
// folded is a checkpoint plus at most 7 folds (O(1): 4-17 us of CPU), and none at CURRENT or at a
// snapshot's own position.
//
// This module imports nothing of the structural index or the materialization cache (IDX-DEP-001, IDX-DEP-003).
import { AslError, engineLimit } from "../common/errors.ts";
import { toHex } from "../common/hash.ts";
import { byHexPrefix, ShardedMap } from "../common/sharded-map.ts";
import { EMPTY_DIGEST, GENESIS_ID, snapshotId } from "./digest.ts";
import { KeyTable } from "./key-table.ts";
import { FlatState, Line } from "./line.ts";
import {
  type ArtifactKey,
  type ArtifactLocation,
  checkLocation,
  checkSnapshotId,
  checkTypeTag,
  type IndexState,
  type IndexValue,
  invalidKey,
  type LogPosition,
  type SnapshotId,
  type SnapshotInfo,
  type StateRequest,
  toPosition,
} from "./types.ts";

interface SnapshotRecord {
  readonly id: SnapshotId;
  readonly position: number;
  readonly digest: Uint8Array;
  /** Serial of the line it was (last) made on: (id, P) for P > position is retained only on that line. */
  madeOn: number;
  /** Where its state is read: the line it was made on (lazy), or its materialized state after install. */
  view: Line | FlatState | undefined;
  retired: boolean;
}

/** A resolved, retained state: a line read at a position, or a materialized state. */
type View = { line: Line; position: number } | { flat: FlatState };

/** One entry of the current line, as exported for persistence and inspection. */
export interface LogEntry {
  readonly position: LogPosition;
  readonly op: "put" | "tombstone";
  readonly key: ArtifactKey;
  readonly location?: ArtifactLocation;
  readonly typeTag?: number;
}

/**
 * The most distinct keys, snapshots, and entries on one line: keyIds and entry indices are int32. At 33
 * bytes an entry and 43 a key that is about 160 GB of memory, past any machine this runs on today.
 */
export const ENGINE_LIMIT = 2 ** 31 - 1;

export class ContentIndex {
  private readonly keys = new KeyTable();
  private readonly snapshots = new ShardedMap<SnapshotId, SnapshotRecord>(byHexPrefix);
  private line: Line;
  private baseId: SnapshotId = GENESIS_ID;

  /** The most distinct keys, and snapshots, this index holds (ENGINE_LIMIT; smaller in tests of the limit). */
  private readonly limit: number;

  constructor(opts: { limit?: number } = {}) {
    this.limit = Math.min(opts.limit ?? ENGINE_LIMIT, ENGINE_LIMIT);
    const genesis = FlatState.empty();
    this.line = new Line(0, genesis, this.keys);
    this.snapshots.set(GENESIS_ID, {
      id: GENESIS_ID,
      position: 0,
      digest: EMPTY_DIGEST,
      madeOn: 0,
      view: genesis,
      retired: false,
    });
  }

  /** Appends PUT(key -> location, typeTag) at CURRENT and returns its position (IDX-CI-001, STO-LOG-003). */
  put(key: ArtifactKey, location: ArtifactLocation, typeTag?: number): LogPosition {
    if (!this.keys.load(key)) throw invalidKey(key);
    const loc = checkLocation(location);
    const tag = checkTypeTag(typeTag);
    return this.line.append(this.internLoaded(), loc, tag);
  }

  /** Appends a TOMBSTONE for key and returns its position; harmless when the key is absent (IDX-CI-007). */
  tombstone(key: ArtifactKey): LogPosition {
    if (!this.keys.load(key)) throw invalidKey(key);
    return this.line.append(this.internLoaded(), undefined, undefined);
  }

  /** The value of key at CURRENT or at a retained state, or undefined when absent (STO-CUR-001, STO-CUR-004). */
  lookup(key: ArtifactKey, at?: StateRequest): IndexValue | undefined {
    if (!this.keys.load(key)) throw invalidKey(key);
    if (at === undefined) {
      const keyId = this.keys.findLoaded();
      return keyId < 0 ? undefined : this.line.valueAt(keyId, this.line.tail);
    }
    const view = this.resolve(at);
    const keyId = this.keys.find(key);
    if (keyId < 0) return undefined;
    return "flat" in view ? view.flat.valueOf(keyId) : view.line.valueAt(keyId, view.position);
  }

  /** CURRENT = (base snapshot, tail position) (STO-CUR-002). */
  current(): IndexState {
    return { snapshot: this.baseId, position: this.line.tail };
  }

  /** Records CURRENT as a snapshot; CURRENT's base does not change (STO-SNAP-006). */
  snapshot(): IndexState {
    const position = this.line.tail;
    const digest = this.line.digestAt(position);
    const id = snapshotId(position, digest);
    const rec = this.snapshots.get(id);
    if (rec === undefined) {
      if (this.snapshots.size >= this.limit)
        throw engineLimit(`the content index holds at most ${this.limit} snapshots`);
      this.snapshots.set(id, {
        id,
        position,
        digest,
        madeOn: this.line.serial,
        view: this.line,
        retired: false,
      });
    } else {
      // The same state again (DEC-018 ids are content-derived): the existing id now also counts as made
      // on this line, and a retired one is retained again, since its state was just made anew.
      rec.madeOn = this.line.serial;
      if (rec.retired || rec.view instanceof Line) rec.view = this.line;
      rec.retired = false;
    }
    return { snapshot: id, position };
  }

  /** Makes CURRENT = (S, S.position); the next append gets S.position (STO-SNAP-007, DEC-020). */
  install(id: SnapshotId): IndexState {
    const rec = this.live(id);
    const flat = rec.view instanceof FlatState ? rec.view : rec.view!.materialize(rec.position);
    rec.view = flat;
    this.line = new Line(this.line.serial + 1, flat, this.keys);
    this.baseId = rec.id;
    return this.current();
  }

  /** Retires a snapshot: it can no longer be read or installed (DEC-020). */
  retire(id: SnapshotId): void {
    const rec = this.live(id);
    if (rec.id === this.baseId || rec.id === GENESIS_ID) {
      const what =
        rec.id === this.baseId ? "the base of CURRENT" : "the genesis snapshot, which always exists";
      throw new AslError("CI_SNAPSHOT_IN_USE", `snapshot ${id} is ${what} and cannot be retired`, {
        rule: "STO-CUR-005",
      });
    }
    rec.retired = true;
    rec.view = undefined;
  }

  /** The DEC-018 state digest at CURRENT or at a retained state (STO-DIG-001). */
  digest(at?: StateRequest): string {
    if (at === undefined) return toHex(this.line.digestAt(this.line.tail));
    const view = this.resolve(at);
    if ("flat" in view) return toHex(view.flat.digest);
    // At the snapshot's own position its recorded digest answers, with no fold (line.ts).
    const rec = this.snapshots.get(at.snapshot)!;
    return toHex(view.position === rec.position ? rec.digest : view.line.digestAt(view.position));
  }

  /** Every visible (key, value) of a state, sorted by key: O(live keys), for tests and dumps. */
  dump(at?: StateRequest): Array<[ArtifactKey, IndexValue]> {
    const view = at === undefined ? { line: this.line, position: this.line.tail } : this.resolve(at);
    const flat = "flat" in view ? view.flat : view.line.materialize(view.position);
    const out: Array<[ArtifactKey, IndexValue]> = [];
    for (const [keyId, v] of flat.entries()) out.push([toHex(this.keys.keyBytes(keyId)), v]);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** Every known snapshot (retired ones too), sorted by position then id. */
  listSnapshots(): SnapshotInfo[] {
    return [...this.snapshots.values()]
      .map((r) => ({
        id: r.id,
        position: r.position,
        digest: toHex(r.digest),
        retired: r.retired,
        onCurrentLine: !r.retired && this.onCurrentLine(r),
      }))
      .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The entries of the current line, in position order (the log prefix that CURRENT replays). */
  *lineEntries(): IterableIterator<LogEntry> {
    for (const [position, keyId, v] of this.line.entryList()) {
      const key = toHex(this.keys.keyBytes(keyId));
      if (v === undefined) yield { position, op: "tombstone", key };
      else
        yield v.typeTag === undefined
          ? { position, op: "put", key, location: v.location }
          : { position, op: "put", key, location: v.location, typeTag: v.typeTag };
    }
  }

  /** The loaded key's keyId, a new one for a new key; refuses, changing nothing, past the limits. */
  private internLoaded(): number {
    if (this.line.length >= ENGINE_LIMIT)
      throw engineLimit(`a line of the content index holds at most ${ENGINE_LIMIT} entries`);
    if (this.keys.size >= this.limit && this.keys.findLoaded() < 0)
      throw engineLimit(`the content index holds at most ${this.limit} distinct keys`);
    return this.keys.internLoaded();
  }

  private live(id: SnapshotId): SnapshotRecord {
    checkSnapshotId(id);
    const rec = this.snapshots.get(id);
    if (rec === undefined)
      throw new AslError("CI_UNKNOWN_SNAPSHOT", `no snapshot has id ${id}`, { rule: "STO-CUR-005" });
    if (rec.retired)
      throw new AslError("CI_SNAPSHOT_RETIRED", `snapshot ${id} was retired`, { rule: "STO-CUR-005" });
    return rec;
  }

  private onCurrentLine(rec: SnapshotRecord): boolean {
    return rec.madeOn === this.line.serial || rec.id === this.baseId;
  }

  /** DEC-020: which (S, P) are retained, and the one error for each case that is not (STO-CUR-005). */
  private resolve(at: StateRequest): View {
    if (typeof at !== "object" || at === null) {
      throw new AslError("CI_INVALID_ARGUMENT", "state must be {snapshot, position}", {
        rule: "STO-CUR-005",
      });
    }
    const p = toPosition(at.position);
    const rec = this.live(at.snapshot);
    if (p < rec.position) {
      throw new AslError(
        "CI_POSITION_BEFORE_SNAPSHOT",
        `position ${p} is before snapshot ${rec.id} at ${rec.position}`,
        { rule: "STO-CUR-005" },
      );
    }
    if (this.onCurrentLine(rec)) {
      if (p > this.line.tail) {
        throw new AslError(
          "CI_POSITION_BEYOND_CURRENT",
          `position ${at.position} is past CURRENT's ${this.line.tail}`,
          { rule: "STO-CUR-005" },
        );
      }
      return { line: this.line, position: p };
    }
    if (p === rec.position) {
      const v = rec.view!;
      return v instanceof FlatState ? { flat: v } : { line: v, position: p };
    }
    throw new AslError(
      "CI_STATE_NOT_RETAINED",
      `snapshot ${rec.id} was made on a line an install has since left; only position ${rec.position} is retained, not ${at.position}`,
      { rule: "STO-CUR-005" },
    );
  }
}

export { GENESIS_ID };
