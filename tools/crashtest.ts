// npm run crashtest -- [--kills N] [--seed S] [--dir D]: the disk store against crashes and damage
// (DEC-038, STO-REC-001/002/003), with figures.
//   (a) kill -9 loop: a child process makes PUTs (small and large), tombstones and snapshots on a disk
//       store and reports each acknowledgment on a pipe; the parent SIGKILLs it at a seeded random point,
//       reopens, and checks every acknowledged operation with exactly its bytes, and that no byte a block
//       file held before the kill is different or gone after the reopen (a prefix never shrinks).
//   (b) cut sweep: the log cut at every byte of its last two frames, and zeros after the last frame:
//       each opens as a torn tail, loses nothing acknowledged before the cut frame, and keeps the cut
//       bytes in recovered/.
//   (c) flip sweep: each bit of each byte of the last frame flipped (last frame a PUT, a SNAPSHOT, a
//       TOMBSTONE): each is refused as STORE_CORRUPT_LOG naming the log and the frame's offset, and
//       changes no byte.
//   (d) damage: last block 10 bytes short, last block deleted, a middle block short, empty log, deleted
//       log, a flipped middle frame, a snapshot file flipped or deleted: each refused with the typed error,
//       file and offset, changing nothing; then `repair` does what DEC-038 says.
// Prints one line per part and a final line with the figures; exit 1 on any loss, destroyed byte or
// failed case, 2 on a bad argument. The child is this file run with --child.
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AslError } from "../reference/common/errors.ts";
import { sha256, toHex } from "../reference/common/hash.ts";
import { GENESIS_ID } from "../reference/content-index/index.ts";
import { openDiskStore, repairStore, type Store } from "../reference/store/index.ts";
import { scanJournalBytes } from "../reference/store/journal-codec.ts";
import { errorOf, filesOf } from "./store-files.ts";

const SELF = fileURLToPath(import.meta.url);
const BLOCK_LIMIT = 256 * 1024;
const ROUND = 10; // kills on one store before a fresh one (keeps each check's reads small)

// --- the operation sequence, a function of (seed, i) only, so parent and child agree

