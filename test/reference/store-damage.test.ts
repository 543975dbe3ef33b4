// The disk store's recovery policy (DEC-038): each torn-tail shape opens and keeps the cut bytes in
// recovered/; each kind of damage is a typed error naming the file and the byte offset, at reopen, and
// changes no byte; repair and check do what DEC-038 says.
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sha256, toHex } from "../../reference/common/hash.ts";
import { checkStore, openDiskStore, repairStore, type Store } from "../../reference/store/index.ts";
import { scanJournalBytes } from "../../reference/store/journal-codec.ts";
import { errorOf, filesOf } from "../../tools/store-files.ts";
import { cli } from "../helpers/cli.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(join(tmpdir(), "asl-damage-test-"));
  dirs.push(d);
  return d;
}
const text = (s: string) => new TextEncoder().encode(s);
const keyOf = (b: Uint8Array) => toHex(sha256(b));
const asObject = (m: Map<string, Buffer>) =>
  Object.fromEntries([...m].map(([k, v]) => [k, v.toString("hex")]));
const blocksOf = (m: Map<string, Buffer>) =>
  asObject(new Map([...m].filter(([k]) => k.startsWith("blocks/"))));

const ITEMS = [
  text("first artifact"),
  text("second artifact"),
  new Uint8Array(3000).fill(7),
  text("third"),
  text("the last one"),
];
const KEYS = ITEMS.map(keyOf);

function observe(s: Store): unknown {
  return {
    current: s.current(),
    snapshots: s.listSnapshots(),
    gets: KEYS.map((k) => errorOf(() => s.get(k))?.code ?? toHex(s.get(k))),
  };
}

/** A store with 3 blocks (limit 2048) whose last frame is `last`; the state before that frame. */
function build(last: "put" | "snapshot" | "tombstone"): {
  dir: string;
  before: unknown;
  after: unknown;
  lastFrame: number;
} {
  const dir = tempDir();
  const s = openDiskStore(dir, { blockLimit: 2048 });
  for (const b of ITEMS.slice(0, 4)) s.put(b);
  s.snapshot();
  s.tombstone(KEYS[0]!);
  const before = observe(s);
  if (last === "put") s.put(ITEMS[4]!);
  else if (last === "snapshot") s.snapshot();
  else s.tombstone(KEYS[1]!);
  const after = observe(s);
  s.close();
  const log = fs.readFileSync(join(dir, "log"));
  return { dir, before, after, lastFrame: scanJournalBytes(log, "log").entries.at(-1)!.offset };
}

