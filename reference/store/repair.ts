// `store check` and `store repair` as engine functions (DEC-038): check reads a store directory and
// reports its state and every problem with the file and byte offset, changing nothing; repair does what
// DEC-038 allows and nothing more, never destroying a byte: whatever it takes out of the log or
// snapshots/ is first copied into recovered/, and block files are never touched.
import * as fs from "node:fs";
import { join } from "node:path";
import { AslError } from "../common/errors.ts";
import { sha256, toHex } from "../common/hash.ts";
import { GENESIS_ID } from "../content-index/index.ts";
import type { BlockSpace, Journal } from "./backend.ts";
import { inspectDisk, openDiskStore, type StoredPut, type StoreProblem, tornName } from "./disk.ts";
import {
  ensureDir,
  moveFileAside,
  moveLogTailAside,
  readAt,
  snapshotFile,
  storePaths,
  writeFileDurably,
  writeSnapshotFile,
} from "./disk-files.ts";
import { encodeHeader, type TornTail } from "./journal-codec.ts";
import { Store } from "./store.ts";

export interface StoreCheck {
  dir: string;
  /** healthy: reopen succeeds and every stored artifact reads back; damaged: problems; unreadable: see reason. */
  status: "healthy" | "damaged" | "unreadable";
  reason?: string;
  log?: {
    file: string;
    size: number;
    header: boolean;
    records: number;
    validEnd: number;
    tornTail?: TornTail;
  };
  /** CURRENT as the log replays (up to its first damage, if any). */
  current?: { position: number; snapshot: string };
  snapshots: Array<{ id: string; position: number; retired: boolean; file?: string }>;
  blocks: Array<{
    file: string;
    size: number;
    exists: boolean;
    referencedEnd: number;
    unreferencedBytes: number;
  }>;
  /** Stored artifacts read back and hashed (0 with verifyArtifacts: false). */
  artifactsVerified: number;
  problems: StoreProblem[];
  /** What is not damage but worth knowing (a torn tail reopen will move aside, unreferenced bytes...). */
  notes: string[];
}

const refuse = (): never => {
  throw new AslError("INTERNAL", "an inspection store does not write");
};
const NO_BLOCKS: BlockSpace = { append: refuse, read: refuse, describe: (id) => `block ${id}` };
const NO_JOURNAL: Journal = {
  append: refuse,
  sync: () => {},
  snapshotMade: refuse,
  snapshotRetired: refuse,
  close: () => {},
};