function mix(seed: number, i: number, salt: number): number {
  let h =
    (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^
      Math.imul(i + 1, 0xc2b2ae35) ^
      Math.imul(salt + 7, 0x27d4eb2f)) >>>
    0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
function rng(seed: number, i: number, salt: number): () => number {
  let a = mix(seed, i, salt);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = "put" | "tomb" | "snap";
function kindAt(seed: number, i: number): Kind {
  const x = rng(seed, i, 1)();
  if (i > 0 && x < 0.12) return "snap";
  if (i > 0 && x < 0.27) return "tomb";
  return "put";
}
const bytesCache = new Map<string, Uint8Array>();
function bytesOf(seed: number, i: number): Uint8Array {
  const id = `${seed}:${i}`;
  let b = bytesCache.get(id);
  if (b) return b;
  const r = rng(seed, i, 2);
  const size = r() < 0.1 ? 64 * 1024 + Math.floor(r() * 448 * 1024) : 1 + Math.floor(r() * 400);
  const head = new TextEncoder().encode(`crashtest seed ${seed} op ${i}\n`);
  b = new Uint8Array(head.length + size);
  b.set(head);
  for (let k = head.length; k < b.length; k++) b[k] = Math.floor(r() * 256);
  if (bytesCache.size > 4096) bytesCache.clear();
  bytesCache.set(id, b);
  return b;
}
const keyOfBytes = (b: Uint8Array) => toHex(sha256(b));
/** The key a tombstone at op i names: a key PUT at an earlier op, or one never stored. */
function tombKey(seed: number, i: number): string {
  let j = Math.floor(rng(seed, i, 3)() * i);
  while (j >= 0 && kindAt(seed, j) !== "put") j--;
  return j >= 0 ? keyOfBytes(bytesOf(seed, j)) : keyOfBytes(new TextEncoder().encode(`never stored ${i}`));
}

interface Ack {
  i: number;
  kind: Kind;
  key?: string;
  id?: string;
  pos: number;
}

// --- child: runs the sequence from a start index until it is killed

async function child(): Promise<void> {
  const line = await new Promise<string>((resolve) => {
    let buf = "";
    process.stdin.on("data", (d) => {
      buf += d;
      if (buf.includes("\n")) resolve(buf.slice(0, buf.indexOf("\n")));
    });
    process.stdin.on("end", () => resolve(""));
  });
  const [word, dir, seedText, startText] = line.split(" ");
  if (word !== "go") process.exit(0);
  const seed = Number(seedText);
  const store = openDiskStore(dir!, { blockLimit: BLOCK_LIMIT });
  for (let i = Number(startText); i < Number(startText) + 5000; i++) {
    const kind = kindAt(seed, i);
    let ack: Ack;
    if (kind === "put") {
      const r = store.put(bytesOf(seed, i));
      ack = { i, kind, key: r.key, pos: r.position };
    } else if (kind === "tomb") {
      const key = tombKey(seed, i);
      ack = { i, kind, key, pos: store.tombstone(key) };
    } else {
      const s = store.snapshot();
      ack = { i, kind, id: s.snapshot, pos: s.position };
    }
    fs.writeSync(1, `${JSON.stringify(ack)}\n`);
  }
  process.exit(0);
}

// --- parent helpers

interface Model {
  position: number;
  /** key -> index of the op that made it visible */
  visible: Map<string, number>;
  snaps: Map<string, { pos: number; visible: Map<string, number>; op: number }>;
  /** every key an op of this store named, with the last op that changed it */
  keys: Map<string, number>;
}
const newModel = (): Model => ({ position: 0, visible: new Map(), snaps: new Map(), keys: new Map() });

function applyOp(m: Model, seed: number, i: number, kind: Kind, snapId?: string): void {
  if (kind === "put") {
    const key = keyOfBytes(bytesOf(seed, i));
    m.visible.set(key, i);
    m.keys.set(key, i);
    m.position++;
  } else if (kind === "tomb") {
    const key = tombKey(seed, i);
    m.visible.delete(key);
    m.keys.set(key, i);
    m.position++;
  } else if (snapId && !m.snaps.has(snapId)) {
    m.snaps.set(snapId, { pos: m.position, visible: new Map(m.visible), op: i });
  }
}

/** Bytes of `before` that are not a prefix of `after` (a file that shrank or changed). */
function destroyedBytes(before: Buffer, after: Buffer | undefined): number {
  if (!after) return before.length;
  const n = Math.min(before.length, after.length);
  let k = 0;
  while (k < n && before[k] === after[k]) k++;
  return before.length - k;
}

/** Block bytes destroyed between two views of a store, and log bytes cut without a copy in recovered/. */
function destroyedIn(before: Map<string, Buffer>, after: Map<string, Buffer>): number {
  let lost = 0;
  for (const [f, b] of before) {
    if (f.startsWith("blocks/")) lost += destroyedBytes(b, after.get(f));
    if (f === "log") {
      const now = after.get("log");
      const d = destroyedBytes(b, now);
      if (d === 0) continue;
      const cut = b.subarray(b.length - d);
      const kept = [...after].some(([g, v]) => g.startsWith("recovered/") && !before.has(g) && v.equals(cut));
      if (!kept || (now && now.length !== b.length - d)) lost += d;
    }
  }
  return lost;
}

interface Figures {
  kills: number;
  /** kills after which the op in flight (not acknowledged) was found durable */
  inflightDurable: number;
  /** reopens that found unreferenced block bytes (a PUT whose frame never made it), kept */
  unreferenced: number;
  verified: number;
  lost: number;
  destroyed: number;
  failures: string[];
}

// --- (a) the kill -9 loop

function spawnChild(): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", SELF, "--child"], {
    stdio: ["pipe", "pipe", "pipe"],
    cwd: join(SELF, "../.."),
  });
}

const POOL = 3; // children loading ahead, so their start-up overlaps the running one's work