describe("torn tails (DEC-038)", () => {
  it("[STO-REC-002] a header cut short, a frame cut short and zeros after the last frame open without that entry, keep the cut bytes in recovered/ and leave the blocks as they were", () => {
    const b = build("put");
    const logFile = join(b.dir, "log");
    const full = fs.readFileSync(logFile);
    const pristine = filesOf(b.dir);
    const cases: Array<{ log: Buffer; kind: string; boundary: number; state: unknown }> = [
      {
        log: full.subarray(0, b.lastFrame + 3),
        kind: "header cut short",
        boundary: b.lastFrame,
        state: b.before,
      },
      {
        log: full.subarray(0, b.lastFrame + 8),
        kind: "frame cut short",
        boundary: b.lastFrame,
        state: b.before,
      },
      {
        log: full.subarray(0, full.length - 1),
        kind: "frame cut short",
        boundary: b.lastFrame,
        state: b.before,
      },
      {
        log: Buffer.concat([full.subarray(0, b.lastFrame + 3), Buffer.alloc(200)]),
        kind: "header cut short",
        boundary: b.lastFrame,
        state: b.before,
      },
      { log: Buffer.concat([full, Buffer.alloc(40)]), kind: "zeros", boundary: full.length, state: b.after },
    ];
    for (const c of cases) {
      fs.rmSync(join(b.dir, "recovered"), { recursive: true, force: true });
      fs.writeFileSync(logFile, c.log);
      const s = openDiskStore(b.dir);
      expect(s.recovery.tornTail?.kind, c.kind).toBe(c.kind);
      expect(s.recovery.droppedLogBytes).toBe(c.log.length - c.boundary);
      expect(observe(s)).toEqual(c.state);
      s.close();
      const moved = fs.readdirSync(join(b.dir, "recovered"));
      expect(moved).toEqual([
        `log-torn-tail-${c.kind === "zeros" ? "zeros" : c.kind === "header cut short" ? "header-cut" : "frame-cut"}-from-byte-${c.boundary}-${c.log.length - c.boundary}-bytes`,
      ]);
      expect(fs.readFileSync(join(b.dir, "recovered", moved[0]!))).toEqual(c.log.subarray(c.boundary));
      expect(fs.readFileSync(logFile)).toEqual(c.log.subarray(0, c.boundary));
      expect(blocksOf(filesOf(b.dir))).toEqual(blocksOf(pristine));
    }
  });

  it("[STO-REC-003] bytes a PUT wrote to its block before its frame reached the log are kept, and the next PUT goes after them and reads back after a reopen", () => {
    const dir = tempDir();
    const s = openDiskStore(dir);
    s.put(ITEMS[0]!);
    s.close();
    const logBefore = fs.readFileSync(join(dir, "log"));
    const t = openDiskStore(dir);
    t.put(ITEMS[1]!);
    t.close();
    fs.writeFileSync(join(dir, "log"), logBefore); // the PUT's frame never made it
    const blocks = blocksOf(filesOf(dir));
    const u = openDiskStore(dir);
    expect(u.recovery.unreferencedBlockBytes).toBe(ITEMS[1]!.length);
    expect(blocksOf(filesOf(dir))).toEqual(blocks);
    const r = u.put(ITEMS[2]!);
    expect(r.location.offset).toBe(BigInt(ITEMS[0]!.length + ITEMS[1]!.length));
    u.close();
    const v = openDiskStore(dir);
    expect(v.get(r.key)).toEqual(ITEMS[2]);
    expect(v.get(KEYS[0]!)).toEqual(ITEMS[0]);
    expect(errorOf(() => v.get(KEYS[1]!))?.code).toBe("STORE_NOT_FOUND");
    v.close();
  });

  it("[STO-REC-001][STO-REC-002] the log is read in chunks: a 7-byte read window gives the same state and the same torn tail as one read", () => {
    const b = build("snapshot");
    const full = fs.readFileSync(join(b.dir, "log"));
    fs.writeFileSync(join(b.dir, "log"), full.subarray(0, full.length - 20));
    const check = checkStore(b.dir);
    const s = openDiskStore(b.dir, { readChunk: 7 });
    expect(s.recovery.tornTail?.offset).toBe(b.lastFrame);
    expect(check.log?.tornTail?.offset).toBe(b.lastFrame);
    expect(observe(s)).toEqual(b.before);
    s.close();
  });

  it("[STO-REC-002] a log larger than 2 GiB opens: it is streamed, and its zero tail is moved aside as a sparse file", () => {
    const dir = tempDir();
    const s = openDiskStore(dir);
    s.put(ITEMS[0]!);
    s.close();
    const size = fs.statSync(join(dir, "log")).size;
    const big = 2 ** 31 + 4096;
    fs.truncateSync(join(dir, "log"), big); // a hole: zeros that take no disk space
    const r = openDiskStore(dir);
    expect(r.recovery.tornTail).toMatchObject({ kind: "zeros", offset: size, length: big - size });
    expect(r.get(KEYS[0]!)).toEqual(ITEMS[0]);
    r.close();
    expect(fs.statSync(join(dir, "log")).size).toBe(size);
    const moved = join(dir, "recovered", `log-torn-tail-zeros-from-byte-${size}-${big - size}-bytes`);
    expect(fs.statSync(moved).size).toBe(big - size);
    expect(fs.statSync(moved).blocks * 512).toBeLessThan(1024 * 1024);
  }, 120_000);
});

