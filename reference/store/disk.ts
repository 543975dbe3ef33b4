// The embedded on-disk store: a directory that gives back exactly the same state when reopened
// (STO-REC-001), drops a torn tail (STO-REC-002), and keeps what a returned call wrote (STO-REC-003).
//
//   <dir>/log                        the journal (journal-codec.ts): every mutation, framed and checksummed
//   <dir>/blocks/<16 hex>.blk        append-only artifact bytes, named by block id
//   <dir>/snapshots/<64 hex>.snap    one per retained snapshot: magic "ASLSNAP1", position u64 LE,
//                                    digest 32, id 32, XXH64 (seed 0) of the 80 bytes before it
//
// What is fsync'd and when, with sync: "always" (the default):
//   - PUT: the bytes are appended to the open block and the block is fdatasync'd; then the PUT frame is
//     appended to the log and the log is fdatasync'd; then PUT returns. A crash before that leaves at most
//     unreferenced block bytes (cut off on reopen) and a torn frame (dropped on reopen).
//   - TOMBSTONE, INSTALL, RETIRE: the frame is appended and the log fdatasync'd before the call returns.
//   - SNAPSHOT: <id>.snap.tmp is written and fsync'd, renamed to <id>.snap, the directory fsync'd; then
//     the SNAPSHOT frame is appended and the log fdatasync'd.
//   - A newly created file (the log, a block) has its directory fsync'd before it is relied on.
// With sync: "batch" the per-call fdatasync of the block and the log are skipped; sync() and close()
// do them (blocks first, then the log). A call that returned is then durable only after the next sync().
//
// Reopen replays the journal through a fresh content index (linear in its length), checks each record's
// position and snapshot id against what the replay gives, and checks every retained snapshot's file.
import * as fs from "node:fs";
import { join } from "node:path";
import { AslError } from "../common/errors.ts";
import { fromHex, toHex, xxh64 } from "../common/hash.ts";
import type { ArtifactLocation } from "../content-index/index.ts";
import { GENESIS_ID, snapshotId } from "../content-index/index.ts";
import { type BlockSpace, DEFAULT_BLOCK_LIMIT, type Journal, place } from "./backend.ts";
import { encodeRecord, type JournalRecord, scanJournal } from "./journal-codec.ts";
import { Store, type StoreOptions } from "./store.ts";

export interface DiskStoreOptions extends StoreOptions {
  sync?: "always" | "batch";
  blockLimit?: number;
}

/** What reopen found and repaired. */
export interface Recovery {
  /** Bytes of a torn log tail that were dropped (0 when the log ended cleanly). */
  droppedLogBytes: number;
  /** Unreferenced bytes cut from the end of the last block. */
  droppedBlockBytes: number;
  records: number;
}

const SNAP_MAGIC = new TextEncoder().encode("ASLSNAP1");
const SNAP_SIZE = 88;

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

class DiskBlocks implements BlockSpace {
  private readonly readFds = new Map<bigint, number>();
  private activeFd = -1;

  constructor(
    private readonly dir: string,
    private readonly limit: bigint,
    private readonly always: boolean,
    private activeId: bigint,
    private activeSize: bigint,
  ) {}

  fileOf(blockId: bigint): string {
    return join(this.dir, `${blockId.toString(16).padStart(16, "0")}.blk`);
  }

  describe(blockId: bigint): string {
    return `block file ${this.fileOf(blockId)}`;
  }

  append(bytes: Uint8Array): ArtifactLocation {
    const { blockId, offset } = place(this.activeId, this.activeSize, BigInt(bytes.length), this.limit);
    if (blockId !== this.activeId || this.activeFd < 0) {
      this.closeActive();
      const created = !fs.existsSync(this.fileOf(blockId));
      this.activeFd = fs.openSync(this.fileOf(blockId), "a+");
      if (created) fsyncDir(this.dir);
      this.activeId = blockId;
      this.activeSize = offset;
    }
    fs.writeSync(this.activeFd, bytes);
    if (this.always) fs.fdatasyncSync(this.activeFd);
    this.activeSize += BigInt(bytes.length);
    return { blockId, offset, length: BigInt(bytes.length) };
  }

