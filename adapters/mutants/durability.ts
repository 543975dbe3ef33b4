// Mutants of the durability capability (DEC-041; STO-REC-002, STO-REC-003): the reference's disk store
// with one crash-safety defect, live only on a directory given by store.open, so every other check sees
// the reference. They are caught only by the crash checks, which run each as a process
// (`asl-conform serve --mutant ID`) and kill it.
//
// The defects that concern the order and the syncing of writes are made at the file-system calls: on
// store.open the mutant wraps node:fs's writeSync, fsyncSync and fdatasyncSync in its own process (and
// syncBuiltinESMExports makes the reference's `import * as fs` see the wrappers), never by editing the
// reference. That is honest about what the harness can observe: only the files, and only after a crash.
import * as fs from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { blockFileName } from "../../reference/store/disk-files.ts";
import { fileSource, scanJournal } from "../../reference/store/journal-codec.ts";
import { state } from "../reference/convert.ts";
import { defineMutant, type Mutant, storeOf } from "./mutant.ts";

const RULES_TORN = ["STO-REC-002"];
const RULES_LOST = ["STO-REC-003"];

type FsPatch = Partial<
  Pick<typeof fs, "writeSync" | "fsyncSync" | "fdatasyncSync" | "existsSync" | "renameSync">
>;

/** Replaces functions of node:fs in this process (CommonJS and ES module views alike). */
function patchFs(patch: FsPatch): void {
  const cjs = createRequire(import.meta.url)("node:fs") as typeof fs;
  Object.assign(cjs, patch);
  syncBuiltinESMExports();
}

const real = {
  writeSync: fs.writeSync,
  fsyncSync: fs.fsyncSync,
  fdatasyncSync: fs.fdatasyncSync,
  existsSync: fs.existsSync,
  renameSync: fs.renameSync,
};

function pathOf(fd: number): string {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return "";
  }
}

const isBlock = (fd: number) => /\/blocks\/[0-9a-f]{16}\.blk$/.test(pathOf(fd));
const isLog = (fd: number) => pathOf(fd).endsWith("/log");

/**
 * The PUT's record goes to disk in two writes with nothing covering both: its log frame first (whose
 * checksum covers the frame alone), fdatasync'd, then its bytes. The block write is held back (the store
 * believes it done) and made right after the next log write and its sync; a crash between the two leaves
 * a frame naming bytes that never arrived.
 */
function frameBeforeBytes(): void {
  const held: { fd: number; bytes: Buffer }[] = [];
  patchFs({
    writeSync: ((fd: number, buffer: unknown, ...rest: unknown[]) => {
      if (buffer instanceof Uint8Array && isBlock(fd)) {
        const offset = (rest[0] as number | undefined) ?? 0;
        const length = (rest[1] as number | undefined) ?? buffer.length - offset;
        held.push({ fd, bytes: Buffer.from(buffer.subarray(offset, offset + length)) });
        return length;
      }
      const n = (real.writeSync as (...a: unknown[]) => number)(fd, buffer, ...rest);
      if (isLog(fd) && held.length > 0) {
        real.fdatasyncSync(fd); // the frame made durable first, as a careful-looking store might
        for (const h of held.splice(0)) {
          let done = 0;
          while (done < h.bytes.length)
            done += real.writeSync(h.fd, h.bytes, done, h.bytes.length - done, null);
          real.fdatasyncSync(h.fd);
        }
      }
      return n;
    }) as typeof fs.writeSync,
    fdatasyncSync: ((fd: number) => {
      if (held.some((h) => h.fd === fd)) return; // nothing written yet: synced with the frame
      real.fdatasyncSync(fd);
    }) as typeof fs.fdatasyncSync,
  });
}

/**
 * Recovery that does not refuse a frame whose bytes are missing: each block file is extended with zeros to
 * the end of the last stored PUT naming it, so the store opens with those entries visible.
 */