describe("damage refuses the open and changes nothing (DEC-038)", () => {
  it("[STO-REC-002] a bit flip in any byte of the last frame (a PUT, a SNAPSHOT, a TOMBSTONE) is STORE_CORRUPT_LOG naming the log and the frame's offset, never a torn tail", () => {
    for (const kind of ["put", "snapshot", "tombstone"] as const) {
      const b = build(kind);
      const logFile = join(b.dir, "log");
      const full = fs.readFileSync(logFile);
      const pristine = asObject(filesOf(b.dir));
      const fd = fs.openSync(logFile, "r+");
      try {
        for (let at = b.lastFrame; at < full.length; at++) {
          for (let bit = 0; bit < 8; bit++) {
            const flipped = Buffer.from(full);
            flipped[at] = flipped[at]! ^ (1 << bit);
            fs.writeSync(fd, flipped, 0, flipped.length, 0);
            const e = errorOf(() => openDiskStore(b.dir).close());
            expect(e?.code, `${kind} byte ${at} bit ${bit}`).toBe("STORE_CORRUPT_LOG");
            expect(e?.offset).toBe(b.lastFrame);
            expect(e?.message.startsWith(`${logFile}: `)).toBe(true);
            expect(fs.readFileSync(logFile)).toEqual(flipped);
            expect(fs.existsSync(join(b.dir, "recovered"))).toBe(false);
          }
        }
        fs.writeSync(fd, full, 0, full.length, 0);
      } finally {
        fs.closeSync(fd);
      }
      expect(asObject(filesOf(b.dir))).toEqual(pristine);
    }
  });

  it("[STO-REC-002] a complete SNAPSHOT frame whose kind byte flipped to PUT (which would make it look cut short) is damage", () => {
    const b = build("snapshot");
    const logFile = join(b.dir, "log");
    const log = fs.readFileSync(logFile);
    log[b.lastFrame + 4] = 1; // kind 3 (snapshot, 56 bytes) -> kind 1 (put, 85 bytes): one bit
    fs.writeFileSync(logFile, log);
    const e = errorOf(() => openDiskStore(b.dir));
    expect(e?.code).toBe("STORE_CORRUPT_LOG");
    expect(e?.message).toBe(
      `${logFile}: frame kind byte is damaged (a complete snapshot frame reads as put) at byte offset ${b.lastFrame}`,
    );
  });

  it("[STO-REC-002] a complete-length last frame that ends in zeros (its checksum among them) is damage, not a torn tail: DEC-038 does not trust zeros inside a frame", () => {
    const b = build("put");
    const logFile = join(b.dir, "log");
    const log = fs.readFileSync(logFile);
    log.fill(0, b.lastFrame + 8); // header kept, payload and checksum zero, the frame's full length
    fs.writeFileSync(logFile, log);
    const e = errorOf(() => openDiskStore(b.dir));
    expect([e?.code, e?.offset]).toEqual(["STORE_CORRUPT_LOG", b.lastFrame]);
    expect(repairStore(b.dir).opens).toBe(true);
  });

  it("[STO-REC-001] a damaged frame in the middle of the log is STORE_CORRUPT_LOG at that frame", () => {
    const b = build("put");
    const logFile = join(b.dir, "log");
    const log = fs.readFileSync(logFile);
    const third = scanJournalBytes(log, "log").entries[2]!.offset;
    log[third + 30] = log[third + 30]! ^ 0x40;
    fs.writeFileSync(logFile, log);
    const before = asObject(filesOf(b.dir));
    const e = errorOf(() => openDiskStore(b.dir));
    expect([e?.code, e?.offset]).toEqual(["STORE_CORRUPT_LOG", third]);
    expect(e?.message).toMatch(
      new RegExp(`^${logFile}: put frame checksum mismatch .* at byte offset ${third}$`),
    );
    expect(asObject(filesOf(b.dir))).toEqual(before);
  });

  it("[STO-REC-001][STO-REC-003] a block file shorter than a stored record needs (the last block 10 bytes short or deleted, a middle block 1 byte short) is STORE_CORRUPT_BLOCK naming the block and its first missing byte; nothing is truncated and a second open refuses too", () => {
    const b = build("put");
    const names = fs.readdirSync(join(b.dir, "blocks")).sort();
    expect(names.length).toBe(3);
    const pristine = filesOf(b.dir);
    const cases: Array<[string, (f: string) => void, (f: string) => number]> = [
      [names.at(-1)!, (f) => fs.truncateSync(f, fs.statSync(f).size - 10), (f) => fs.statSync(f).size],
      [names.at(-1)!, (f) => fs.rmSync(f), () => 0],
      [names[1]!, (f) => fs.truncateSync(f, fs.statSync(f).size - 1), (f) => fs.statSync(f).size],
    ];
    for (const [name, damage, offset] of cases) {
      const file = join(b.dir, "blocks", name);
      damage(file);
      const before = asObject(filesOf(b.dir));
      for (let attempt = 0; attempt < 2; attempt++) {
        const e = errorOf(() => openDiskStore(b.dir));
        expect(e?.code).toBe("STORE_CORRUPT_BLOCK");
        expect(e?.offset).toBe(offset(file));
        expect(e?.message.startsWith(`${file}: `)).toBe(true);
        expect(e?.message).toContain(`bytes from byte offset ${offset(file)} are missing`);
        expect(asObject(filesOf(b.dir))).toEqual(before);
      }
      fs.writeFileSync(file, pristine.get(`blocks/${name}`)!);
    }
  });

  it("[STO-REC-001] an empty, deleted or headerless log next to block files is STORE_CORRUPT_LOG at byte offset 0; no block byte is touched and no log is made", () => {
    const b = build("put");
    const logFile = join(b.dir, "log");
    const full = fs.readFileSync(logFile);
    for (const damage of [
      () => fs.writeFileSync(logFile, ""),
      () => fs.rmSync(logFile),
      () => fs.writeFileSync(logFile, full.subarray(0, 3)),
    ]) {
      damage();
      const before = asObject(filesOf(b.dir));
      const e = errorOf(() => openDiskStore(b.dir));
      expect([e?.code, e?.offset]).toEqual(["STORE_CORRUPT_LOG", 0]);
      expect(e?.message).toMatch(new RegExp(`^${logFile}: (empty|missing|no complete frame)`));
      expect(asObject(filesOf(b.dir))).toEqual(before);
      fs.writeFileSync(logFile, full);
    }
  });

  it("[STO-REC-001] a retained snapshot's file flipped or missing is STORE_CORRUPT_SNAPSHOT naming it", () => {
    const b = build("put");
    const snap = fs.readdirSync(join(b.dir, "snapshots"))[0]!;
    const file = join(b.dir, "snapshots", snap);
    const bytes = fs.readFileSync(file);
    const flipped = Buffer.from(bytes);
    flipped[9] = flipped[9]! ^ 1;
    fs.writeFileSync(file, flipped);
    const e = errorOf(() => openDiskStore(b.dir));
    expect([e?.code, e?.offset]).toEqual(["STORE_CORRUPT_SNAPSHOT", 80]);
    expect(e?.message).toContain(file);
    fs.rmSync(file);
    const e2 = errorOf(() => openDiskStore(b.dir));
    expect([e2?.code, e2?.offset]).toEqual(["STORE_CORRUPT_SNAPSHOT", 0]);
  });

  it("[IDX-GET-001] a location longer than Node.js can hold in memory, or ending past 2^53, names missing bytes (STORE_CORRUPT_BLOCK, DEC-021), not an engine limit, and the store stays usable", () => {
    const s = openDiskStore(tempDir());
    const key = "ab".repeat(32);
    s.indexPut(key, { blockId: 0n, offset: 0n, length: 2n ** 40n });
    expect(errorOf(() => s.get(key))?.code).toBe("STORE_CORRUPT_BLOCK"); // no block file yet
    const r = s.put(ITEMS[0]!);
    expect(s.get(r.key)).toEqual(ITEMS[0]);
    expect(errorOf(() => s.get(key))?.code).toBe("STORE_CORRUPT_BLOCK"); // the block file is shorter
    s.indexPut(key, { blockId: 0n, offset: 2n ** 64n - 1n, length: 1n });
    expect(errorOf(() => s.get(key))?.code).toBe("STORE_CORRUPT_BLOCK");
    expect(s.get(r.key)).toEqual(ITEMS[0]);
    s.close();
  });
});

