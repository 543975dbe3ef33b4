// The power-cut simulation of the durability capability (DEC-040): an implementation runs with an
// LD_PRELOAD interposer (powercut.c, built here with gcc on first use) that records, in a shadow
// directory, what it has made durable under its data directory; after its process group is SIGKILLed,
// powerCut rolls every file's content and every directory entry under the data directory back to that
// state, as a power loss could leave it (kill -9 alone keeps the page cache, so it cannot tell an
// implementation that fsyncs from one that does not).
//
// Durable (DEC-040): a file's content at fsync/fdatasync of it (and a write through O_SYNC/O_DSYNC or
// pwritev2 RWF_*SYNC, msync(MS_SYNC) of a shared mapping: that range); a directory's entries at fsync/
// fdatasync of the directory; everything at sync() or syncfs() on the data directory's file system. A file
// whose entry is durable but whose content never was since it was created comes back empty.
//
// Use: preparePowercut(data, shadow) once the directory holds what counts as durable (it is emptied and
// re-recorded each time); start the implementation with powercutEnv(data, shadow) merged into its
// environment; SIGKILL its process group; powerCut(data, shadow); restart it on the same directory. After
// powerCut the shadow records the rolled-back state, so the cycle can repeat without another prepare
// (prepare again after any run without the interposer: its syncs were not recorded).
// Give the implementation the prepared directory itself: a directory it creates must have its own entry
// made durable by an fsync of its parent, which, for the data directory's parent, nothing records (the
// reference disk store, for one, creates a missing store directory without syncing its parent). Call
// powerCut only when every process of the implementation is gone (Jail.survivors() is empty): a process
// still dying could write after the rollback.
import { execFile, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../catalog/paths.ts";

/** What a power cut discarded. */
export interface PowercutSummary {
  /** Files present under a durable name whose content was not the durable content (rewritten to it). */
  filesRolledBack: number;
  /** Bytes lost: for each file rolled back, its bytes from the first that differs from the durable
   *  content to its end; plus the size of every regular file removed with an entry. */
  bytesDiscarded: number;
  /** Directory entries present that were not durable (each one inside a removed directory included). */
  entriesRemoved: number;
  /** Durable directory entries that were missing, or of another kind, and were made again. */
  entriesRestored: number;
  /** With `tails: "torn"`: what the cut left of each file's unsynced appended bytes. */
  tails?: TornTail[];
}

/** What a cut with `tails: "torn"` did to one file that had grown since its last sync. */
export interface TornTail {
  /** The file, relative to the data directory. */
  file: string;
  /** lost: none of the unsynced bytes; prefix: the first keptBytes of them; zeros: the new length, as
   *  zeros (a size that reached the disk before its data); kept: all of them. */
  shape: "lost" | "prefix" | "zeros" | "kept";
  unsyncedBytes: number;
  keptBytes: number;
}

export interface PowercutOptions {
  /** "lost" (default): every byte not made durable is lost, the pessimistic state DEC-040 defines.
   *  "torn": a file whose durable content is a prefix of its present content (it was appended to since its
   *  last sync) keeps, chosen from the seed and the file's path, none, a prefix, a zero-filled length, or
   *  all of its unsynced bytes: what a power loss during write-back can leave at the end of a log. */
  tails?: "lost" | "torn";
  /** Seeds the "torn" choices (default 0): the same seed and files give the same cut. */
  seed?: number;
}

/**
 * A torn cut's shapes, drawn per file: the two that leave a torn tail (a prefix of the bytes, or their length
 * as zeros) twice as often as the two that leave none, since a torn tail is what recovery must handle.
 */
const SHAPES = ["lost", "prefix", "zeros", "kept", "prefix", "zeros"] as const;

export type PowercutAvailability = { ok: true } | { ok: false; reason: string };

const SOURCE_FILE = join(REPO_ROOT, "adapters", "powercut", "powercut.c");
const LIB_FLAGS = ["-O2", "-shared", "-fPIC", "-pthread"];
const TOOL_FLAGS = ["-O2", "-DASL_POWERCUT_TOOL", "-pthread"];
const LIB_NAME = "libasl-powercut.so";
const TOOL_NAME = "asl-powercut";
const LISTING_HEADER = "asl-powercut-dir/1\n";

interface Built {
  library: string;
  tool: string;
}

export interface BuildOptions {
  /** The C compiler (default $CC, else gcc). */
  cc?: string;
  /** The C source (default adapters/powercut/powercut.c); tests give a broken one. */
  source?: string;
  /** The folder under which builds are cached (default <os.tmpdir()>/asl-conformance-<uid>). */
  cacheRoot?: string;
}

function firstErrorLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim());
  return lines.find((l) => /\berror\b/i.test(l)) ?? lines.find((l) => l !== "") ?? "(no output)";
}