async function killLoop(kills: number, seed: number, root: string, f: Figures): Promise<void> {
  const pick = rng(seed, 0, 99);
  const warm: ChildProcess[] = [];
  const fill = (left: number) => {
    while (warm.length < Math.min(POOL, left)) warm.push(spawnChild());
  };
  fill(kills);
  let dir = "";
  let model = newModel();
  let start = 0;
  for (let k = 0; k < kills; k++) {
    if (k % ROUND === 0) {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      dir = fs.mkdtempSync(join(root, "kill-"));
      model = newModel();
      start = 0;
    }
    const proc = warm.shift()!;
    const killAfter = pick() < 0.1 ? 0 : 1 + Math.floor(pick() * 24);
    const delay = Math.floor(pick() * 6);
    const acks: Ack[] = [];
    let stderr = "";
    proc.stderr!.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.on("exit", (code, signal) => resolve({ code, signal })),
    );
    const kill = () => setTimeout(() => proc.kill("SIGKILL"), delay);
    let pending = "";
    proc.stdout!.on("data", (d: Buffer) => {
      pending += d.toString("utf8");
      let nl = pending.indexOf("\n");
      while (nl >= 0) {
        acks.push(JSON.parse(pending.slice(0, nl)) as Ack);
        pending = pending.slice(nl + 1);
        if (acks.length === killAfter) kill();
        nl = pending.indexOf("\n");
      }
    });
    proc.stdin!.write(`go ${dir} ${seed} ${start}\n`);
    if (killAfter === 0) setTimeout(() => proc.kill("SIGKILL"), 20 + delay * 10);
    const ended = await exited;
    await new Promise((r) => setImmediate(r));
    fill(kills - k - 1);
    if (ended.signal !== "SIGKILL") {
      f.failures.push(
        `kill ${k}: the child ended by itself (code ${ended.code}): ${stderr.trim().slice(0, 500)}`,
      );
      continue;
    }
    f.kills++;

    // The acknowledgments must follow the sequence and the model.
    for (const a of acks) {
      if (a.i !== start || a.kind !== kindAt(seed, a.i) || a.pos !== model.position) {
        f.failures.push(
          `kill ${k}: acknowledgment ${JSON.stringify(a)} does not follow op ${start} at position ${model.position}`,
        );
        break;
      }
      applyOp(model, seed, a.i, a.kind, a.id);
      start++;
    }
    f.verified += acks.length;

    const before = filesOf(dir);
    let store: ReturnType<typeof openDiskStore>;
    try {
      store = openDiskStore(dir, { blockLimit: BLOCK_LIMIT });
    } catch (e) {
      f.failures.push(`kill ${k}: reopen refused: ${(e as AslError).message}`);
      f.lost += acks.length;
      fs.rmSync(dir, { recursive: true, force: true });
      dir = fs.mkdtempSync(join(root, "kill-"));
      model = newModel();
      start = 0;
      continue;
    }
    f.destroyed += destroyedIn(before, filesOf(dir));
    if (store.recovery.unreferencedBlockBytes > 0) f.unreferenced++;

    // The op after the last acknowledgment may have been made durable without being acknowledged.
    const inflight = kindAt(seed, start);
    const cur = store.current().position;
    if (inflight === "snap") {
      const extra = store.listSnapshots().filter((s) => s.id !== GENESIS_ID && !model.snaps.has(s.id));
      if (extra.length === 1 && extra[0]!.position === model.position) {
        applyOp(model, seed, start, "snap", extra[0]!.id);
        start++;
        f.inflightDurable++;
      } else if (extra.length > 0)
        f.failures.push(`kill ${k}: unexpected snapshots ${extra.map((s) => s.id).join(", ")}`);
    } else if (cur === model.position + 1) {
      applyOp(model, seed, start, inflight);
      start++;
      f.inflightDurable++;
    }
    if (store.current().position !== model.position) {
      f.failures.push(
        `kill ${k}: CURRENT is at position ${store.current().position}, acknowledged ${model.position}`,
      );
      f.lost += Math.max(0, model.position - store.current().position);
    }
    const lostOps = new Set<number>();
    for (const [key, op] of model.keys) {
      const want = model.visible.has(key) ? bytesOf(seed, model.visible.get(key)!) : undefined;
      const e = errorOf(() => store.get(key));
      if (
        want === undefined
          ? e?.code !== "STORE_NOT_FOUND"
          : e !== undefined || !Buffer.from(store.get(key)).equals(want)
      )
        lostOps.add(op);
    }
    const listed = new Map(store.listSnapshots().map((s) => [s.id, s]));
    for (const [id, s] of model.snaps) {
      const got = listed.get(id);
      if (!got || got.retired || got.position !== s.pos) {
        lostOps.add(s.op);
        continue;
      }
      for (const key of model.keys.keys()) {
        const at = { snapshot: id, position: s.pos };
        const want = s.visible.has(key) ? bytesOf(seed, s.visible.get(key)!) : undefined;
        const e = errorOf(() => store.get(key, at));
        if (
          want === undefined
            ? e?.code !== "STORE_NOT_FOUND"
            : e !== undefined || !Buffer.from(store.get(key, at)).equals(want)
        )
          lostOps.add(s.op);
      }
    }
    if (lostOps.size > 0)
      f.failures.push(`kill ${k}: acknowledged ops not found as acknowledged: ${[...lostOps].join(", ")}`);
    f.lost += lostOps.size;
    store.close();
  }
  for (const p of warm) p.kill("SIGKILL");
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

