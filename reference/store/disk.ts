// The embedded on-disk store: a directory that gives back exactly the same state when reopened
// (STO-REC-001), drops a torn tail without destroying a byte (STO-REC-002), keeps what a returned call
// wrote (STO-REC-003), and refuses to open when it finds damage (DEC-038). Files: disk-files.ts.
//
// What is fsync'd and when, with sync: "always" (the default):
//   - a new store: the log is written with its HEADER frame as log.tmp, fsync'd, renamed to log, and the
//     directory fsync'd; only then are blocks/ and snapshots/ made (and the directory fsync'd again).
//   - PUT: the bytes are appended to the open block and the block is fdatasync'd; then the PUT frame is
//     appended to the log and the log is fdatasync'd; then PUT returns. A crash before that leaves at most
//     unreferenced bytes at the end of a block (kept: the next PUT appends after them) and a torn frame.
//   - TOMBSTONE, INSTALL, RETIRE: the frame is appended and the log fdatasync'd before the call returns;
//     RETIRE removes the snapshot's file only after that.
//   - SNAPSHOT: <id>.snap.tmp is written and fsync'd, renamed to <id>.snap, the directory fsync'd; then
//     the SNAPSHOT frame is appended and the log fdatasync'd.
//   - A newly created file (a block) has its directory fsync'd before it is relied on.
// With sync: "batch" the per-call fdatasync of the block and the log are skipped; sync() and close()
// do them (blocks first, then the log), and a RETIRE syncs before it removes a file. A call that returned
// is then durable only after the next sync(); a power loss before it can leave log records whose block
// bytes never reached the disk, which reopen refuses (STORE_CORRUPT_BLOCK) and `store repair` rolls back.
//
// Reopen (DEC-038) inspects before it changes anything: it stats the block files, streams the log
// through a fresh content index (linear in its length, one chunk in memory at a time), checks that every
// stored PUT's bytes lie within its block file, and checks every retained snapshot's file. Damage of any
// kind is a typed error naming the file and the byte offset, and nothing is written. Only when the store
// is sound does reopen move a torn log tail into recovered/ (then cut the log), and remove leftover
// snapshot temp files (derived bytes no record needs). It never truncates or deletes a block byte.
import { constants as bufferConstants } from "node:buffer";
import * as fs from "node:fs";
import { join } from "node:path";
import { AslError, engineLimit } from "../common/errors.ts";
import type { ArtifactLocation } from "../content-index/index.ts";
import { GENESIS_ID } from "../content-index/index.ts";
import { type BlockSpace, DEFAULT_BLOCK_LIMIT, type Journal, place } from "./backend.ts";
import {
  BLOCK_FILE,
  blockFileName,
  ensureDir,
  fsyncDir,
  moveLogTailAside,
  readAt,
  SNAP_FILE,
  type StorePaths,
  snapshotFile,
  snapshotFileProblem,
  storePaths,
  writeAll,
  writeFileDurably,
  writeSnapshotFile,
} from "./disk-files.ts";
import {
  DEFAULT_CHUNK,
  encodeHeader,
  encodeRecord,
  fileSource,
  type JournalRecord,
  LogDamage,
  scanJournal,
  type TornTail,
} from "./journal-codec.ts";
import { Store, type StoreOptions } from "./store.ts";

export interface DiskStoreOptions extends StoreOptions {
  sync?: "always" | "batch";
  blockLimit?: number;
  /** Bytes per positional read while the log is scanned (tests make it small). */
  readChunk?: number;
}

/** What reopen found and did. */
export interface Recovery {
  /** Bytes of a torn log tail moved out of the log into recovered/ (0 when the log ended cleanly). */
  droppedLogBytes: number;
  /** The torn tail, and the file in recovered/ that now holds its bytes. */
  tornTail?: TornTail & { movedTo: string };
  /** Bytes after the last stored record of each block file (a PUT that did not complete): kept. */
  unreferencedBlockBytes: number;
  records: number;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

class DiskBlocks implements BlockSpace {
  private readonly readFds = new Map<bigint, number>();
  private activeFd = -1;
  private activeId = 0n;
  private activeSize = 0n;
  /** Bytes appended to the active block since its last fdatasync (sync() then has work to do). */
  private dirty = false;

