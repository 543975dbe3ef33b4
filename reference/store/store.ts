// The store: PUT and GET over the content index (ASL/INDEXES/1 2.1 and 4, ASL-STORE-INDEX).
// Rules: IDX-PUT-001/002 (DEC-021: PUT appends only when the key is not visible at CURRENT), IDX-GET-001
// (GET reads the content index and the blocks, nothing else), IDX-GET-002 (DEC-030: STORE_NOT_FOUND),
// IDX-CI-008 and IDX-MC-002/004 (structure and cache never change visibility: PUT decides by the content
// index alone), ATXI-INV-001 (DEC-015 artifact_id and STORE_ARTIFACT_ID_COLLISION).
// Every stored byte is checked against its key when read: a damaged block is STORE_CORRUPT_BLOCK, never
// a wrong answer.
import { AslError } from "../common/errors.ts";
import { sha256, toHex } from "../common/hash.ts";
import {
  type ArtifactKey,
  type ArtifactLocation,
  ContentIndex,
  checkKey,
  checkLocation,
  checkTypeTag,
  type IndexState,
  type IndexValue,
  type LogPosition,
  type SnapshotId,
  type SnapshotInfo,
  type StateRequest,
} from "../content-index/index.ts";
import { MaterializationCache } from "../materialization-cache/index.ts";
import { type DagNode, type Sid, StructuralIndex } from "../structural-index/index.ts";
import { ArtifactIds } from "./artifact-ids.ts";
import type { BlockSpace, Journal } from "./backend.ts";

export interface PutResult {
  readonly key: ArtifactKey;
  readonly location: ArtifactLocation;
  /** False when the key was already visible at CURRENT and nothing was appended (DEC-021). */
  readonly created: boolean;
  /**
   * CURRENT's position when the PUT began: the new entry's position when created, and CURRENT's
   * unchanged position when not (see the report: one meaning for both cases, a function of the state).
   */
  readonly position: LogPosition;
  /** The SID the structure registered as, when one was given. */
  readonly sid?: Sid;
}

export interface StoreOptions {
  /** DEC-015 artifact_id; tests replace it to force a collision. Default: first 8 bytes of the key, big-endian. */
  artifactIdOf?: (key: ArtifactKey) => bigint;
}

export class Store {
  readonly index = new ContentIndex();
  readonly structure = new StructuralIndex();
  readonly cache = new MaterializationCache();
  /** DEC-015 artifact_id -> the key holding it (past 2^24 keys, about 50 bytes each: artifact-ids.ts). */
  private readonly artifactIds = new ArtifactIds();
  private readonly artifactIdOf: (key: ArtifactKey) => bigint;
  private broken: unknown;

  constructor(
    private readonly blocks: BlockSpace,
    private readonly journal: Journal,
    options: StoreOptions = {},
  ) {
    // The first 16 hex digits of the key are its first 8 bytes big-endian (first8BigEndian of the bytes),
    // read without decoding all 32 bytes: fromHex of the whole key was the top entry of a reopen profile.
    this.artifactIdOf = options.artifactIdOf ?? ((key) => BigInt(`0x${key.slice(0, 16)}`));
  }

  /** PUT per DEC-021; the structure, when given, is registered and cached but decides nothing (IDX-PUT-002). */
  put(bytes: Uint8Array, typeTag?: number, structure?: DagNode): PutResult {
    this.usable();
    if (!(bytes instanceof Uint8Array))
      throw new AslError("CI_INVALID_ARGUMENT", "bytes must be a Uint8Array", { field: "bytes" });
    const tag = checkTypeTag(typeTag);
    if (structure !== undefined) this.structure.check(structure); // refuse before anything is written
    const key = toHex(sha256(bytes));
    const artifactId = this.noCollision(key);
    const before = this.index.current().position;
    const visible = this.index.lookup(key);
    let location: ArtifactLocation;
    if (visible !== undefined) {
      location = visible.location;
    } else {
      this.blocks.checkAppend?.(bytes.length); // an engine limit refuses before anything is written
      location = this.mutate(() => {
        const loc = this.blocks.append(bytes);
        this.journal.append({
          kind: "put",
          position: before,
          key,
          location: loc,
          typeTag: tag,
          stored: true,
        });
        this.index.put(key, loc, tag);
        return loc;
      });
      this.artifactIds.set(artifactId, key);
    }
    const result: PutResult = { key, location, created: visible === undefined, position: before };
    if (structure === undefined) return result;
    const sid = this.structure.register(structure);
    this.cache.record(sid, key);
    return { ...result, sid };
  }

  /** The bytes of key at CURRENT or at a retained state; consults the content index only (IDX-GET-001). */
  get(key: ArtifactKey, at?: StateRequest): Uint8Array {
    this.usable();
    const value = this.index.lookup(key, at);
    if (value === undefined) {
      throw new AslError(
        "STORE_NOT_FOUND",
        `key ${key} is not visible at ${at === undefined ? "CURRENT" : `(${at.snapshot}, ${at.position})`}`,
        {
          rule: "IDX-GET-002",
        },
      );
    }
    return this.read(key, value);
  }