/** Reads a store and reports its state; changes nothing. verifyArtifacts (default true) hashes every stored artifact. */
export function checkStore(dir: string, opts: { verifyArtifacts?: boolean } = {}): StoreCheck {
  const result: StoreCheck = {
    dir,
    status: "unreadable",
    snapshots: [],
    blocks: [],
    artifactsVerified: 0,
    problems: [],
    notes: [],
  };
  try {
    if (!fs.existsSync(dir)) return { ...result, reason: `${dir}: no such directory` };
    const store = new Store(NO_BLOCKS, NO_JOURNAL);
    const puts: Array<{ offset: number; r: StoredPut }> = [];
    const verify = opts.verifyArtifacts ?? true;
    const insp = inspectDisk(
      dir,
      store,
      verify ? { onStoredPut: (offset, r) => puts.push({ offset, r }) } : {},
    );
    if (insp.state === "fresh")
      return { ...result, reason: `${dir}: no store here (no log, blocks/ or snapshots/)` };
    const { paths } = insp;
    result.log = {
      file: paths.log,
      size: insp.log.size,
      header: insp.log.header,
      records: insp.log.records,
      validEnd: insp.log.validEnd,
      ...(insp.log.tail ? { tornTail: insp.log.tail } : {}),
    };
    const cur = store.current();
    result.current = { position: cur.position, snapshot: cur.snapshot };
    result.snapshots = store.listSnapshots().map((s) => ({
      id: s.id,
      position: s.position,
      retired: s.retired,
      ...(s.retired || s.id === GENESIS_ID ? {} : { file: snapshotFile(paths.snapshots, s.id) }),
    }));
    result.blocks = insp.blocks.map((b) => ({
      file: b.file,
      size: b.size,
      exists: b.exists,
      referencedEnd: b.referencedEnd,
      unreferencedBytes: Math.max(0, b.size - b.referencedEnd),
    }));
    result.problems = [...insp.problems];

    // Every stored artifact whose bytes are all in its block file is read back and hashed.
    const sizes = new Map(insp.blocks.map((b) => [b.id, b.size]));
    const fds = new Map<bigint, number>();
    const seen = new Set<string>();
    try {
      for (const { offset, r } of puts) {
        const { blockId, offset: at, length } = r.location;
        const id = `${blockId}:${at}:${length}`;
        if (seen.has(id) || at + length > BigInt(sizes.get(blockId) ?? 0)) continue;
        seen.add(id);
        const file = join(paths.blocks, `${blockId.toString(16).padStart(16, "0")}.blk`);
        let fd = fds.get(blockId);
        if (fd === undefined) {
          fd = fs.openSync(file, "r");
          fds.set(blockId, fd);
        }
        const key = hashRange(fd, Number(at), Number(length));
        result.artifactsVerified++;
        if (key !== r.key)
          result.problems.push({
            code: "STORE_CORRUPT_BLOCK",
            file,
            offset: Number(at),
            message: `${file}: the ${length} bytes at byte offset ${at} do not hash to key ${r.key} (the put record at byte offset ${offset} of ${paths.log}); GET of it reports STORE_CORRUPT_BLOCK`,
            rule: "IDX-GET-001",
          });
      }
    } finally {
      for (const fd of fds.values()) fs.closeSync(fd);
    }

    const t = insp.log.tail;
    if (t && insp.problems.length === 0)
      result.notes.push(
        `torn tail: ${t.length} bytes at byte offset ${t.offset} of ${paths.log} (${t.kind}); reopen moves them to ${paths.recovered}/ and cuts the log there`,
      );
    if (!insp.log.header && insp.log.validEnd > 0)
      result.notes.push(`${paths.log} has no header frame (made before DEC-038); it reads the same`);
    for (const b of result.blocks)
      if (b.unreferencedBytes > 0)
        result.notes.push(
          `${b.file}: ${b.unreferencedBytes} bytes after its last stored record (a PUT that did not complete, or bytes no kept record names); kept, later PUTs append after them`,
        );
    const retained = new Set(result.snapshots.filter((s) => s.file).map((s) => `${s.id}.snap`));
    const orphans = insp.snapshotFiles.filter((f) => !retained.has(f));
    if (orphans.length > 0)
      result.notes.push(
        `${orphans.length} snapshot file(s) that no retained snapshot names (a snapshot or retire a crash interrupted, or a log cut by repair): ignored`,
      );
    if (fs.existsSync(paths.recovered)) {
      const files = fs.readdirSync(paths.recovered);
      if (files.length > 0)
        result.notes.push(
          `${paths.recovered}/ holds ${files.length} file(s) moved aside earlier: ${files.join(", ")}`,
        );
    }
    result.status = result.problems.length > 0 ? "damaged" : "healthy";
    return result;
  } catch (e) {
    return { ...result, status: "unreadable", reason: e instanceof Error ? e.message : String(e) };
  }
}

function hashRange(fd: number, at: number, length: number): string {
  const buf = new Uint8Array(length);
  readAt(fd, buf, at);
  return toHex(sha256(buf));
}

export interface RepairResult {
  dir: string;
  before: StoreCheck;
  after: StoreCheck;
  /** What repair did, one line each, in order. */
  actions: string[];
  /** What repair cannot fix. */
  left: string[];
  /** True when the store opens after the repair. */
  opens: boolean;
  openError?: string;
}

/**
 * Repairs a store as DEC-038 says, then checks that it opens:
 *  - log damage at a frame, or a stored record whose bytes are not all in its block file: point-in-time
 *    recovery. The log from that frame (the earliest such) to its end is copied into recovered/, then
 *    the log is cut there; the state goes back to the last record before it, and block bytes only the
 *    removed records named stay in their block files, unreferenced.
 *  - a torn tail: moved aside, as reopen does.
 *  - a retained snapshot whose file is missing or does not match: the file (if any) is moved into
 *    recovered/ and a new one written from the state the log replays to.
 *  - a missing or empty log: a new log (header only) is written only when no block or snapshot file
 *    holds a byte, since then no record it named can be lost; otherwise repair refuses (the log cannot be
 *    rebuilt from blocks) and changes nothing.
 *  - artifact bytes that do not hash to their key: not repairable; GET keeps reporting STORE_CORRUPT_BLOCK.
 */