function padShortBlocks(dir: string): void {
  const log = join(dir, "log");
  if (!fs.existsSync(log)) return;
  const need = new Map<bigint, bigint>();
  const fd = fs.openSync(log, "r");
  try {
    scanJournal(fileSource(fd, fs.fstatSync(fd).size), log, (_o, r) => {
      if (r.kind !== "put" || !r.stored) return;
      const end = r.location.offset + r.location.length;
      if (end > (need.get(r.location.blockId) ?? 0n)) need.set(r.location.blockId, end);
    });
  } catch {
    return; // damage: the reference's open reports it
  } finally {
    fs.closeSync(fd);
  }
  for (const [id, end] of need) {
    const file = join(dir, "blocks", blockFileName(id));
    const size = fs.existsSync(file) ? BigInt(fs.statSync(file).size) : -1n;
    if (size < end) {
      fs.mkdirSync(join(dir, "blocks"), { recursive: true });
      fs.closeSync(fs.openSync(file, "a"));
      fs.truncateSync(file, Number(end));
    }
  }
}

/** Acknowledges before fsync: the store syncs in batches (at close), not before each answer. */
const ackBeforeFsync = defineMutant(
  {
    id: "durable-ack-before-fsync",
    description:
      "answers a PUT, tombstone or snapshot before its bytes and its log record are fsync'd (syncs only in batches): a power loss loses acknowledged writes",
    rules: RULES_LOST,
    capabilities: ["durability"],
  },
  ({ engine }) => ({
    "store.open": (a) => state(engine.openAt(a.dir, { sync: "batch" }).current()),
  }),
);

/** Never fsyncs a directory: a new file or a rename is not durable, so a power loss takes the file away. */
const noDirFsync = defineMutant(
  {
    id: "durable-no-directory-fsync",
    description:
      "never fsyncs the directory after creating or renaming a file (the log, a block file): a power loss can take the file, and every acknowledged write in it, away",
    rules: RULES_LOST,
    capabilities: ["durability"],
  },
  ({ engine }) => ({
    "store.open": (a) => {
      patchFs({
        fsyncSync: ((fd: number) => {
          if (fs.fstatSync(fd).isDirectory()) return;
          real.fsyncSync(fd);
        }) as typeof fs.fsyncSync,
      });
      return state(engine.openAt(a.dir).current());
    },
  }),
);

/** A PUT's record in two writes (frame, then bytes) with no checksum covering both. */
const recordInTwoWrites = defineMutant(
  {
    id: "durable-record-in-two-writes",
    description:
      "writes a PUT's record in two writes, its log frame before its bytes, with no checksum covering both: a crash between them leaves a record its recovery refuses to open",
    rules: RULES_TORN,
    capabilities: ["durability"],
  },
  ({ engine }) => ({
    "store.open": (a) => {
      frameBeforeBytes();
      return state(engine.openAt(a.dir).current());
    },
  }),
);

/** Recovery that cuts the last record of the log (as if it were a torn tail). */
const recoveryTruncates = defineMutant(
  {
    id: "durable-recovery-truncates",
    description:
      "recovery cuts the log's last byte before replaying it, so the last acknowledged record reads as a torn tail and is dropped",
    rules: RULES_LOST,
    capabilities: ["durability"],
  },
  ({ engine }) => ({
    "store.open": (a) => {
      const log = join(a.dir, "log");
      try {
        const size = fs.statSync(log).size;
        if (size > 8) fs.truncateSync(log, size - 1);
      } catch {}
      return state(engine.openAt(a.dir).current());
    },
  }),
);

/** A rename into recovered/ that fails (EEXIST) when `refuse(target)` says so. */
function renameRefusing(refuse: (to: string) => string | undefined): void {
  patchFs({
    renameSync: ((from: fs.PathLike, to: fs.PathLike) => {
      const why = refuse(String(to));
      if (why !== undefined) throw Object.assign(new Error(why), { code: "EEXIST" });
      real.renameSync(from, to);
    }) as typeof fs.renameSync,
  });
}

/**
 * Recovery that cannot resume its own half-done work: it moves a torn tail aside by renaming its copy into
 * recovered/ without replacing (as renameat2's RENAME_NOREPLACE does) and without looking for a copy an
 * earlier recovery made first. When that earlier recovery was cut after its copy was durable but before
 * the log was cut, the name is taken and every store.open of the directory fails.
 */