/** A folder only this user can write: a build found there is one this user made (LD_PRELOAD of a
 *  library another user planted would run their code in every implementation). */
function privateFolder(path: string): string | undefined {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const st = lstatSync(path);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0)
    return `${path} is not a private folder of this user (owner ${st.uid}, mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

/** Builds (or finds, keyed by a hash of the source and flags) the library and the snapshot tool. */
export function buildPowercut(
  opts: BuildOptions = {},
): { ok: true; built: Built } | { ok: false; reason: string } {
  if (process.platform !== "linux")
    return { ok: false, reason: `the power-cut interposer needs Linux (this is ${process.platform})` };
  if (!existsSync("/proc/self/fd"))
    return {
      ok: false,
      reason: "the power-cut interposer needs /proc (it reads /proc/self/fd), which is not mounted",
    };
  let source: string;
  try {
    source = opts.source ?? readFileSync(SOURCE_FILE, "utf8");
  } catch (e) {
    return {
      ok: false,
      reason: `cannot read the interposer's source ${SOURCE_FILE}: ${(e as Error).message}`,
    };
  }
  const cc = opts.cc ?? process.env.CC ?? "gcc";
  const hash = createHash("sha256")
    .update(JSON.stringify([source, cc, LIB_FLAGS, TOOL_FLAGS]))
    .digest("hex")
    .slice(0, 16);
  const root = opts.cacheRoot ?? join(tmpdir(), `asl-conformance-${process.getuid?.() ?? "user"}`);
  const dir = join(root, `powercut-${hash}`);
  const built = { library: join(dir, LIB_NAME), tool: join(dir, TOOL_NAME) };
  if (/[\s:]/.test(built.library))
    return {
      ok: false,
      reason: `the cache path ${built.library} holds a space or colon, which LD_PRELOAD cannot name`,
    };
  try {
    const bad = privateFolder(root);
    if (bad) return { ok: false, reason: bad };
    if (existsSync(built.library) && existsSync(built.tool)) return { ok: true, built };
    // Built in a fresh folder and renamed into place, so concurrent first uses never see half a build.
    const work = join(root, `build-${hash}-${process.pid}-${randomBytes(4).toString("hex")}`);
    mkdirSync(work, { mode: 0o700 });
    try {
      const src = join(work, "powercut.c");
      writeFileSync(src, source);
      for (const [flags, out] of [
        [LIB_FLAGS, LIB_NAME],
        [TOOL_FLAGS, TOOL_NAME],
      ] as const) {
        const r = spawnSync(cc, [...flags, "-o", join(work, out), src, "-ldl"], { encoding: "utf8" });
        if (r.error)
          return {
            ok: false,
            reason:
              (r.error as NodeJS.ErrnoException).code === "ENOENT"
                ? `${cc} not found: the power-cut interposer is C built on first use (install gcc, e.g. Debian's build-essential)`
                : `${cc} could not run: ${r.error.message}`,
          };
        if (r.status !== 0)
          return {
            ok: false,
            reason: `${cc} failed to build the power-cut interposer: ${firstErrorLine(r.stderr)}`,
          };
      }
      try {
        renameSync(work, dir);
      } catch (e) {
        // Another process finished the same build first: theirs is identical.
        if (!existsSync(built.library)) throw e;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return { ok: true, built };
  } catch (e) {
    return { ok: false, reason: `cannot build the power-cut interposer in ${root}: ${(e as Error).message}` };
  }
}

let cached: ReturnType<typeof buildPowercut> | undefined;

function built(): Built {
  cached ??= buildPowercut();
  if (!cached.ok) throw new Error(`power cut unavailable: ${cached.reason}`);
  return cached.built;
}

/** Whether power cuts can be simulated here; builds the interposer on first use. */
export function powercutAvailable(): PowercutAvailability {
  cached ??= buildPowercut();
  return cached.ok ? { ok: true } : { ok: false, reason: cached.reason };
}

/** The data directory and shadow directory, resolved and checked apart (a shadow inside the data
 *  directory would be rolled back with it, and the reverse would be recorded into itself). */
function places(dataDir: string, shadowDir: string): { data: string; shadow: string } {
  let data: string;
  try {
    data = realpathSync(dataDir);
  } catch (e) {
    throw new Error(`power cut: data directory ${dataDir}: ${(e as Error).message}`);
  }
  if (!statSync(data).isDirectory())
    throw new Error(`power cut: data directory ${dataDir} is not a directory`);
  mkdirSync(shadowDir, { recursive: true });
  const shadow = realpathSync(shadowDir);
  const inside = (a: string, b: string) => a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);
  if (inside(shadow, data) || inside(data, shadow))
    throw new Error(
      `power cut: the shadow directory ${shadowDir} and the data directory ${dataDir} must not contain each other`,
    );
  return { data, shadow };
}

