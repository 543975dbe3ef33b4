// The files of an on-disk store and the careful ways they are written (DEC-038): paths, directory
// fsync, whole writes, the snapshot file format, and moving bytes aside into recovered/ before anything
// is cut, so that recovery and repair never destroy a byte.
//
//   <dir>/log                        the journal (journal-codec.ts)
//   <dir>/blocks/<16 hex>.blk        append-only artifact bytes, named by block id
//   <dir>/snapshots/<64 hex>.snap    one per retained snapshot: magic "ASLSNAP1", position u64 LE,
//                                    digest 32, id 32, XXH64 (seed 0) of the 80 bytes before it
//   <dir>/recovered/                 bytes moved out of the log or snapshots/ by reopen or repair, each
//                                    file named for what it is and where it came from
import * as fs from "node:fs";
import { join } from "node:path";
import { AslError } from "../common/errors.ts";
import { fromHex, toHex, xxh64 } from "../common/hash.ts";
import { snapshotId } from "../content-index/index.ts";
import { allZero } from "./journal-codec.ts";

export interface StorePaths {
  dir: string;
  log: string;
  blocks: string;
  snapshots: string;
  recovered: string;
}

export function storePaths(dir: string): StorePaths {
  return {
    dir,
    log: join(dir, "log"),
    blocks: join(dir, "blocks"),
    snapshots: join(dir, "snapshots"),
    recovered: join(dir, "recovered"),
  };
}

export const BLOCK_FILE = /^[0-9a-f]{16}\.blk$/;
export const SNAP_FILE = /^[0-9a-f]{64}\.snap$/;