  constructor(
    private readonly dir: string,
    private readonly limit: bigint,
    private readonly always: boolean,
  ) {}

  /** The block PUTs go to next and its size on disk (unreferenced bytes included: appends go after them). */
  activate(blockId: bigint, size: number): void {
    this.closeActive();
    this.activeId = blockId;
    this.activeSize = BigInt(size);
  }

  fileOf(blockId: bigint): string {
    return join(this.dir, blockFileName(blockId));
  }

  describe(blockId: bigint): string {
    return `block file ${this.fileOf(blockId)}`;
  }

  checkAppend(length: number): void {
    const { offset } = place(this.activeId, this.activeSize, BigInt(length), this.limit);
    if (offset + BigInt(length) > MAX_SAFE)
      throw engineLimit(`a block would grow past 2^53 - 1 bytes with an artifact of ${length} bytes`);
  }

  append(bytes: Uint8Array): ArtifactLocation {
    const length = BigInt(bytes.length);
    let { blockId, offset } = place(this.activeId, this.activeSize, length, this.limit);
    if (blockId !== this.activeId || this.activeFd < 0) {
      this.closeActive();
      const file = this.fileOf(blockId);
      const created = !fs.existsSync(file);
      this.activeFd = fs.openSync(file, "a+");
      if (created) fsyncDir(this.dir);
      // The bytes land at the end of the file (O_APPEND): that is the offset recorded, whatever the
      // placement assumed, so that a location always names where its bytes are.
      this.activeId = blockId;
      this.activeSize = BigInt(fs.fstatSync(this.activeFd).size);
      offset = this.activeSize;
    }
    this.dirty = true;
    writeAll(this.activeFd, bytes);
    if (this.always) this.sync();
    this.activeSize += length;
    return { blockId, offset, length };
  }

  read(loc: ArtifactLocation): Uint8Array {
    const missing = (got: number, what = "present") =>
      new AslError(
        "STORE_CORRUPT_BLOCK",
        `${this.describe(loc.blockId)}: ${got} of ${loc.length} bytes ${what} at byte offset ${loc.offset}`,
        { offset: Number(loc.offset), rule: "IDX-GET-001" },
      );
    if (loc.length === 0n) return new Uint8Array(0);
    let fd =
      loc.blockId === this.activeId && this.activeFd >= 0 ? this.activeFd : this.readFds.get(loc.blockId);
    if (fd === undefined) {
      try {
        fd = fs.openSync(this.fileOf(loc.blockId), "r");
      } catch {
        throw missing(0, "present (no such file)");
      }
      this.readFds.set(loc.blockId, fd);
    }
    // Bytes past the end of the block file are missing (DEC-021: STORE_CORRUPT_BLOCK), however large the
    // location: the engine limit below is only for bytes that are there. A file's size is below 2^53.
    const size = BigInt(fs.fstatSync(fd).size);
    if (loc.offset + loc.length > size) throw missing(loc.offset < size ? Number(size - loc.offset) : 0);
    if (loc.length > BigInt(bufferConstants.MAX_LENGTH))
      throw engineLimit(`an artifact of ${loc.length} bytes is larger than this Node.js can hold in memory`);
    const out = new Uint8Array(Number(loc.length));
    const got = readAt(fd, out, Number(loc.offset));
    if (got < out.length) throw missing(got);
    return out;
  }

  sync(): void {
    if (this.activeFd >= 0 && this.dirty) fs.fdatasyncSync(this.activeFd);
    this.dirty = false;
  }

  close(): void {
    this.closeActive();
    for (const fd of this.readFds.values()) fs.closeSync(fd);
    this.readFds.clear();
  }

  private closeActive(): void {
    if (this.activeFd < 0) return;
    this.sync(); // a block is left only once its bytes are durable (the log may name them next)
    fs.closeSync(this.activeFd);
    this.activeFd = -1;
  }
}

class DiskJournal implements Journal {
  private fd = -1;
  private dirty = false;

  constructor(
    private readonly snapDir: string,
    private readonly always: boolean,
    private readonly blocks: DiskBlocks,
  ) {}

  attach(fd: number): void {
    this.fd = fd;
  }

  append(record: JournalRecord): void {
    this.dirty = true;
    writeAll(this.fd, encodeRecord(record));
    if (this.always) this.syncLog();
  }