// --- (b), (c), (d): stores made in-process, then cut, flipped and damaged

const text = (s: string) => new TextEncoder().encode(s);

interface Built {
  dir: string;
  keys: string[];
  /** observe() before the last two operations, between them, after both */
  states: unknown[];
}

function observe(s: Store, keys: string[]): unknown {
  return {
    current: s.current(),
    snapshots: s.listSnapshots(),
    gets: keys.map((k) => errorOf(() => s.get(k))?.code ?? toHex(sha256(s.get(k)))),
  };
}

/** A store whose last two frames are `last` (each "put", "tomb" or "snap"). */
function build(dir: string, last: [Kind, Kind]): Built {
  const s = openDiskStore(dir, { blockLimit: 4096 });
  const items = [
    text("first"),
    text("second artifact"),
    new Uint8Array(5000).fill(3),
    text("third"),
    text("fourth"),
  ];
  const keys = items.map(keyOfBytes);
  for (const b of items.slice(0, 4)) s.put(b);
  s.snapshot();
  s.tombstone(keys[0]!);
  const states: unknown[] = [observe(s, keys)];
  for (const kind of last) {
    if (kind === "put") s.put(items[4]!);
    else if (kind === "tomb") s.tombstone(keys[1]!);
    else s.snapshot();
    states.push(observe(s, keys));
  }
  s.close();
  return { dir, keys, states };
}

function restore(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}