const run = promisify(execFile);

/** Records everything under the shadow afresh: the data directory's present state is durable. */
async function snapshot(data: string, shadow: string): Promise<void> {
  for (const f of ["files", "dirs", "root"]) rmSync(join(shadow, f), { recursive: true, force: true });
  try {
    await run(built().tool, ["snapshot", data, shadow]);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`power cut: cannot record ${data}: ${(err.stderr ?? "").trim() || err.message}`);
  }
}

/** Records the present state of dataDir (every file's content, every directory's entries) as durable;
 *  a dataDir that does not exist yet is made, empty. */
export async function preparePowercut(dataDir: string, shadowDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const { data, shadow } = places(dataDir, shadowDir);
  await snapshot(data, shadow);
}

/** The environment to start the implementation with: the interposer in LD_PRELOAD (ahead of any already
 *  there), the two directories, and libuv's io_uring turned off (it would sync without calling libc). */
export function powercutEnv(dataDir: string, shadowDir: string): Record<string, string> {
  const lib = built().library;
  const existing = (process.env.LD_PRELOAD ?? "").split(/[\s:]+/).filter((p) => p !== "" && p !== lib);
  return {
    LD_PRELOAD: [lib, ...existing].join(":"),
    ASL_POWERCUT_DATA: resolve(dataDir),
    ASL_POWERCUT_SHADOW: resolve(shadowDir),
    UV_USE_IO_URING: "0",
  };
}

type Kind = "f" | "d" | "l" | "o";
interface Entry {
  kind: Kind;
  mode: number;
  key: string;
  name: Buffer;
  target?: Buffer;
}

/** Reads a listing written by powercut.c's record_dir (its comment gives the format). */
export function parseListing(bytes: Buffer, file: string): Entry[] {
  const bad = (at: number): never => {
    throw new Error(`power cut: shadow listing ${file} is malformed at byte ${at}`);
  };
  if (!bytes.subarray(0, LISTING_HEADER.length).equals(Buffer.from(LISTING_HEADER))) bad(0);
  let i = LISTING_HEADER.length;
  const field = (): string => {
    const end = bytes.indexOf(0x20, i);
    if (end < 0) bad(i);
    const s = bytes.toString("latin1", i, end);
    i = end + 1;
    return s;
  };
  const length = (): number => {
    const s = field();
    if (!/^[0-9]+$/.test(s)) bad(i);
    return Number(s);
  };
  const entries: Entry[] = [];
  while (i < bytes.length) {
    const kind = field();
    if (kind !== "f" && kind !== "d" && kind !== "l" && kind !== "o") bad(i);
    const mode = Number.parseInt(field(), 8);
    const key = field();
    const n = length();
    if (i + n > bytes.length) bad(i);
    const name = bytes.subarray(i, i + n);
    i += n;
    const entry: Entry = { kind: kind as Kind, mode, key, name };
    if (kind === "l") {
      if (bytes[i] !== 0x20) bad(i);
      i++;
      const t = length();
      if (i + t > bytes.length) bad(i);
      entry.target = bytes.subarray(i, i + t);
      i += t;
    }
    if (bytes[i] !== 0x0a) bad(i);
    i++;
    entries.push(entry);
  }
  return entries;
}