  /** Blocks first, then the log, so the log never names bytes that are less durable than itself. */
  sync(): void {
    this.blocks.sync();
    this.syncLog();
  }

  private syncLog(): void {
    if (this.fd >= 0 && this.dirty) fs.fdatasyncSync(this.fd);
    this.dirty = false;
  }

  snapshotMade(id: string, position: number, digest: string): void {
    writeSnapshotFile(this.snapDir, id, position, digest);
  }

  snapshotRetired(id: string): void {
    // The RETIRE frame must be durable before the file goes (with "batch" it is not yet).
    if (!this.always) this.sync();
    fs.rmSync(snapshotFile(this.snapDir, id), { force: true });
  }

  close(): void {
    try {
      this.sync();
    } finally {
      this.blocks.close();
      if (this.fd >= 0) fs.closeSync(this.fd);
      this.fd = -1;
    }
  }
}

// --- inspection: what reopen, check and repair all start from; it changes nothing on disk

export type ProblemCode = "STORE_CORRUPT_LOG" | "STORE_CORRUPT_BLOCK" | "STORE_CORRUPT_SNAPSHOT";

export interface StoreProblem {
  code: ProblemCode;
  /** The damaged file. */
  file: string;
  /** The byte offset in that file where the defect is. */
  offset: number;
  /** One line: the file, what is wrong, the offset. */
  message: string;
  rule: string;
  /** For damage a point-in-time repair resolves: the log offset from which the log is moved aside. */
  cutLogAt?: number;
}

export interface BlockReport {
  id: bigint;
  file: string;
  /** Bytes in the file (0 when it is missing). */
  size: number;
  exists: boolean;
  /** Where the last stored record that names this block ends. */
  referencedEnd: number;
}

export interface Inspection {
  paths: StorePaths;
  /** "fresh": no store here yet (no log, no blocks/, no snapshots/); reopen creates one. */
  state: "fresh" | "store";
  log: {
    exists: boolean;
    size: number;
    header: boolean;
    records: number;
    validEnd: number;
    tail?: TornTail;
  };
  blocks: BlockReport[];
  snapshotFiles: string[];
  problems: StoreProblem[];
  /** The content index replayed from the log (up to its first damage, if any). */
  store: Store;
}

export type StoredPut = Extract<JournalRecord, { kind: "put" }>;

function problemOf(e: AslError, file: string, cutLogAt?: number): StoreProblem {
  return {
    code: e.code as ProblemCode,
    file,
    offset: e.offset ?? 0,
    message: e.message,
    rule: e.rule ?? "STO-REC-001",
    ...(cutLogAt === undefined ? {} : { cutLogAt }),
  };
}

function statOf(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/**
 * Reads a store directory without changing it: the log (streamed and replayed into `store`), the
 * block files' sizes against the stored records, the retained snapshots' files. Damage is collected in
 * `problems`, in the order reopen reports it (log, then blocks, then snapshots). I/O errors other than a
 * missing file are thrown as they are.
 */
export function inspectDisk(
  dir: string,
  store: Store,
  opts: { readChunk?: number; onStoredPut?: (offset: number, r: StoredPut) => void } = {},
): Inspection {
  const paths = storePaths(dir);
  const insp: Inspection = {
    paths,
    state: "store",
    log: { exists: false, size: 0, header: false, records: 0, validEnd: 0 },
    blocks: [],
    snapshotFiles: [],
    problems: [],
    store,
  };
  const dirStat = statOf(dir);
  if (dirStat !== undefined && !dirStat.isDirectory()) throw new Error(`${dir} is not a directory`);
  const blocksDir = statOf(paths.blocks);
  const snapsDir = statOf(paths.snapshots);
  const sizes = new Map<bigint, number>();
  if (blocksDir !== undefined)
    for (const f of fs.readdirSync(paths.blocks).filter((x) => BLOCK_FILE.test(x)))
      sizes.set(BigInt(`0x${f.slice(0, 16)}`), fs.statSync(join(paths.blocks, f)).size);
  if (snapsDir !== undefined)
    insp.snapshotFiles = fs.readdirSync(paths.snapshots).filter((x) => SNAP_FILE.test(x));
  const logStat = statOf(paths.log);
  const ends = new Map<bigint, bigint>();
  const logProblems: StoreProblem[] = [];
  const blockProblems: StoreProblem[] = [];
  const snapProblems: StoreProblem[] = [];
  const finish = (): Inspection => {
    const ids = new Set([...sizes.keys(), ...ends.keys()]);
    insp.blocks = [...ids]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((id) => ({
        id,
        file: join(paths.blocks, blockFileName(id)),
        size: sizes.get(id) ?? 0,
        exists: sizes.has(id),
        referencedEnd: Number(ends.get(id) ?? 0n),
      }));
    insp.problems = [...logProblems, ...blockProblems, ...snapProblems];
    return insp;
  };

  if (logStat === undefined) {
    if (blocksDir === undefined && snapsDir === undefined) {
      insp.state = "fresh";
      return finish();
    }
    const bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
    logProblems.push({
      code: "STORE_CORRUPT_LOG",
      file: paths.log,
      offset: 0,
      message: `${paths.log}: missing at byte offset 0 (next to blocks/ and snapshots/, with ${sizes.size} block files holding ${bytes} bytes and ${insp.snapshotFiles.length} snapshot files: a store's log is made before them and never removed)`,
      rule: "STO-REC-001",
    });
    return finish();
  }
  insp.log.exists = true;
  insp.log.size = logStat.size;

  const fd = fs.openSync(paths.log, "r");
  try {
    const r = scanJournal(
      fileSource(fd, logStat.size),
      paths.log,
      (offset, rec) => {
        replayOne(store, offset, rec, paths.log);
        if (rec.kind !== "put" || !rec.stored) return;
        const { blockId, offset: at, length } = rec.location;
        const end = at + length;
        if (end > MAX_SAFE)
          throw new LogDamage(paths.log, offset, "a stored PUT whose location ends past 2^53 - 1");
        if ((ends.get(blockId) ?? -1n) < end) ends.set(blockId, end);
        const size = sizes.get(blockId) ?? 0;
        if (end > BigInt(size) && !blockProblems.some((p) => p.file.endsWith(blockFileName(blockId)))) {
          const file = join(paths.blocks, blockFileName(blockId));
          blockProblems.push({
            code: "STORE_CORRUPT_BLOCK",
            file,
            offset: size,
            message: `${file}: ${sizes.has(blockId) ? `${size} bytes long` : "missing"}, but the put record at byte offset ${offset} of ${paths.log} (position ${rec.position}) needs bytes ${at}..${end - 1n}: the bytes from byte offset ${size} are missing`,
            rule: "STO-REC-003",
            cutLogAt: offset,
          });
        }
        opts.onStoredPut?.(offset, rec);
      },
      opts.readChunk ?? DEFAULT_CHUNK,
    );
    insp.log.header = r.header;
    insp.log.records = r.records;
    insp.log.validEnd = r.validEnd;
    if (r.tail) insp.log.tail = r.tail;
    if (r.validEnd === 0) {
      logProblems.push({
        code: "STORE_CORRUPT_LOG",
        file: paths.log,
        offset: 0,
        message: `${paths.log}: ${logStat.size === 0 ? "empty" : `no complete frame in its ${logStat.size} bytes`} at byte offset 0 (a store's log begins with its header frame, written before any block or snapshot file)`,
        rule: "STO-REC-001",
      });
      return finish();
    }
  } catch (e) {
    if (!(e instanceof LogDamage)) throw e;
    logProblems.push(problemOf(e, paths.log, e.frameOffset));
    return finish(); // the snapshots of a partly replayed log say nothing
  } finally {
    fs.closeSync(fd);
  }

  for (const s of store.listSnapshots()) {
    if (s.retired || s.id === GENESIS_ID) continue;
    const p = snapshotFileProblem(paths.snapshots, s.id, s.position, s.digest);
    if (p) snapProblems.push(problemOf(p, snapshotFile(paths.snapshots, s.id)));
  }
  return finish();
}

function replayDamage(logFile: string, offset: number, r: JournalRecord, what: string): LogDamage {
  return new LogDamage(logFile, offset, `${r.kind} record ${what}`, offset, "STO-REC-001");
}

/** Drives the content index with one journal record; any disagreement is damage (STORE_CORRUPT_LOG). */
function replayOne(store: Store, offset: number, r: JournalRecord, logFile: string): void {
  const ci = store.index;
  try {
    const expected = "position" in r ? r.position : undefined;
    let got: number | undefined;
    if (r.kind === "put") {
      got = ci.put(r.key, r.location, r.typeTag);
      if (r.stored) store.noteArtifact(r.key);
    } else if (r.kind === "tombstone") {
      got = ci.tombstone(r.key);
    } else if (r.kind === "snapshot") {
      const s = ci.snapshot();
      got = s.position;
      if (s.snapshot !== r.id)
        throw replayDamage(
          logFile,
          offset,
          r,
          `names snapshot ${r.id} but the replayed state has id ${s.snapshot}`,
        );
    } else if (r.kind === "install") {
      ci.install(r.id);
    } else {
      ci.retire(r.id);
    }
    if (expected !== undefined && got !== expected)
      throw replayDamage(logFile, offset, r, `says position ${expected} but replay reached ${got}`);
  } catch (e) {
    if (e instanceof LogDamage) throw e;
    throw replayDamage(
      logFile,
      offset,
      r,
      `cannot be replayed (${e instanceof AslError ? e.describe() : String(e)})`,
    );
  }
}

/** Makes a new store: the log (with its header) first, durably, then blocks/ and snapshots/. */
function createStore(paths: StorePaths): void {
  fs.mkdirSync(paths.dir, { recursive: true });
  writeFileDurably(paths.log, paths.dir, encodeHeader());
  fs.mkdirSync(paths.blocks, { recursive: true });
  fs.mkdirSync(paths.snapshots, { recursive: true });
  fsyncDir(paths.dir);
}

/** The error reopen raises for the first problem an inspection found. */
export function problemError(p: StoreProblem): AslError {
  return new AslError(p.code, p.message, { offset: p.offset, rule: p.rule });
}

/** Words for a torn tail's kind, as used in recovered/ file names. */
export function tornName(kind: TornTail["kind"]): string {
  return kind === "zeros"
    ? "torn-tail-zeros"
    : kind === "header cut short"
      ? "torn-tail-header-cut"
      : "torn-tail-frame-cut";
}

/**
 * Opens (creating when there is no store in `dir`) an on-disk store. Damage (DEC-038) is a typed error
 * naming the file and the byte offset (STORE_CORRUPT_LOG, STORE_CORRUPT_BLOCK, STORE_CORRUPT_SNAPSHOT)
 * and leaves every file as it was; a torn log tail is moved into recovered/ and the log cut after it.
 */
export function openDiskStore(
  dir: string,
  options: DiskStoreOptions = {},
): Store & { recovery: Recovery; directory: string } {
  const always = (options.sync ?? "always") === "always";
  const paths = storePaths(dir);
  const blocks = new DiskBlocks(paths.blocks, BigInt(options.blockLimit ?? DEFAULT_BLOCK_LIMIT), always);
  const journal = new DiskJournal(paths.snapshots, always, blocks);
  const store = new Store(blocks, journal, options);
  const insp = inspectDisk(
    dir,
    store,
    options.readChunk === undefined ? {} : { readChunk: options.readChunk },
  );
  if (insp.problems.length > 0) throw problemError(insp.problems[0]!);

  let tornTail: Recovery["tornTail"];
  if (insp.state === "fresh") {
    createStore(paths);
  } else {
    ensureDir(paths.blocks, dir);
    ensureDir(paths.snapshots, dir);
    const tail = insp.log.tail;
    if (tail) {
      const movedTo = moveLogTailAside(paths, tail.offset, tornName(tail.kind));
      if (movedTo) tornTail = { ...tail, movedTo };
    }
    // Temp files of snapshot files that were never renamed: derived bytes that no record names.
    for (const f of fs.readdirSync(paths.snapshots))
      if (f.endsWith(".tmp")) fs.rmSync(join(paths.snapshots, f), { force: true });
  }

  const last = insp.blocks.at(-1);
  blocks.activate(last?.id ?? 0n, last?.size ?? 0);
  journal.attach(fs.openSync(paths.log, "a"));
  const recovery: Recovery = {
    droppedLogBytes: tornTail?.length ?? 0,
    ...(tornTail ? { tornTail } : {}),
    unreferencedBlockBytes: insp.blocks.reduce((a, b) => a + Math.max(0, b.size - b.referencedEnd), 0),
    records: insp.log.records,
  };
  return Object.assign(store, { recovery, directory: dir });
}