  /**
   * A content-index PUT with a location the caller gives (the content-index capability on its own): it is
   * journaled like any PUT, but no bytes are stored here, so GET of the key reads whatever that location
   * holds and reports STORE_CORRUPT_BLOCK when it is not the key's bytes.
   */
  indexPut(key: ArtifactKey, location: ArtifactLocation, typeTag?: number): LogPosition {
    this.usable();
    checkKey(key);
    const loc = checkLocation(location);
    const tag = checkTypeTag(typeTag);
    return this.mutate(() => {
      this.journal.append({
        kind: "put",
        position: this.index.current().position,
        key,
        location: loc,
        typeTag: tag,
        stored: false,
      });
      return this.index.put(key, loc, tag);
    });
  }

  tombstone(key: ArtifactKey): LogPosition {
    this.usable();
    checkKey(key);
    return this.mutate(() => {
      this.journal.append({ kind: "tombstone", position: this.index.current().position, key });
      return this.index.tombstone(key);
    });
  }

  lookup(key: ArtifactKey, at?: StateRequest): IndexValue | undefined {
    return this.index.lookup(key, at);
  }

  current(): IndexState {
    return this.index.current();
  }

  snapshot(): IndexState {
    this.usable();
    const s = this.index.snapshot();
    this.mutate(() => {
      this.journal.snapshotMade(s.snapshot, s.position, this.index.digest());
      this.journal.append({ kind: "snapshot", position: s.position, id: s.snapshot });
    });
    return s;
  }

  install(id: SnapshotId): IndexState {
    this.usable();
    const s = this.index.install(id);
    this.mutate(() => this.journal.append({ kind: "install", id }));
    return s;
  }

  retire(id: SnapshotId): void {
    this.usable();
    this.index.retire(id);
    this.mutate(() => {
      this.journal.append({ kind: "retire", id });
      this.journal.snapshotRetired(id);
    });
  }

  digest(at?: StateRequest): string {
    return this.index.digest(at);
  }

  listSnapshots(): SnapshotInfo[] {
    return this.index.listSnapshots();
  }

  /** DEC-015: the 64-bit artifact_id the store issues for a key it holds. */
  artifactId(key: ArtifactKey): bigint {
    return this.artifactIdOf(checkKey(key));
  }

  /** GET with the signature the materialization cache's recompute takes. */
  readonly readBytes = (key: ArtifactKey, at?: StateRequest): Uint8Array => this.get(key, at);

  /** Recomputes the materialization cache from the structural index and the content index (IDX-MC-003). */
  recomputeCache(at?: StateRequest): Array<[Sid, ArtifactKey]> {
    // DEC-028: the state is checked first, so an unknown or retired snapshot is refused even when no
    // node would look anything up.
    if (at !== undefined) this.index.digest(at);
    return this.cache.recompute(this.structure, this.index, this.readBytes, at);
  }

  sync(): void {
    this.journal.sync();
  }

  close(): void {
    this.journal.close();
    this.broken ??= new Error("closed");
  }

  /** Replaces the structural index by one rebuilt from a DAG (IDX-SI-003); the cache is left as it is. */
  replaceStructure(index: StructuralIndex): void {
    (this as { structure: StructuralIndex }).structure = index;
  }

  /** Used by a backend replaying its journal: records the artifact_id of a key it holds. */
  noteArtifact(key: ArtifactKey): void {
    this.artifactIds.set(this.noCollision(key), key);
  }

  /** The key's artifact_id, unless another key already holds it (STORE_ARTIFACT_ID_COLLISION). */
  private noCollision(key: ArtifactKey): bigint {
    const id = this.artifactIdOf(key);
    const other = this.artifactIds.get(id);
    if (other !== undefined && other !== key) {
      throw new AslError(
        "STORE_ARTIFACT_ID_COLLISION",
        `keys ${other} and ${key} would both get artifact_id ${id}`,
        { rule: "ATXI-INV-001" },
      );
    }
    return id;
  }

  private read(key: ArtifactKey, value: IndexValue): Uint8Array {
    const bytes = this.blocks.read(value.location);
    if (toHex(sha256(bytes)) !== key) {
      const { blockId, offset } = value.location;
      throw new AslError(
        "STORE_CORRUPT_BLOCK",
        `${this.blocks.describe(blockId)}: the ${bytes.length} bytes at byte offset ${offset} do not hash to key ${key}`,
        { offset: Number(offset), rule: "IDX-GET-001" },
      );
    }
    return bytes;
  }

  /** A failed write leaves memory and the backend out of step: the store refuses work until reopened. */
  private mutate<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      this.broken = e;
      throw e;
    }
  }

  private usable(): void {
    if (this.broken !== undefined) {
      throw new AslError(
        "INTERNAL",
        `the store is closed or a write failed (${String(this.broken)}); reopen it`,
      );
    }
  }
}