  read(loc: ArtifactLocation): Uint8Array {
    const missing = (got: number) =>
      new AslError(
        "STORE_CORRUPT_BLOCK",
        `${this.describe(loc.blockId)}: ${got} of ${loc.length} bytes present at byte offset ${loc.offset}`,
        {
          offset: Number(loc.offset),
          rule: "IDX-GET-001",
        },
      );
    let fd =
      loc.blockId === this.activeId && this.activeFd >= 0 ? this.activeFd : this.readFds.get(loc.blockId);
    if (fd === undefined) {
      try {
        fd = fs.openSync(this.fileOf(loc.blockId), "r");
      } catch {
        throw missing(0);
      }
      this.readFds.set(loc.blockId, fd);
    }
    if (loc.length > 0x7fff_ffffn) throw missing(0);
    const out = new Uint8Array(Number(loc.length));
    let got = 0;
    while (got < out.length) {
      const n = fs.readSync(fd, out, got, out.length - got, Number(loc.offset) + got);
      if (n === 0) throw missing(got);
      got += n;
    }
    return out;
  }

  sync(): void {
    if (this.activeFd >= 0) fs.fdatasyncSync(this.activeFd);
  }

  close(): void {
    this.closeActive();
    for (const fd of this.readFds.values()) fs.closeSync(fd);
    this.readFds.clear();
  }

  private closeActive(): void {
    if (this.activeFd < 0) return;
    fs.closeSync(this.activeFd);
    this.activeFd = -1;
  }
}

class DiskJournal implements Journal {
  constructor(
    private readonly fd: number,
    private readonly snapDir: string,
    private readonly always: boolean,
    private readonly blocks: DiskBlocks,
  ) {}

  append(record: JournalRecord): void {
    fs.writeSync(this.fd, encodeRecord(record));
    if (this.always) fs.fdatasyncSync(this.fd);
  }

  sync(): void {
    this.blocks.sync();
    fs.fdatasyncSync(this.fd);
  }

  snapshotMade(id: string, position: number, digest: string): void {
    const file = join(this.snapDir, `${id}.snap`);
    if (fs.existsSync(file)) return;
    const buf = new Uint8Array(SNAP_SIZE);
    const v = new DataView(buf.buffer);
    buf.set(SNAP_MAGIC, 0);
    v.setBigUint64(8, BigInt(position), true);
    buf.set(fromHex(digest)!, 16);
    buf.set(fromHex(id)!, 48);
    v.setBigUint64(80, xxh64([buf.subarray(0, 80)]), true);
    const tmp = `${file}.tmp`;
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, buf);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    fsyncDir(this.snapDir);
  }

  snapshotRetired(id: string): void {
    fs.rmSync(join(this.snapDir, `${id}.snap`), { force: true });
  }

  close(): void {
    this.sync();
    this.blocks.close();
    fs.closeSync(this.fd);
  }
}

/** Checks a retained snapshot's file against the state the journal replay reached (STORE_CORRUPT_SNAPSHOT). */
function checkSnapshotFile(snapDir: string, id: string, position: number, digest: string): void {
  const file = join(snapDir, `${id}.snap`);
  const fail = (offset: number, what: string) =>
    new AslError("STORE_CORRUPT_SNAPSHOT", `snapshot file ${file}: ${what} at byte offset ${offset}`, {
      offset,
      rule: "STO-REC-001",
    });
  let buf: Uint8Array;
  try {
    buf = fs.readFileSync(file);
  } catch {
    throw fail(0, "missing for a retained snapshot");
  }
  if (buf.length !== SNAP_SIZE)
    throw fail(Math.min(buf.length, SNAP_SIZE), `size ${buf.length}, expected ${SNAP_SIZE}`);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (!SNAP_MAGIC.every((b, i) => buf[i] === b)) throw fail(0, "bad magic");
  if (xxh64([buf.subarray(0, 80)]) !== v.getBigUint64(80, true)) throw fail(80, "checksum mismatch");
  const filePos = v.getBigUint64(8, true);
  const fileDigest = toHex(buf.subarray(16, 48));
  if (toHex(buf.subarray(48, 80)) !== id) throw fail(48, "id differs from the file name");
  if (filePos !== BigInt(position)) throw fail(8, `position ${filePos}, the log says ${position}`);
  if (fileDigest !== digest) throw fail(16, "digest differs from the state the log replays to");
  if (snapshotId(position, buf.subarray(16, 48)) !== id)
    throw fail(48, "id is not SHA-256 of its position and digest");
}