export function repairStore(dir: string): RepairResult {
  const before = checkStore(dir, { verifyArtifacts: false });
  const actions: string[] = [];
  const left: string[] = [];
  const done = (opens: boolean, openError?: string): RepairResult => {
    const after = checkStore(dir);
    for (const p of after.problems) if (!left.some((l) => l.startsWith(p.message))) left.push(p.message);
    return { dir, before, after, actions, left, opens, ...(openError === undefined ? {} : { openError }) };
  };
  if (before.status === "unreadable") {
    left.push(before.reason ?? "cannot read the store");
    return { dir, before, after: before, actions, left, opens: false };
  }
  for (let round = 0; round < 100; round++) {
    const store = new Store(NO_BLOCKS, NO_JOURNAL);
    const insp = inspectDisk(dir, store);
    const paths = storePaths(dir);
    const noLog = insp.problems.find((p) => p.code === "STORE_CORRUPT_LOG" && p.cutLogAt === undefined);
    if (noLog) {
      const blockBytes = insp.blocks.reduce((a, b) => a + b.size, 0);
      if (blockBytes > 0 || insp.snapshotFiles.length > 0) {
        left.push(
          `${noLog.message}; repair cannot rebuild a log from block files (they hold no record boundaries), so it changed nothing: the ${blockBytes} block bytes and ${insp.snapshotFiles.length} snapshot files are untouched; restore the log from a copy`,
        );
        return done(false, noLog.message);
      }
      if (insp.log.exists && insp.log.size > 0) {
        const moved = moveLogTailAside(paths, 0, "without-complete-frame");
        actions.push(`moved the log's ${insp.log.size} bytes (no complete frame) to ${moved}`);
      }
      writeFileDurably(paths.log, dir, encodeHeader());
      ensureDir(paths.blocks, dir);
      ensureDir(paths.snapshots, dir);
      actions.push(
        `wrote a new log (header only) at ${paths.log}: no block or snapshot file held a byte, so no stored artifact is lost (tombstones, index PUTs or installs the old log held are gone)`,
      );
      continue;
    }
    const cuts = insp.problems.filter((p) => p.cutLogAt !== undefined);
    if (cuts.length > 0) {
      const first = cuts.reduce((a, b) => (b.cutLogAt! < a.cutLogAt! ? b : a));
      const at = first.cutLogAt!;
      const size = insp.log.size;
      const blockBytes = insp.blocks.reduce((a, b) => a + b.size, 0);
      if (at === 0 && (blockBytes > 0 || insp.snapshotFiles.length > 0)) {
        left.push(
          `${first.message}; the log's first frame is damaged, so a point-in-time repair would keep no record while ${blockBytes} block bytes and ${insp.snapshotFiles.length} snapshot files remain: repair changed nothing; restore the log from a copy`,
        );
        return done(false, first.message);
      }
      const what = first.code === "STORE_CORRUPT_LOG" ? "damaged" : "needs-missing-block-bytes";
      const moved = moveLogTailAside(paths, at, what);
      actions.push(
        `moved log bytes ${at}..${size - 1} (${size - at} bytes) to ${moved} and cut the log at byte offset ${at}, because ${first.message}`,
      );
      continue;
    }
    const tail = insp.log.tail;
    if (tail) {
      const moved = moveLogTailAside(paths, tail.offset, tornName(tail.kind));
      actions.push(
        `moved the torn tail (${tail.kind}, ${tail.length} bytes at byte offset ${tail.offset}) to ${moved} and cut the log there`,
      );
      continue;
    }
    const snaps = insp.problems.filter((p) => p.code === "STORE_CORRUPT_SNAPSHOT");
    if (snaps.length > 0) {
      for (const p of snaps) {
        const id = p.file.slice(-69, -5);
        const s = store.listSnapshots().find((x) => x.id === id);
        if (!s) continue;
        if (fs.existsSync(p.file)) {
          const moved = moveFileAside(paths, p.file, paths.snapshots, `snapshot-${id}-mismatched.snap`);
          actions.push(`moved ${p.file} (${p.message}) to ${moved}`);
        }
        writeSnapshotFile(paths.snapshots, id, s.position, s.digest);
        actions.push(`wrote ${p.file} from the state the log replays to (position ${s.position})`);
      }
      continue;
    }
    break;
  }
  if (before.current && actions.length > 0) {
    const now = checkStore(dir, { verifyArtifacts: false });
    if (now.current && now.current.position !== before.current.position)
      actions.push(
        `the state went back from position ${before.current.position} to ${now.current.position} (the removed records are in ${storePaths(dir).recovered}/)`,
      );
  }
  try {
    openDiskStore(dir).close();
    return done(true);
  } catch (e) {
    return done(false, e instanceof AslError ? e.describe() : String(e));
  }
}