export function blockFileName(blockId: bigint): string {
  return `${blockId.toString(16).padStart(16, "0")}.blk`;
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Creates a directory when absent; a new directory's parent is fsync'd so the name is durable. */
export function ensureDir(dir: string, parent: string): void {
  if (fs.existsSync(dir)) return;
  fs.mkdirSync(dir);
  fsyncDir(parent);
}

/** Writes every byte (a single write may write fewer, and one call takes at most about 2 GiB). */
export function writeAll(fd: number, bytes: Uint8Array, position?: number): void {
  const step = 1 << 30;
  let done = 0;
  while (done < bytes.length) {
    const n = fs.writeSync(
      fd,
      bytes,
      done,
      Math.min(step, bytes.length - done),
      position === undefined ? null : position + done,
    );
    done += n;
  }
}

/** Reads exactly into.length bytes from `at`; returns how many were there before the end of the file. */
export function readAt(fd: number, into: Uint8Array, at: number): number {
  const step = 1 << 30;
  let got = 0;
  while (got < into.length) {
    const n = fs.readSync(fd, into, got, Math.min(step, into.length - got), at + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** Writes a file whole and durably: temp file, fsync, rename, directory fsync. */
export function writeFileDurably(file: string, dir: string, bytes: Uint8Array): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    writeAll(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(dir);
}

// --- snapshot files

const SNAP_MAGIC = new TextEncoder().encode("ASLSNAP1");
export const SNAP_SIZE = 88;

export function encodeSnapshotFile(id: string, position: number, digest: string): Uint8Array {
  const buf = new Uint8Array(SNAP_SIZE);
  const v = new DataView(buf.buffer);
  buf.set(SNAP_MAGIC, 0);
  v.setBigUint64(8, BigInt(position), true);
  buf.set(fromHex(digest)!, 16);
  buf.set(fromHex(id)!, 48);
  v.setBigUint64(80, xxh64([buf.subarray(0, 80)]), true);
  return buf;
}

export function snapshotFile(snapDir: string, id: string): string {
  return join(snapDir, `${id}.snap`);
}

/** Writes a snapshot's file unless an identical one is there (temp file, fsync, rename, directory fsync). */
export function writeSnapshotFile(snapDir: string, id: string, position: number, digest: string): void {
  const file = snapshotFile(snapDir, id);
  const want = encodeSnapshotFile(id, position, digest);
  try {
    const have = fs.readFileSync(file);
    if (Buffer.from(want).equals(have)) return;
  } catch {}
  writeFileDurably(file, snapDir, want);
}

/** What is wrong with a retained snapshot's file, given the state the journal replays to (or nothing). */
export function snapshotFileProblem(
  snapDir: string,
  id: string,
  position: number,
  digest: string,
): AslError | undefined {
  const file = snapshotFile(snapDir, id);
  const fail = (offset: number, what: string) =>
    new AslError("STORE_CORRUPT_SNAPSHOT", `snapshot file ${file}: ${what} at byte offset ${offset}`, {
      offset,
      rule: "STO-REC-001",
    });
  let buf: Uint8Array;
  try {
    buf = fs.readFileSync(file); // 88 bytes when sound; a larger file is read only to say so
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return fail(0, "missing for a retained snapshot");
    throw e;
  }
  if (buf.length !== SNAP_SIZE)
    return fail(Math.min(buf.length, SNAP_SIZE), `size ${buf.length}, expected ${SNAP_SIZE}`);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (!SNAP_MAGIC.every((b, i) => buf[i] === b)) return fail(0, "bad magic");
  if (xxh64([buf.subarray(0, 80)]) !== v.getBigUint64(80, true)) return fail(80, "checksum mismatch");
  const filePos = v.getBigUint64(8, true);
  const fileDigest = toHex(buf.subarray(16, 48));
  if (toHex(buf.subarray(48, 80)) !== id) return fail(48, "id differs from the file name");
  if (filePos !== BigInt(position)) return fail(8, `position ${filePos}, the log says ${position}`);
  if (fileDigest !== digest) return fail(16, "digest differs from the state the log replays to");
  if (snapshotId(position, buf.subarray(16, 48)) !== id)
    return fail(48, "id is not SHA-256 of its position and digest");
  return undefined;
}

// --- recovered/

/**
 * Copies bytes [from, to) of an open file into recovered/<name> durably (temp file, fsync, rename,
 * directory fsync) and returns the file's path. Runs of zeros are left as holes, so a long zero tail
 * costs no disk space. When recovered/<name> already holds exactly these bytes (a move that a crash
 * interrupted after the copy) it is reused; when it holds other bytes a suffix keeps both.
 */
export function copyToRecovered(
  paths: StorePaths,
  fd: number,
  from: number,
  to: number,
  name: string,
): string {
  ensureDir(paths.recovered, paths.dir);
  const length = to - from;
  let target = join(paths.recovered, name);
  for (let n = 2; fs.existsSync(target); n++) {
    if (sameBytes(fd, from, length, target)) return target;
    target = join(paths.recovered, `${name}-${n}`);
  }
  const tmp = `${target}.tmp`;
  const out = fs.openSync(tmp, "w");
  try {
    const buf = new Uint8Array(Math.min(length, 4 * 1024 * 1024));
    for (let o = 0; o < length; ) {
      const n = Math.min(buf.length, length - o);
      const part = buf.subarray(0, n);
      if (readAt(fd, part, from + o) !== n)
        throw new Error(`the file shrank while its bytes were moved aside`);
      if (!allZero(part)) writeAll(out, part, o);
      o += n;
    }
    fs.ftruncateSync(out, length);
    fs.fsyncSync(out);
  } finally {
    fs.closeSync(out);
  }
  fs.renameSync(tmp, target);
  fsyncDir(paths.recovered);
  return target;
}

function sameBytes(fd: number, from: number, length: number, file: string): boolean {
  const st = fs.statSync(file);
  if (st.size !== length) return false;
  const other = fs.openSync(file, "r");
  try {
    const a = new Uint8Array(Math.min(length, 4 * 1024 * 1024));
    const b = new Uint8Array(a.length);
    for (let o = 0; o < length; ) {
      const n = Math.min(a.length, length - o);
      readAt(fd, a.subarray(0, n), from + o);
      readAt(other, b.subarray(0, n), o);
      if (!Buffer.from(a.buffer, 0, n).equals(Buffer.from(b.buffer, 0, n))) return false;
      o += n;
    }
    return true;
  } finally {
    fs.closeSync(other);
  }
}

/**
 * Moves the log's bytes from `from` to its end into recovered/ and only then cuts the log there
 * (ftruncate + fsync). Returns the recovered file, or undefined when there was nothing after `from`.
 */
export function moveLogTailAside(paths: StorePaths, from: number, what: string): string | undefined {
  const fd = fs.openSync(paths.log, "r+");
  try {
    const size = fs.fstatSync(fd).size;
    if (from >= size) return undefined;
    const target = copyToRecovered(
      paths,
      fd,
      from,
      size,
      `log-${what}-from-byte-${from}-${size - from}-bytes`,
    );
    fs.ftruncateSync(fd, from);
    fs.fsyncSync(fd);
    return target;
  } finally {
    fs.closeSync(fd);
  }
}

/** Moves a whole file into recovered/ (copy, then remove the original, then fsync its directory). */
export function moveFileAside(paths: StorePaths, file: string, dir: string, name: string): string {
  const fd = fs.openSync(file, "r");
  let target: string;
  try {
    target = copyToRecovered(paths, fd, 0, fs.fstatSync(fd).size, name);
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(file);
  fsyncDir(dir);
  return target;
}