const SLASH = Buffer.from("/");
const under = (dir: Buffer, name: Buffer) => Buffer.concat([dir, SLASH, name]);

function kindOf(p: Buffer): Kind | undefined {
  try {
    const st = lstatSync(p);
    return st.isFile() ? "f" : st.isDirectory() ? "d" : st.isSymbolicLink() ? "l" : "o";
  } catch {
    return undefined;
  }
}

/** Entries and regular-file bytes in the tree at p (p included). */
function measure(p: Buffer): { entries: number; bytes: number } {
  const st = lstatSync(p);
  if (!st.isDirectory()) return { entries: 1, bytes: st.isFile() ? st.size : 0 };
  const total = { entries: 1, bytes: 0 };
  for (const name of readdirSync(p, { encoding: "buffer" })) {
    const m = measure(under(p, name));
    total.entries += m.entries;
    total.bytes += m.bytes;
  }
  return total;
}

function commonPrefix(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

class Rollback {
  readonly summary: PowercutSummary = {
    filesRolledBack: 0,
    bytesDiscarded: 0,
    entriesRemoved: 0,
    entriesRestored: 0,
  };
  /** Durable file key -> the path it was first made at in this cut (its other names become hard links). */
  private readonly made = new Map<string, Buffer>();
  private readonly seenDirs = new Set<string>();
  private temps = 0;

  constructor(
    private readonly shadow: string,
    private readonly root: Buffer,
    private readonly opts: PowercutOptions,
  ) {}

  /** The content a torn cut leaves of a file grown from `durable` to `current` ("torn" tails only): only
   *  when the file at p is the very file whose content is durable there (a file renamed over it without a
   *  directory fsync is not, and none of its bytes may appear under that name). */
  private tail(p: Buffer, key: string, durable: Buffer, current: Buffer): Buffer {
    const unsynced = current.length - durable.length;
    if (this.opts.tails !== "torn" || unsynced <= 0 || !current.subarray(0, durable.length).equals(durable))
      return durable;
    const st = lstatSync(p, { bigint: true });
    if (!key.startsWith(`${st.dev}-${st.ino}-`)) return durable;
    const file = p.subarray(this.root.length + 1).toString();
    const h = createHash("sha256")
      .update(`${this.opts.seed ?? 0}\0`)
      .update(p.subarray(this.root.length + 1))
      .digest();
    let shape: TornTail["shape"] = SHAPES[h[0]! % SHAPES.length]!;
    if (shape === "prefix" && unsynced < 2) shape = "lost";
    // A prefix is as often shorter than 16 bytes (a record's header cut short) as anywhere in the rest.
    const span = h[5]! % 2 === 0 ? Math.min(unsynced - 1, 15) : unsynced - 1;
    const kept = shape === "lost" ? 0 : shape === "prefix" ? 1 + (h.readUInt32BE(1) % span) : unsynced;
    this.summary.tails ??= [];
    this.summary.tails.push({
      file,
      shape,
      unsyncedBytes: unsynced,
      keptBytes: shape === "zeros" ? 0 : kept,
    });
    if (shape === "zeros") return Buffer.concat([durable, Buffer.alloc(unsynced)]);
    return current.subarray(0, durable.length + kept);
  }

  private listing(key: string): Entry[] {
    const file = join(this.shadow, "dirs", key);
    try {
      return parseListing(readFileSync(file), file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return []; // made, never synced: empty
      throw e;
    }
  }

  private content(key: string): Buffer {
    try {
      return readFileSync(join(this.shadow, "files", key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0); // never synced: empty
      throw e;
    }
  }

  private temp(dir: Buffer): Buffer {
    return under(dir, Buffer.from(`.asl-powercut-${process.pid}-${this.temps++}`));
  }

  dir(path: Buffer, key: string): void {
    // A directory reached twice (listings recorded at different times can disagree) is made once.
    const entries = this.seenDirs.has(key) ? [] : this.listing(key);
    this.seenDirs.add(key);
    const wanted = new Map(entries.map((e) => [e.name.toString("latin1"), e]));
    for (const name of readdirSync(path, { encoding: "buffer" })) {
      const p = under(path, name);
      const e = wanted.get(name.toString("latin1"));
      const kind = kindOf(p);
      const keep =
        e !== undefined &&
        e.kind === kind &&
        (kind !== "l" || readlinkSync(p, { encoding: "buffer" }).equals(e.target ?? Buffer.alloc(0)));
      if (keep) continue;
      const m = measure(p);
      rmSync(p, { recursive: true, force: true });
      this.summary.entriesRemoved += m.entries;
      this.summary.bytesDiscarded += m.bytes;
    }
    for (const e of entries) {
      const p = under(path, e.name);
      const present = kindOf(p) !== undefined;
      if (e.kind === "d") {
        if (!present) {
          mkdirSync(p);
          chmodSync(p, e.mode);
          this.summary.entriesRestored++;
        }
        this.dir(p, e.key);
      } else if (e.kind === "l") {
        if (!present) {
          symlinkSync(e.target ?? Buffer.alloc(0), p);
          this.summary.entriesRestored++;
        }
      } else if (e.kind === "f") {
        this.file(path, p, e, present);
      }
      // "o" (a fifo, socket or device): kept if present, not made again.
    }
  }

  private file(dir: Buffer, p: Buffer, e: Entry, present: boolean): void {
    const first = this.made.get(e.key);
    let durable = first === undefined ? this.content(e.key) : readFileSync(first);
    if (present) {
      const current = readFileSync(p);
      if (first === undefined) durable = this.tail(p, e.key, durable, current);
      const sameInode = first !== undefined && lstatSync(first).ino === lstatSync(p).ino;
      if (current.equals(durable) && (first === undefined || sameInode)) {
        if (first === undefined) this.made.set(e.key, p);
        return;
      }
      if (!current.equals(durable)) {
        this.summary.filesRolledBack++;
        this.summary.bytesDiscarded += current.length - commonPrefix(current, durable);
      }
    } else {
      this.summary.entriesRestored++;
    }
    // Written beside and renamed over, so another (not durable) hard link to the old file is not changed.
    const t = this.temp(dir);
    if (first !== undefined) linkSync(first, t);
    else {
      writeFileSync(t, durable);
      chmodSync(t, e.mode);
      this.made.set(e.key, p);
    }
    renameSync(t, p);
  }
}

/** After the implementation's process group was SIGKILLed: rolls every file and directory entry under
 *  dataDir back to its last durable state (with `tails: "torn"`, keeping part of what was appended to a
 *  file since its last sync), then records the result as the new durable state. */
export async function powerCut(
  dataDir: string,
  shadowDir: string,
  opts: PowercutOptions = {},
): Promise<PowercutSummary> {
  const { data, shadow } = places(dataDir, shadowDir);
  let root: string;
  try {
    root = readFileSync(join(shadow, "root"), "utf8").trim();
  } catch {
    throw new Error(`power cut: ${shadowDir} holds no record of ${dataDir} (preparePowercut first)`);
  }
  const cut = new Rollback(shadow, Buffer.from(data), opts);
  cut.dir(Buffer.from(data), root);
  await snapshot(data, shadow);
  return cut.summary;
}
