// The embedded on-disk store: reopen equivalence, torn-tail recovery, damage detection, durability.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { AslError } from "../../../reference/common/errors.ts";
import { sha256, toHex } from "../../../reference/common/hash.ts";
import { openDiskStore, type Store } from "../../../reference/store/index.ts";
import { Model } from "./model.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "asl-disk-test-"));
  dirs.push(d);
  return d;
}
const text = (s: string) => new TextEncoder().encode(s);
const errorOf = (f: () => unknown): AslError | undefined => {
  try {
    f();
  } catch (e) {
    return e as AslError;
  }
  return undefined;
};
const BYTES = Array.from({ length: 5 }, (_, i) => text(`artifact number ${i}`));
const KEYS = BYTES.map((b) => toHex(sha256(b)));

interface Real {
  store: Store;
  dir: string;
}
type Cmd = fc.Command<Model, Real>;

/** Everything observable: CURRENT, every snapshot, every GET and digest at every retained state. */
function observe(s: Store): unknown {
  const out: unknown[] = [s.current(), s.listSnapshots()];
  for (const snap of s.listSnapshots()) {
    if (snap.retired) continue;
    const last = snap.onCurrentLine ? s.current().position : snap.position;
    for (let p = snap.position; p <= last; p++) {
      const at = { snapshot: snap.id, position: p };
      out.push(
        s.digest(at),
        KEYS.map((k) => errorOf(() => s.get(k, at))?.code ?? toHex(s.get(k, at))),
      );
    }
  }
  return out;
}

class Put implements Cmd {
  constructor(readonly i: number) {}
  check = () => true;
  run(m: Model, r: Real) {
    const res = r.store.put(BYTES[this.i]!);
    expect(res.created).toBe(!m.now.has(KEYS[this.i]!));
    if (res.created) expect(res.position).toBe(m.put(KEYS[this.i]!, { ...res.location, typeTag: undefined }));
  }
  toString = () => `put(${this.i})`;
}
class Tombstone implements Cmd {
  constructor(readonly i: number) {}
  check = () => true;
  run(m: Model, r: Real) {
    expect(r.store.tombstone(KEYS[this.i]!)).toBe(m.tombstone(KEYS[this.i]!));
  }
  toString = () => `tombstone(${this.i})`;
}
class Snap implements Cmd {
  check = () => true;
  run(m: Model, r: Real) {
    expect(r.store.snapshot()).toEqual(m.snapshot());
  }
  toString = () => "snapshot()";
}
class Install implements Cmd {
  constructor(readonly pick: number) {}
  check = () => true;
  run(m: Model, r: Real) {
    const ids = [...m.snaps.keys()];
    const id = ids[this.pick % ids.length]!;
    expect(errorOf(() => r.store.install(id))?.code).toBe(m.install(id));
  }
  toString = () => `install(#${this.pick})`;
}
class Retire implements Cmd {
  constructor(readonly pick: number) {}
  check = () => true;
  run(m: Model, r: Real) {
    const ids = [...m.snaps.keys()];
    const id = ids[this.pick % ids.length]!;
    expect(errorOf(() => r.store.retire(id))?.code).toBe(m.retire(id));
  }
  toString = () => `retire(#${this.pick})`;
}
class Reopen implements Cmd {
  check = () => true;
  run(_m: Model, r: Real) {
    const before = observe(r.store);
    r.store.close();
    r.store = openDiskStore(r.dir);
    expect(observe(r.store)).toEqual(before);
  }
  toString = () => "reopen()";
}