/** Opens (creating when absent) an on-disk store in `dir`. */
export function openDiskStore(
  dir: string,
  options: DiskStoreOptions = {},
): Store & { recovery: Recovery; directory: string } {
  const always = (options.sync ?? "always") === "always";
  const blockDir = join(dir, "blocks");
  const snapDir = join(dir, "snapshots");
  const logFile = join(dir, "log");
  for (const d of [dir, blockDir, snapDir]) fs.mkdirSync(d, { recursive: true });
  for (const f of fs.readdirSync(snapDir)) if (f.endsWith(".tmp")) fs.rmSync(join(snapDir, f));
  if (!fs.existsSync(logFile)) {
    fs.closeSync(fs.openSync(logFile, "a"));
    fsyncDir(dir);
  }

  const bytes = fs.readFileSync(logFile);
  const { records, validEnd } = scanJournal(bytes, logFile);
  if (validEnd < bytes.length) {
    fs.truncateSync(logFile, validEnd);
    const fd = fs.openSync(logFile, "r+");
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }

  // The block ends every stored record refers to, so that an unreferenced tail of the last block is cut
  // off. A content-index PUT (stored: false) names a location this store never wrote: it says nothing
  // about where the blocks end.
  const blockEnds = new Map<bigint, bigint>();
  for (const { record } of records) {
    if (record.kind !== "put" || !record.stored) continue;
    const end = record.location.offset + record.location.length;
    if ((blockEnds.get(record.location.blockId) ?? -1n) < end) blockEnds.set(record.location.blockId, end);
  }
  const onDisk = fs
    .readdirSync(blockDir)
    .filter((f) => /^[0-9a-f]{16}\.blk$/.test(f))
    .map((f) => BigInt(`0x${f.slice(0, 16)}`));
  const activeId = [...onDisk, ...blockEnds.keys()].reduce((a, b) => (b > a ? b : a), 0n);
  // (onDisk lists only block files that exist, so an index-only location cannot make a block active.)
  const activeEnd = blockEnds.get(activeId) ?? 0n;
  const limit = BigInt(options.blockLimit ?? DEFAULT_BLOCK_LIMIT);
  const blocks = new DiskBlocks(blockDir, limit, always, activeId, activeEnd);
  let droppedBlockBytes = 0;
  const activeFile = blocks.fileOf(activeId);
  if (fs.existsSync(activeFile) && BigInt(fs.statSync(activeFile).size) > activeEnd) {
    droppedBlockBytes = fs.statSync(activeFile).size - Number(activeEnd);
    fs.truncateSync(activeFile, Number(activeEnd));
  }

  const journal = new DiskJournal(fs.openSync(logFile, "a"), snapDir, always, blocks);
  const store = new Store(blocks, journal, options);
  replay(store, records, logFile);
  for (const s of store.listSnapshots()) {
    if (!s.retired && s.id !== GENESIS_ID) checkSnapshotFile(snapDir, s.id, s.position, s.digest);
  }
  const recovery: Recovery = {
    droppedLogBytes: bytes.length - validEnd,
    droppedBlockBytes,
    records: records.length,
  };
  return Object.assign(store, { recovery, directory: dir });
}

/** Drives a fresh store's content index with the journal; any disagreement is damage (STORE_CORRUPT_LOG). */
function replay(store: Store, records: ReturnType<typeof scanJournal>["records"], logFile: string): void {
  const ci = store.index;
  for (const { offset, record: r } of records) {
    const fail = (what: string) =>
      new AslError("STORE_CORRUPT_LOG", `${logFile}: ${r.kind} record ${what} at byte offset ${offset}`, {
        offset,
        rule: "STO-REC-001",
      });
    try {
      const expected = "position" in r ? r.position : undefined;
      let got: number | undefined;
      let gotId: string | undefined;
      if (r.kind === "put") {
        got = ci.put(r.key, r.location, r.typeTag);
        if (r.stored) store.noteArtifact(r.key);
      } else if (r.kind === "tombstone") {
        got = ci.tombstone(r.key);
      } else if (r.kind === "snapshot") {
        const s = ci.snapshot();
        got = s.position;
        gotId = s.snapshot;
        if (gotId !== r.id) throw fail(`names snapshot ${r.id} but the replayed state has id ${gotId}`);
      } else if (r.kind === "install") {
        ci.install(r.id);
      } else {
        ci.retire(r.id);
      }
      if (expected !== undefined && got !== expected)
        throw fail(`says position ${expected} but replay reached ${got}`);
    } catch (e) {
      if (e instanceof AslError && e.code === "STORE_CORRUPT_LOG") throw e;
      throw fail(`cannot be replayed (${e instanceof AslError ? e.describe() : String(e)})`);
    }
  }
}