const recoveryNotResumable = defineMutant(
  {
    id: "durable-recovery-not-resumable",
    description:
      "moves a torn tail aside into recovered/ with a rename that does not replace and without looking for an earlier copy: after a crash of its own recovery (copy durable, log not yet cut) the directory never opens again",
    rules: RULES_TORN,
    capabilities: ["durability"],
  },
  ({ engine }) => ({
    "store.open": (a) => {
      const aside = (p: fs.PathLike) => String(p).includes("/recovered/");
      patchFs({
        existsSync: ((p: fs.PathLike) => (aside(p) ? false : real.existsSync(p))) as typeof fs.existsSync,
      });
      renameRefusing((to) =>
        aside(to) && real.existsSync(to) ? `EEXIST: file already exists: ${to}` : undefined,
      );
      return state(engine.openAt(a.dir).current());
    },
  }),
);

/**
 * Recovery that keeps one copy per name in recovered/, naming a torn tail by its offset and length: a
 * second tail of the same length at the same offset, with other bytes (two crashes at one place), finds
 * the name taken and refuses to open, where it should keep both.
 */
const recoveryOneCopyPerName = defineMutant(
  {
    id: "durable-recovery-one-copy-per-name",
    description:
      "names a torn tail moved into recovered/ by its offset and length only and refuses when that name holds other bytes: after two torn tails of one length at one offset (two crashes at one place) the directory never opens again",
    rules: RULES_TORN,
    capabilities: ["durability"],
  },
  ({ engine }) => ({
    "store.open": (a) => {
      renameRefusing((to) =>
        /\/recovered\/[^/]+-\d+$/.test(to)
          ? `${to.replace(/-\d+$/, "")} already holds another tail`
          : undefined,
      );
      return state(engine.openAt(a.dir).current());
    },
  }),
);

/** Frame before bytes, recovery padding the missing bytes with zeros, and GET without checking the key. */
const returnsTorn = defineMutant(
  {
    id: "durable-returns-torn-record",
    description:
      "after a crash between a PUT's frame and its bytes, recovery pads the missing bytes with zeros and GET returns them without checking them against the key",
    rules: RULES_TORN,
    capabilities: ["durability"],
  },
  ({ engine, ref }) => {
    let opened: string | undefined;
    return {
      "store.open": (a) => {
        frameBeforeBytes();
        padShortBlocks(a.dir);
        opened = a.dir;
        return state(engine.openAt(a.dir).current());
      },
      "store.get": (a) => {
        if (opened === undefined || engine.directory() !== opened) return ref["store.get"](a);
        const v = storeOf(engine).lookup(a.key);
        if (v === undefined) return ref["store.get"](a); // STORE_NOT_FOUND, as the reference says it
        const fd = fs.openSync(join(opened, "blocks", blockFileName(v.location.blockId)), "r");
        try {
          const out = Buffer.alloc(Number(v.location.length));
          fs.readSync(fd, out, 0, out.length, Number(v.location.offset));
          return { bytes: new Uint8Array(out) };
        } finally {
          fs.closeSync(fd);
        }
      },
    };
  },
);

/** Frame before bytes and recovery padding the missing bytes: the interrupted PUT is half there. */
const halfApplied = defineMutant(
  {
    id: "durable-half-applied",
    description:
      "a PUT interrupted between its frame and its bytes comes back half-applied: recovery keeps the entry (padding the bytes with zeros), so the key is visible but unreadable",
    rules: RULES_TORN,
    capabilities: ["durability"],
  },
  ({ engine }) => ({
    "store.open": (a) => {
      frameBeforeBytes();
      padShortBlocks(a.dir);
      return state(engine.openAt(a.dir).current());
    },
  }),
);

/** Caught by the kill schedules (crash/kill). */
export const killMutants: readonly Mutant[] = [
  recordInTwoWrites,
  recoveryTruncates,
  returnsTorn,
  halfApplied,
];

/** Caught only under the power cut (crash/power-cut, crash/torn-tail): a kill leaves the page cache, which hides them. */
export const powerCutMutants: readonly Mutant[] = [
  ackBeforeFsync,
  noDirFsync,
  recoveryNotResumable,
  recoveryOneCopyPerName,
];