describe("repair and check (DEC-038)", () => {
  it("[STO-REC-002] repair of a damaged frame copies the log from that frame into recovered/ before cutting it; the store opens at the state before it and no block byte changes", () => {
    const b = build("put");
    const logFile = join(b.dir, "log");
    const log = fs.readFileSync(logFile);
    log[b.lastFrame + 40] = log[b.lastFrame + 40]! ^ 2;
    fs.writeFileSync(logFile, log);
    const blocks = blocksOf(filesOf(b.dir));
    const r = repairStore(b.dir);
    expect(r.opens).toBe(true);
    expect(r.actions[0]).toMatch(new RegExp(`^moved log bytes ${b.lastFrame}\\.\\.${log.length - 1} `));
    const moved = join(
      b.dir,
      "recovered",
      `log-damaged-from-byte-${b.lastFrame}-${log.length - b.lastFrame}-bytes`,
    );
    expect(fs.readFileSync(moved)).toEqual(log.subarray(b.lastFrame));
    expect(fs.readFileSync(logFile)).toEqual(log.subarray(0, b.lastFrame));
    expect(blocksOf(filesOf(b.dir))).toEqual(blocks);
    const s = openDiskStore(b.dir);
    expect(observe(s)).toEqual(b.before);
    s.close();
  });

  it("[STO-REC-003] repair of a short block rolls back to the last record whose bytes are all there; a PUT after it is appended at the block's real end and reads back after a reopen", () => {
    const b = build("put");
    const last = join(b.dir, "blocks", fs.readdirSync(join(b.dir, "blocks")).sort().at(-1)!);
    fs.truncateSync(last, fs.statSync(last).size - 10);
    const size = fs.statSync(last).size;
    const r = repairStore(b.dir);
    expect(r.opens).toBe(true);
    expect(r.actions[0]).toContain("needs-missing-block-bytes");
    expect(fs.statSync(last).size).toBe(size);
    const s = openDiskStore(b.dir, { blockLimit: 1 << 20 });
    expect(errorOf(() => s.get(KEYS[4]!))?.code).toBe("STORE_NOT_FOUND");
    const p = s.put(text("after the repair"));
    expect(p.location.offset).toBe(BigInt(size));
    s.close();
    const t = openDiskStore(b.dir);
    expect(t.get(p.key)).toEqual(text("after the repair"));
    for (const k of KEYS.slice(1, 4)) expect(errorOf(() => t.get(k))).toBeUndefined();
    t.close();
  });

  it("[STO-REC-001] repair writes a mismatched or missing snapshot file again from the log, keeping the old one in recovered/", () => {
    const b = build("put");
    const snap = fs.readdirSync(join(b.dir, "snapshots"))[0]!;
    const file = join(b.dir, "snapshots", snap);
    const good = fs.readFileSync(file);
    const bad = Buffer.from(good);
    bad[30] = bad[30]! ^ 1;
    fs.writeFileSync(file, bad);
    const r = repairStore(b.dir);
    expect(r.opens).toBe(true);
    expect(fs.readFileSync(file)).toEqual(good);
    expect(
      fs.readFileSync(join(b.dir, "recovered", `snapshot-${snap.slice(0, 64)}-mismatched.snap`)),
    ).toEqual(bad);
    fs.rmSync(file);
    expect(repairStore(b.dir).opens).toBe(true);
    expect(fs.readFileSync(file)).toEqual(good);
  });

  it("[STO-REC-001] repair refuses a missing log next to block bytes and changes nothing; with no block or snapshot byte anywhere it writes a new log", () => {
    const b = build("put");
    fs.rmSync(join(b.dir, "log"));
    const before = asObject(filesOf(b.dir));
    const r = repairStore(b.dir);
    expect(r.opens).toBe(false);
    expect(r.actions).toEqual([]);
    expect(r.left[0]).toMatch(/cannot rebuild a log from block files/);
    expect(asObject(filesOf(b.dir))).toEqual(before);

    const empty = tempDir();
    openDiskStore(empty).close();
    fs.writeFileSync(join(empty, "log"), "");
    expect(errorOf(() => openDiskStore(empty))?.code).toBe("STORE_CORRUPT_LOG");
    const r2 = repairStore(empty);
    expect(r2.opens).toBe(true);
    expect(r2.actions.at(-1)).toMatch(/^wrote a new log \(header only\)/);
  });

  it("[STO-REC-001][STO-REC-002] check reports entries, snapshots, blocks with their sizes and every problem with file and offset; the CLI exits 0 healthy, 1 damaged, 2 unreadable, and repair exits 0 when the store opens", () => {
    const b = build("put");
    const c = checkStore(b.dir);
    expect(c.status).toBe("healthy");
    expect(c.current?.position).toBe(6);
    expect(c.snapshots.map((s) => s.position)).toEqual([0, 4]);
    expect(c.blocks.map((x) => x.size)).toEqual(
      fs
        .readdirSync(join(b.dir, "blocks"))
        .sort()
        .map((f) => fs.statSync(join(b.dir, "blocks", f)).size),
    );
    expect(c.artifactsVerified).toBe(5);
    expect(c.problems).toEqual([]);

    // Bytes that do not hash to their key: found by check (which reads everything), not by reopen.
    const first = join(b.dir, "blocks", "0000000000000000.blk");
    const bytes = fs.readFileSync(first);
    bytes[2] = bytes[2]! ^ 1;
    fs.writeFileSync(first, bytes);
    const d = checkStore(b.dir);
    expect(d.status).toBe("damaged");
    expect(d.problems.map((p) => [p.code, p.file, p.offset])).toEqual([["STORE_CORRUPT_BLOCK", first, 0]]);

    const ok = cli(["store", "check", tempDirWithStore()]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/: healthy\n/);
    const bad = cli(["store", "check", b.dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`STORE_CORRUPT_BLOCK ${first} at byte offset 0`);
    expect(cli(["store", "check", join(b.dir, "no-such-dir")]).code).toBe(2);

    const log = join(b.dir, "log");
    fs.appendFileSync(log, Buffer.from([0x41, 0x53]));
    const fixed = cli(["store", "repair", b.dir]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain("moved the torn tail (header cut short, 2 bytes");
    expect(fixed.stdout).toContain("the store opens");
  });
});

function tempDirWithStore(): string {
  const d = tempDir();
  const s = openDiskStore(d);
  s.put(text("x"));
  s.close();
  return d;
}