describe("disk store", () => {
  it("[STO-REC-001][STO-SNAP-001][STO-SNAP-002][STO-LOG-002] closing and reopening gives back the same CURRENT, snapshots, positions, digests and GETs", () => {
    const commands = [
      fc.nat(4).map((i) => new Put(i)),
      fc.nat(4).map((i) => new Tombstone(i)),
      fc.constant(new Snap()),
      fc.nat(10).map((p) => new Install(p)),
      fc.nat(10).map((p) => new Retire(p)),
      fc.constant(new Reopen()),
    ];
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 25 }), (cmds) => {
        const dir = tempDir();
        const real: Real = { store: openDiskStore(dir, { sync: "batch" }), dir };
        fc.modelRun(() => ({ model: new Model(), real }), cmds);
        new Reopen().run(new Model(), real);
        real.store.close();
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 40 },
    );
  });

  it("[STO-REC-002] a log cut at every byte offset of its last record reopens without exactly that entry", () => {
    const dir = tempDir();
    const s = openDiskStore(dir);
    s.put(BYTES[0]!);
    s.snapshot();
    s.put(BYTES[1]!);
    const before = { current: s.current(), digest: s.digest(), snapshots: s.listSnapshots() };
    const logBefore = statSync(join(dir, "log")).size;
    s.put(BYTES[2]!);
    s.close();
    const full = readFileSync(join(dir, "log"));
    const pristine = tempDir();
    cpSync(dir, pristine, { recursive: true });
    expect(full.length).toBeGreaterThan(logBefore);
    for (let cut = logBefore; cut < full.length; cut++) {
      rmSync(dir, { recursive: true });
      cpSync(pristine, dir, { recursive: true });
      writeFileSync(join(dir, "log"), full.subarray(0, cut));
      const r = openDiskStore(dir);
      expect(r.recovery.droppedLogBytes).toBe(cut - logBefore);
      expect({ current: r.current(), digest: r.digest(), snapshots: r.listSnapshots() }).toEqual(before);
      expect(errorOf(() => r.get(KEYS[2]!))?.code).toBe("STORE_NOT_FOUND");
      expect(r.get(KEYS[1]!)).toEqual(BYTES[1]);
      // The dropped PUT can be made again and lands where it would have.
      expect(r.put(BYTES[2]!).position).toBe(before.current.position);
      r.close();
    }
    // A zero-filled tail (size extended, data never written) is a torn tail too.
    writeFileSync(join(dir, "log"), Buffer.concat([full, Buffer.alloc(40)]));
    const z = openDiskStore(dir);
    expect(z.recovery.droppedLogBytes).toBe(40);
    expect(z.get(KEYS[2]!)).toEqual(BYTES[2]);
    z.close();
  });

  it("[STO-REC-001][STO-REC-002] damage before the tail is STORE_CORRUPT_LOG with the file and byte offset; a damaged snapshot file is STORE_CORRUPT_SNAPSHOT", () => {
    const dir = tempDir();
    const s = openDiskStore(dir);
    s.put(BYTES[0]!);
    const snap = s.snapshot();
    s.put(BYTES[1]!);
    s.close();
    const log = readFileSync(join(dir, "log"));
    const flipped = Buffer.from(log);
    // Inside the first PUT's payload: since DEC-038 the log begins with a 24-byte header frame, so the
    // first PUT frame starts at byte 24 (before, at 0).
    flipped[44] = flipped[44]! ^ 1;
    writeFileSync(join(dir, "log"), flipped);
    const e = errorOf(() => openDiskStore(dir));
    expect(e?.code).toBe("STORE_CORRUPT_LOG");
    expect(e?.message).toMatch(/log: put frame .* at byte offset 24$/);
    writeFileSync(join(dir, "log"), log);

    const snapFile = join(dir, "snapshots", `${snap.snapshot}.snap`);
    const sb = readFileSync(snapFile);
    const bad = Buffer.from(sb);
    bad[9] = bad[9]! ^ 1;
    writeFileSync(snapFile, bad);
    const e2 = errorOf(() => openDiskStore(dir));
    expect(e2?.code).toBe("STORE_CORRUPT_SNAPSHOT");
    expect(e2?.message).toContain(`${snap.snapshot}.snap`);
    rmSync(snapFile);
    expect(errorOf(() => openDiskStore(dir))?.code).toBe("STORE_CORRUPT_SNAPSHOT");
    writeFileSync(snapFile, sb);

    const block = join(dir, "blocks", readdirSync(join(dir, "blocks"))[0]!);
    const bb = readFileSync(block);
    bb[1] = bb[1]! ^ 0xff;
    writeFileSync(block, bb);
    const r = openDiskStore(dir);
    const e3 = errorOf(() => r.get(KEYS[0]!));
    expect(e3?.code).toBe("STORE_CORRUPT_BLOCK");
    expect(e3?.message).toMatch(/0000000000000000\.blk.*byte offset 0/);
    expect(r.get(KEYS[1]!)).toEqual(BYTES[1]);
    r.close();
  });

  it("[STO-REC-003] a PUT that returned survives SIGKILL of the process that made it", () => {
    const dir = tempDir();
    const child = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "crash-child.ts");
    const run = spawnSync(process.execPath, ["--import", "tsx", child, dir, "5"], {
      encoding: "utf8",
      cwd: join(dirname(fileURLToPath(import.meta.url)), "../../.."),
    });
    expect(run.signal).toBe("SIGKILL");
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(6);
    const s = openDiskStore(dir);
    for (const [i, key] of lines.slice(0, 5).entries()) expect(s.get(key)).toEqual(text(`durable ${i}`));
    expect(s.current().position).toBe(5);
    expect(s.listSnapshots().map((x) => x.position)).toEqual([0, 5]);
    s.close();
  });
});