function cutSweep(root: string, f: Figures): number {
  let ok = 0;
  // The last two frames of the first layout, the last frame of the second.
  const layouts: Array<[[Kind, Kind], number]> = [
    [["tomb", "put"], 2],
    [["put", "snap"], 1],
  ];
  for (const [layout, span] of layouts) {
    const pristine = join(root, `cut-${layout.join("-")}-pristine`);
    const dir = join(root, `cut-${layout.join("-")}`);
    const b = build(pristine, layout);
    const full = fs.readFileSync(join(pristine, "log"));
    const frames = scanJournalBytes(full, "log").entries.map((e) => e.offset);
    restore(pristine, dir);
    const pristineFiles = filesOf(pristine);
    const [secondLast, last] = [frames.at(-2)!, frames.at(-1)!];
    const cases: Array<{ log: Buffer; boundary: number; state: unknown; name: string }> = [];
    for (let c = span === 2 ? secondLast : last; c < full.length; c++)
      cases.push({
        log: full.subarray(0, c),
        boundary: c >= last ? last : secondLast,
        state: b.states[c >= last ? 1 : 0],
        name: `cut at ${c}`,
      });
    for (const n of [1, 7, 8, 85, 4096])
      cases.push({
        log: Buffer.concat([full, Buffer.alloc(n)]),
        boundary: full.length,
        state: b.states[2],
        name: `${n} zeros`,
      });
    for (const c of cases) {
      const where = `cut sweep ${layout.join("-")}, ${c.name}`;
      // Only the log and recovered/ change (every case checks that the blocks do not): the log is
      // written in place, never truncated to 0 and rewritten, which makes ext4 flush it on close.
      fs.rmSync(join(dir, "recovered"), { recursive: true, force: true });
      const fd = fs.openSync(join(dir, "log"), "r+");
      fs.writeSync(fd, c.log, 0, c.log.length, 0);
      fs.ftruncateSync(fd, c.log.length);
      fs.closeSync(fd);
      const before = filesOf(dir);
      let s: ReturnType<typeof openDiskStore>;
      try {
        s = openDiskStore(dir);
      } catch (e) {
        f.failures.push(`${where}: refused: ${(e as Error).message}`);
        continue;
      }
      const problems: string[] = [];
      const torn = c.log.length - c.boundary;
      if (s.recovery.droppedLogBytes !== torn)
        problems.push(`dropped ${s.recovery.droppedLogBytes}, expected ${torn}`);
      if (JSON.stringify(observe(s, b.keys)) !== JSON.stringify(c.state))
        problems.push("state differs from the acknowledged one");
      s.close();
      const after = filesOf(dir);
      const d = destroyedIn(before, after);
      f.destroyed += d;
      if (d > 0) problems.push(`${d} bytes destroyed`);
      if (torn > 0) {
        const moved = s.recovery.tornTail?.movedTo;
        if (!moved || !fs.readFileSync(moved).equals(c.log.subarray(c.boundary)))
          problems.push("cut bytes not in recovered/");
        if (!after.get("log")!.equals(c.log.subarray(0, c.boundary)))
          problems.push("log not cut at the frame boundary");
      }
      const blocksChanged = [...pristineFiles].some(
        ([k, v]) => k.startsWith("blocks/") && !after.get(k)?.equals(v),
      );
      if (blocksChanged) {
        problems.push("a block file changed");
        restore(pristine, dir);
      }
      if (problems.length) f.failures.push(`${where}: ${problems.join("; ")}`);
      else ok++;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(pristine, { recursive: true, force: true });
  }
  return ok;
}

function flipSweep(root: string, f: Figures): number {
  let ok = 0;
  const layouts: Array<[Kind, Kind]> = [
    ["tomb", "put"],
    ["put", "snap"],
    ["snap", "tomb"],
  ];
  for (const layout of layouts) {
    const dir = join(root, `flip-${layout.join("-")}`);
    build(dir, layout);
    const logFile = join(dir, "log");
    const full = fs.readFileSync(logFile);
    const last = scanJournalBytes(full, "log").entries.at(-1)!.offset;
    const pristine = filesOf(dir);
    const fd = fs.openSync(logFile, "r+");
    for (let byte = last; byte < full.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const where = `flip sweep ${layout.join("-")}, byte ${byte} bit ${bit}`;
        const flipped = Buffer.from(full);
        flipped[byte] = flipped[byte]! ^ (1 << bit);
        fs.writeSync(fd, flipped, 0, flipped.length, 0); // in place: same size
        const e = errorOf(() => openDiskStore(dir).close());
        const problems: string[] = [];
        if (e?.code !== "STORE_CORRUPT_LOG")
          problems.push(e ? `got ${e.code}: ${e.message}` : "opened (taken for a torn tail)");
        else if (e.offset !== last || !e.message.startsWith(`${logFile}:`))
          problems.push(`error names ${e.message}, offset ${e.offset}, expected ${logFile} at ${last}`);
        if (!fs.readFileSync(logFile).equals(flipped)) problems.push("the log changed");
        if (fs.existsSync(join(dir, "recovered"))) problems.push("recovered/ was made");
        if (problems.length) {
          f.failures.push(`${where}: ${problems.join("; ")}`);
          fs.rmSync(join(dir, "recovered"), { recursive: true, force: true });
        } else ok++;
      }
    }
    fs.writeSync(fd, full, 0, full.length, 0);
    fs.closeSync(fd);
    const d = destroyedIn(pristine, filesOf(dir));
    f.destroyed += d;
    if (d > 0) f.failures.push(`flip sweep ${layout.join("-")}: ${d} bytes destroyed`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return ok;
}

function damageCases(root: string, f: Figures): number {
  let ok = 0;
  const pristine = join(root, "damage-pristine");
  const dir = join(root, "damage");
  const s = openDiskStore(pristine, { blockLimit: 4096 });
  const items = Array.from({ length: 12 }, (_, i) => new Uint8Array(900 + i).fill(i + 1));
  const puts = items.slice(0, 6).map((b) => s.put(b));
  const snap = s.snapshot();
  for (const b of items.slice(6)) puts.push(s.put(b));
  s.tombstone(puts[0]!.key);
  s.close();
  const blocks = fs.readdirSync(join(pristine, "blocks")).sort();
  const lastBlock = `blocks/${blocks.at(-1)}`;
  const firstBlock = `blocks/${blocks[0]}`;
  const full = fs.readFileSync(join(pristine, "log"));
  const entries = scanJournalBytes(full, "log").entries;
  const middle = entries[3]!.offset;
  const snapRel = `snapshots/${snap.snapshot}.snap`;
  const truncateBy = (rel: string, n: number) => (d: string) =>
    fs.truncateSync(join(d, rel), fs.statSync(join(d, rel)).size - n);
  const flipAt = (rel: string, at: number) => (d: string) => {
    const b = fs.readFileSync(join(d, rel));
    b[at] = b[at]! ^ 0x10;
    fs.writeFileSync(join(d, rel), b);
  };
  const cases: Array<{
    name: string;
    damage: (d: string) => void;
    code: string;
    file: string;
    offset: (d: string) => number;
    repairOpens: boolean;
  }> = [
    {
      name: "last block 10 bytes short",
      damage: truncateBy(lastBlock, 10),
      code: "STORE_CORRUPT_BLOCK",
      file: lastBlock,
      offset: (d) => fs.statSync(join(d, lastBlock)).size,
      repairOpens: true,
    },
    {
      name: "last block deleted",
      damage: (d) => fs.rmSync(join(d, lastBlock)),
      code: "STORE_CORRUPT_BLOCK",
      file: lastBlock,
      offset: () => 0,
      repairOpens: true,
    },
    {
      name: "first block 1 byte short",
      damage: truncateBy(firstBlock, 1),
      code: "STORE_CORRUPT_BLOCK",
      file: firstBlock,
      offset: (d) => fs.statSync(join(d, firstBlock)).size,
      repairOpens: true,
    },
    {
      name: "empty log",
      damage: (d) => fs.writeFileSync(join(d, "log"), ""),
      code: "STORE_CORRUPT_LOG",
      file: "log",
      offset: () => 0,
      repairOpens: false,
    },
    {
      name: "deleted log",
      damage: (d) => fs.rmSync(join(d, "log")),
      code: "STORE_CORRUPT_LOG",
      file: "log",
      offset: () => 0,
      repairOpens: false,
    },
    {
      name: "middle frame bit flip",
      damage: flipAt("log", middle + 20),
      code: "STORE_CORRUPT_LOG",
      file: "log",
      offset: () => middle,
      repairOpens: true,
    },
    {
      name: "snapshot file bit flip",
      damage: flipAt(snapRel, 20),
      code: "STORE_CORRUPT_SNAPSHOT",
      file: snapRel,
      offset: () => 80,
      repairOpens: true,
    },
    {
      name: "snapshot file deleted",
      damage: (d) => fs.rmSync(join(d, snapRel)),
      code: "STORE_CORRUPT_SNAPSHOT",
      file: snapRel,
      offset: () => 0,
      repairOpens: true,
    },
  ];
  for (const c of cases) {
    const problems: string[] = [];
    restore(pristine, dir);
    c.damage(dir);
    const before = filesOf(dir);
    for (const attempt of [1, 2]) {
      const e = errorOf(() => openDiskStore(dir).close());
      if (e?.code !== c.code) problems.push(`open ${attempt}: ${e ? `${e.code}: ${e.message}` : "opened"}`);
      else if (!e.message.includes(join(dir, c.file)) || e.offset !== c.offset(dir))
        problems.push(
          `open ${attempt}: names ${e.message} (offset ${e.offset}), expected ${c.file} at ${c.offset(dir)}`,
        );
    }
    const afterRefusal = filesOf(dir);
    if (afterRefusal.size !== before.size || [...before].some(([k, v]) => !afterRefusal.get(k)?.equals(v)))
      problems.push("a refused open changed a file");
    const r = repairStore(dir);
    if (r.opens !== c.repairOpens)
      problems.push(`repair: opens ${r.opens}, expected ${c.repairOpens} (${r.left.join("; ")})`);
    const afterRepair = filesOf(dir);
    const d = destroyedIn(before, afterRepair);
    f.destroyed += d;
    if (d > 0) problems.push(`repair destroyed ${d} bytes`);
    if (c.repairOpens) {
      // After repair: every PUT still in the state reads back, and a new PUT is readable after a reopen.
      const t = openDiskStore(dir, { blockLimit: 4096 });
      for (const p of puts) {
        const e = errorOf(() => t.get(p.key));
        if (e && e.code !== "STORE_NOT_FOUND")
          problems.push(`after repair, GET ${p.key.slice(0, 8)}: ${e.code}`);
      }
      const fresh = t.put(text(`after repair of ${c.name}`));
      t.close();
      const u = openDiskStore(dir);
      if (!Buffer.from(u.get(fresh.key)).equals(text(`after repair of ${c.name}`)))
        problems.push("a PUT after repair does not read back");
      u.close();
    }
    if (problems.length) f.failures.push(`damage "${c.name}": ${problems.join("; ")}`);
    else ok++;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(pristine, { recursive: true, force: true });
  return ok;
}

// --- main

function parseArgs(argv: string[]): { kills: number; seed: number; dir: string } {
  const o = { kills: 10, seed: 1, dir: tmpdir() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    if ((a === "--kills" || a === "--seed") && v !== undefined && /^\d+$/.test(v)) {
      o[a === "--kills" ? "kills" : "seed"] = Number(v);
      i++;
    } else if (a === "--dir" && v !== undefined) {
      o.dir = v;
      i++;
    } else {
      console.error(
        `crashtest: unknown or malformed option ${a}; usage: npm run crashtest -- [--kills N] [--seed S] [--dir D]`,
      );
      process.exit(2);
    }
  }
  return o;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const root = fs.mkdtempSync(join(opts.dir, "asl-crashtest-"));
  const figures = (): Figures => ({
    kills: 0,
    inflightDurable: 0,
    unreferenced: 0,
    verified: 0,
    lost: 0,
    destroyed: 0,
    failures: [],
  });
  const [fa, fb, fc, fd] = [figures(), figures(), figures(), figures()];
  const t0 = performance.now();
  const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
  try {
    console.log(`crashtest: seed ${opts.seed}, ${opts.kills} kills, in ${root}`);
    const failed = (n: number) => (n ? `, ${n} FAILED` : "");
    let t = performance.now();
    await killLoop(opts.kills, opts.seed, root, fa);
    console.log(
      `(a) kill -9 loop: ${fa.kills} kills, ${fa.verified} acknowledged operations verified, lost ${fa.lost}, bytes destroyed ${fa.destroyed}; the op in flight was durable after ${fa.inflightDurable} kills, unreferenced block bytes kept after ${fa.unreferenced}${failed(fa.failures.length)} (${secs(t)})`,
    );
    t = performance.now();
    const cut = cutSweep(root, fb);
    console.log(`(b) cut sweep: ${cut} cases ok${failed(fb.failures.length)} (${secs(t)})`);
    t = performance.now();
    const flip = flipSweep(root, fc);
    console.log(`(c) flip sweep: ${flip} cases ok${failed(fc.failures.length)} (${secs(t)})`);
    t = performance.now();
    const damage = damageCases(root, fd);
    console.log(`(d) damage cases: ${damage} ok${failed(fd.failures.length)} (${secs(t)})`);
    const all = [fa, fb, fc, fd];
    const failures = all.flatMap((x) => x.failures);
    for (const x of failures.slice(0, 30)) console.error(`  FAILED ${x}`);
    if (failures.length > 30) console.error(`  ... and ${failures.length - 30} more`);
    const lost = all.reduce((a, x) => a + x.lost, 0);
    const destroyed = all.reduce((a, x) => a + x.destroyed, 0);
    console.log(`crashtest: ${secs(t0)} in all`);
    console.log(
      `kills: ${fa.kills}, acknowledged operations verified: ${fa.verified}, lost: ${lost}, bytes destroyed: ${destroyed}, cut cases: ${cut} ok${failed(fb.failures.length)}, flip cases: ${flip} ok${failed(fc.failures.length)}, damage cases: ${damage} ok${failed(fd.failures.length)}`,
    );
    process.exitCode = lost > 0 || destroyed > 0 || failures.length > 0 ? 1 : 0;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") await child();
else await main();
