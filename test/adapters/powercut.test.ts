// The power-cut simulation (adapters/powercut, DEC-040): small programs in Python and in Node make
// changes under a data directory, some made durable (fsync, fdatasync, a directory fsync, O_DSYNC,
// sync(), msync) and some not, announce "ready", and are SIGKILLed with their process group; powerCut
// must then leave exactly the durable state. Without gcc the simulation tests are skipped with the reason;
// with CI set, the missing interposer is a failure.
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { containment } from "../../adapters/contain.ts";
import {
  buildPowercut,
  powerCut,
  powercutAvailable,
  powercutEnv,
  preparePowercut,
} from "../../adapters/powercut/powercut.ts";
import { REPO_ROOT } from "../../catalog/paths.ts";
import { openDiskStore } from "../../reference/store/index.ts";

const avail = powercutAvailable();
if (!avail.ok) console.warn(`power cut tests skipped: ${avail.reason}`);
const scratch = mkdtempSync(join(tmpdir(), "asl-powercut-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
function dirs(): { data: string; shadow: string } {
  const base = join(scratch, `case-${n++}`);
  mkdirSync(join(base, "data"), { recursive: true });
  return { data: join(base, "data"), shadow: join(base, "shadow") };
}

/** Every path under dir: a file's content as text, a directory as "<dir>". */
function tree(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const rel = prefix + name;
    if (statSync(p).isDirectory()) {
      out[rel] = "<dir>";
      Object.assign(out, tree(p, `${rel}/`));
    } else out[rel] = readFileSync(p, "utf8");
  }
  return out;
}

/** Starts a program in its own process group under the interposer, waits for its "ready" line, then
 *  SIGKILLs the group (the implementation's fate in a durability schedule). */
async function runAndKill(
  argv: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ out: string; err: string }> {
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => {
    err += d;
  });
  const exited = new Promise<void>((res) => child.on("exit", () => res()));
  await new Promise<void>((res, rej) => {
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("ready\n")) res();
    });
    child.on("exit", (code) => rej(new Error(`program exited (${code}) before ready: ${err}`)));
  });
  process.kill(-child.pid!, "SIGKILL");
  await exited;
  return { out, err };
}

/** The layout every scenario starts from, recorded as durable. */
function seed(data: string): void {
  writeFileSync(join(data, "kept.txt"), "old kept\n");
  writeFileSync(join(data, "lost.txt"), "old lost\n");
  writeFileSync(join(data, "log.txt"), "L0\n");
  for (const d of ["a", "b", "c", "d", "e", "f", "g"]) mkdirSync(join(data, d));
  writeFileSync(join(data, "c/x.txt"), "x content\n");
  writeFileSync(join(data, "d/u.txt"), "u content\n");
  writeFileSync(join(data, "e/x.txt"), "e content\n");
}

// The same steps in both languages; g/ is written by four concurrent fsyncs (Python threads; Node's
// asynchronous fs, which fsyncs from libuv's thread pool).
const PYTHON = String.raw`
import os, sys, threading, time
d = sys.argv[1]
P = lambda rel: os.path.join(d, rel)
def put(rel, data, sync=False, mode="wb"):
    with open(P(rel), mode) as f:
        f.write(data); f.flush()
        if sync: os.fsync(f.fileno())
def syncdir(rel):
    fd = os.open(P(rel), os.O_RDONLY); os.fsync(fd); os.close(fd)
put("kept.txt", b"new kept\n", sync=True)
put("lost.txt", b"new lost, longer\n")
with open(P("log.txt"), "ab") as f:
    f.write(b"L1\n"); f.flush(); os.fdatasync(f.fileno())
    f.write(b"L2\n"); f.flush()
put("a/new.txt", b"an entry never made durable\n", sync=True)
put("b/new.txt", b"durable\n", sync=True); syncdir("b")
os.rename(P("c/x.txt"), P("c/y.txt"))
os.unlink(P("d/u.txt"))
os.rename(P("e/x.txt"), P("e/y.txt")); syncdir("e")
put("f/empty.txt", b"content never synced\n"); syncdir("f")
ts = [threading.Thread(target=put, args=("g/t%d.txt" % i, b"thread %d\n" % i, True)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
syncdir("g")
print("ready", flush=True)
time.sleep(600)
`;

const NODE = String.raw`
const fs = require("node:fs");
const path = require("node:path");
const d = process.argv[2];
const P = (rel) => path.join(d, rel);
function put(rel, data, sync) {
  const fd = fs.openSync(P(rel), "w");
  fs.writeSync(fd, data);
  if (sync) fs.fsyncSync(fd);
  fs.closeSync(fd);
}
function syncdir(rel) { const fd = fs.openSync(P(rel), "r"); fs.fsyncSync(fd); fs.closeSync(fd); }
put("kept.txt", "new kept\n", true);
put("lost.txt", "new lost, longer\n", false);
const log = fs.openSync(P("log.txt"), "a");
fs.writeSync(log, "L1\n"); fs.fdatasyncSync(log); fs.writeSync(log, "L2\n");
put("a/new.txt", "an entry never made durable\n", true);
put("b/new.txt", "durable\n", true); syncdir("b");
fs.renameSync(P("c/x.txt"), P("c/y.txt"));
fs.unlinkSync(P("d/u.txt"));
fs.renameSync(P("e/x.txt"), P("e/y.txt")); syncdir("e");
put("f/empty.txt", "content never synced\n", false); syncdir("f");
const asyncPut = (i) => new Promise((res, rej) => fs.open(P("g/t" + i + ".txt"), "w", (e, fd) => {
  if (e) return rej(e);
  fs.write(fd, "thread " + i + "\n", (e2) => {
    if (e2) return rej(e2);
    fs.fsync(fd, (e3) => (e3 ? rej(e3) : fs.close(fd, () => res())));
  });
}));
Promise.all([0, 1, 2, 3].map(asyncPut)).then(() => {
  syncdir("g");
  process.stdout.write("ready\n");
  setTimeout(() => {}, 600000);
});
`;

const EXPECTED = {
  a: "<dir>",
  b: "<dir>",
  "b/new.txt": "durable\n",
  c: "<dir>",
  "c/x.txt": "x content\n",
  d: "<dir>",
  "d/u.txt": "u content\n",
  e: "<dir>",
  "e/y.txt": "e content\n",
  f: "<dir>",
  "f/empty.txt": "",
  g: "<dir>",
  "g/t0.txt": "thread 0\n",
  "g/t1.txt": "thread 1\n",
  "g/t2.txt": "thread 2\n",
  "g/t3.txt": "thread 3\n",
  "kept.txt": "new kept\n",
  "log.txt": "L0\nL1\n",
  "lost.txt": "old lost\n",
};

// What the cut discards: lost.txt's whole new content (it differs from the first byte), log.txt's
// unsynced "L2\n", f/empty.txt's content (its entry was durable, its content never was); a/new.txt and
// c/y.txt removed with their bytes; c/x.txt and d/u.txt made again.
const DISCARDED =
  "new lost, longer\n".length +
  "L2\n".length +
  "content never synced\n".length +
  "an entry never made durable\n".length +
  "x content\n".length;

/** The scenario program for `data`, written beside it (never inside it). */
function program(lang: "python" | "node", data: string): string[] {
  const file = join(data, "..", lang === "python" ? "prog.py" : "prog.cjs");
  writeFileSync(file, lang === "python" ? PYTHON : NODE);
  return [lang === "python" ? "python3" : process.execPath, file, data];
}

describe("power cut", () => {
  it("has the interposer built (required where CI is set)", (ctx) => {
    if (!avail.ok && !process.env.CI) ctx.skip(`power cut unavailable: ${avail.reason}`);
    expect(avail).toEqual({ ok: true });
  });

  describe.skipIf(!avail.ok)("rolls back what was not made durable", () => {
    for (const lang of ["python", "node"] as const)
      it(`${lang}: unsynced writes, entries without a directory fsync, renames and unlinks revert; synced ones stay`, async () => {
        const { data, shadow } = dirs();
        seed(data);
        await preparePowercut(data, shadow);
        const { err: stderr } = await runAndKill(program(lang, data), powercutEnv(data, shadow));
        expect(stderr).toBe("");
        // Before the cut the page cache still has everything (what kill -9 alone leaves).
        expect(tree(data)["lost.txt"]).toBe("new lost, longer\n");
        expect(existsSync(join(data, "a/new.txt"))).toBe(true);
        const summary = await powerCut(data, shadow);
        expect(tree(data)).toEqual(EXPECTED);
        expect(summary).toEqual({
          filesRolledBack: 3,
          bytesDiscarded: DISCARDED,
          entriesRemoved: 2,
          entriesRestored: 2,
        });
      });

    it("holds a program just before its N-th sync under the data directory when SHADOW/hold says N, so that sync's bytes are lost to the cut", async () => {
      for (const holdAt of [1, 2]) {
        const { data, shadow } = dirs();
        seed(data);
        await preparePowercut(data, shadow);
        writeFileSync(join(shadow, "hold"), `${holdAt}\n`);
        // Two synced appends; "ready" only after both (a held program never prints it).
        const prog = String.raw`
import os, sys, time
d = sys.argv[1]
with open(os.path.join(d, "log.txt"), "ab") as f:
    f.write(b"L1\n"); f.flush(); os.fdatasync(f.fileno())
    f.write(b"L2\n"); f.flush(); os.fsync(f.fileno())
print("ready", flush=True); time.sleep(600)
`;
        const child = spawn("python3", ["-c", prog, data], {
          env: { ...process.env, ...powercutEnv(data, shadow) },
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout!.on("data", (d) => {
          out += d;
        });
        const exited = new Promise<void>((res) => child.on("exit", () => res()));
        const until = Date.now() + 10_000;
        while (readFileSync(join(shadow, "hold"), "utf8") !== "held\n" && Date.now() < until)
          await new Promise((r) => setTimeout(r, 5));
        expect(readFileSync(join(shadow, "hold"), "utf8"), `hold at ${holdAt}`).toBe("held\n");
        expect(out, `hold at ${holdAt}: stopped before it could finish`).toBe("");
        // Both writes reached the page cache before the held sync (the second only when holding at 2).
        expect(tree(data)["log.txt"]).toBe(holdAt === 1 ? "L0\nL1\n" : "L0\nL1\nL2\n");
        process.kill(-child.pid!, "SIGKILL");
        await exited;
        rmSync(join(shadow, "hold"));
        await powerCut(data, shadow);
        // The held sync never ran: its bytes are gone; the sync before it (holding at 2) kept L1.
        expect(tree(data)["log.txt"], `hold at ${holdAt}`).toBe(holdAt === 1 ? "L0\n" : "L0\nL1\n");
      }
    });

    it("never changes what a program writes: with the interposer, the files left before the cut are those a run without it leaves", async () => {
      for (const lang of ["python", "node"] as const) {
        const plain = dirs();
        seed(plain.data);
        await runAndKill(program(lang, plain.data), {});
        const watched = dirs();
        seed(watched.data);
        await preparePowercut(watched.data, watched.shadow);
        await runAndKill(program(lang, watched.data), powercutEnv(watched.data, watched.shadow));
        expect(tree(watched.data), lang).toEqual(tree(plain.data));
        expect(tree(watched.data)["lost.txt"], lang).toBe("new lost, longer\n");
      }
    });

    it("repeats: after a cut the rolled-back state is the durable one, and a second run and cut work without preparing again", async () => {
      const { data, shadow } = dirs();
      seed(data);
      await preparePowercut(data, shadow);
      const env = powercutEnv(data, shadow);
      await runAndKill(program("python", data), env);
      await powerCut(data, shadow);
      const second = String.raw`
import os, sys, time
d = sys.argv[1]
with open(os.path.join(d, "kept.txt"), "ab") as f: f.write(b"unsynced\n")
os.rename(os.path.join(d, "b/new.txt"), os.path.join(d, "b/moved.txt"))
print("ready", flush=True); time.sleep(600)
`;
      writeFileSync(join(data, "../second.py"), second);
      await runAndKill(["python3", join(data, "../second.py"), data], env);
      const summary = await powerCut(data, shadow);
      expect(tree(data)).toEqual(EXPECTED);
      expect(summary).toEqual({
        filesRolledBack: 1,
        bytesDiscarded: "unsynced\n".length + "durable\n".length,
        entriesRemoved: 1,
        entriesRestored: 1,
      });
    });

    it("python: sync() makes everything durable; later, an O_DSYNC write and pwrite make exactly their bytes durable", async () => {
      const { data, shadow } = dirs();
      writeFileSync(join(data, "dsync.txt"), "D0\n");
      mkdirSync(join(data, "s"));
      await preparePowercut(data, shadow);
      const prog = String.raw`
import os, sys, time
d = sys.argv[1]
P = lambda rel: os.path.join(d, rel)
os.makedirs(P("s/deep/er"))
with open(P("s/deep/er/before-sync.txt"), "wb") as f: f.write(b"made durable by sync()\n")
with open(P("dsync.txt"), "ab") as f: f.write(b"S\n")
os.sync()
with open(P("s/after-sync.txt"), "wb") as f: f.write(b"after sync()\n")
fd = os.open(P("dsync.txt"), os.O_WRONLY | os.O_APPEND | os.O_DSYNC)
os.write(fd, b"D1\n")
os.close(fd)
fd = os.open(P("dsync.txt"), os.O_WRONLY | os.O_DSYNC)
os.pwrite(fd, b"d", 0)
os.close(fd)
with open(P("dsync.txt"), "ab") as f: f.write(b"D2 not synced\n")
print("ready", flush=True); time.sleep(600)
`;
      writeFileSync(join(data, "../prog.py"), prog);
      expect(
        (await runAndKill(["python3", join(data, "../prog.py"), data], powercutEnv(data, shadow))).err,
      ).toBe("");
      await powerCut(data, shadow);
      expect(tree(data)).toEqual({
        "dsync.txt": "d0\nS\nD1\n",
        s: "<dir>",
        "s/deep": "<dir>",
        "s/deep/er": "<dir>",
        "s/deep/er/before-sync.txt": "made durable by sync()\n",
      });
    });

    it("python: syncfs() and pwritev2 with RWF_DSYNC are seen; an fsync made as a raw system call is not (a documented limit)", async () => {
      const { data, shadow } = dirs();
      for (const f of ["rwf.txt", "raw.txt", "fs.txt"]) writeFileSync(join(data, f), "0\n");
      await preparePowercut(data, shadow);
      const prog = String.raw`
import ctypes, os, platform, sys, time
d = sys.argv[1]
P = lambda rel: os.path.join(d, rel)
libc = ctypes.CDLL(None, use_errno=True)
with open(P("fs.txt"), "ab") as f:
    f.write(b"syncfs\n"); f.flush()
    assert libc.syncfs(f.fileno()) == 0
with open(P("fs.txt"), "ab") as f: f.write(b"after\n")
fd = os.open(P("rwf.txt"), os.O_WRONLY)
os.pwritev(fd, [b"R\n"], 2, os.RWF_DSYNC)
os.pwritev(fd, [b"lost\n"], 4)
os.close(fd)
SYS_fsync = {"x86_64": 74, "aarch64": 82}[platform.machine()]
with open(P("raw.txt"), "ab") as f:
    f.write(b"raw\n"); f.flush()
    assert libc.syscall(SYS_fsync, f.fileno()) == 0
print("ready", flush=True); time.sleep(600)
`;
      writeFileSync(join(data, "../calls.py"), prog);
      expect(
        (await runAndKill(["python3", join(data, "../calls.py"), data], powercutEnv(data, shadow))).err,
      ).toBe("");
      await powerCut(data, shadow);
      expect(tree(data)).toEqual({ "fs.txt": "0\nsyncfs\n", "raw.txt": "0\n", "rwf.txt": "0\nR\n" });
    });

    it("python: msync of one page keeps that page, not the other", async () => {
      const { data, shadow } = dirs();
      writeFileSync(join(data, "map.bin"), Buffer.alloc(8192, 0x2e));
      await preparePowercut(data, shadow);
      const prog = `
import mmap, os, sys, time
d = sys.argv[1]
with open(os.path.join(d, "map.bin"), "r+b") as f:
    m = mmap.mmap(f.fileno(), 8192)
    m[0:4] = b"SYNC"; m.flush(0, 4096)
    m[4096:4100] = b"LOST"
print("ready", flush=True); time.sleep(600)
`;
      writeFileSync(join(data, "../msync.py"), prog);
      await runAndKill(["python3", join(data, "../msync.py"), data], powercutEnv(data, shadow));
      expect(readFileSync(join(data, "map.bin")).subarray(4096, 4100).toString()).toBe("LOST");
      await powerCut(data, shadow);
      const bytes = readFileSync(join(data, "map.bin"));
      expect(bytes.subarray(0, 4).toString()).toBe("SYNC");
      expect(bytes.subarray(4096, 4100).toString()).toBe("....");
      expect(bytes.length).toBe(8192);
    });

    it("python: hard links, symbolic links, a name that is not UTF-8 and permissions come back as recorded", async () => {
      const { data, shadow } = dirs();
      writeFileSync(join(data, "h1"), "one\n");
      writeFileSync(join(data, "ro.txt"), "read only\n", { mode: 0o640 });
      chmodSync(join(data, "ro.txt"), 0o640);
      await preparePowercut(data, shadow);
      const prog = String.raw`
import os, sys, time
d = os.fsencode(sys.argv[1])
P = lambda rel: os.path.join(d, rel)
os.link(P(b"h1"), P(b"h2"))
os.symlink(b"h1", P(b"durable-link"))
odd = P(b"caf\xe9-\xff.bin")
with open(odd, "wb") as f: f.write(b"odd\n"); f.flush(); os.fsync(f.fileno())
fd = os.open(d, os.O_RDONLY); os.fsync(fd); os.close(fd)
os.symlink(b"h1", P(b"lost-link"))
with open(P(b"h2"), "ab") as f: f.write(b"two\n"); f.flush(); os.fsync(f.fileno())
os.unlink(P(b"ro.txt"))
print("ready", flush=True); time.sleep(600)
`;
      writeFileSync(join(data, "../links.py"), prog);
      expect(
        (await runAndKill(["python3", join(data, "../links.py"), data], powercutEnv(data, shadow))).err,
      ).toBe("");
      const summary = await powerCut(data, shadow);
      const names = readdirSync(data, { encoding: "buffer" })
        .map((b) => b.toString("latin1"))
        .sort();
      expect(names).toEqual(["caf\xe9-\xff.bin", "durable-link", "h1", "h2", "ro.txt"]);
      expect(readFileSync(join(data, "h1"), "utf8")).toBe("one\ntwo\n");
      expect(statSync(join(data, "h2")).ino).toBe(statSync(join(data, "h1")).ino);
      expect(readlinkSync(join(data, "durable-link"))).toBe("h1");
      expect(
        readFileSync(
          Buffer.concat([Buffer.from(`${data}/`), Buffer.from("caf\xe9-\xff.bin", "latin1")]),
          "utf8",
        ),
      ).toBe("odd\n");
      expect(readFileSync(join(data, "ro.txt"), "utf8")).toBe("read only\n");
      expect(statSync(join(data, "ro.txt")).mode & 0o777).toBe(0o640);
      expect(summary).toEqual({
        filesRolledBack: 0,
        bytesDiscarded: 0,
        entriesRemoved: 1,
        entriesRestored: 1,
      });
    });

    it("works under the harness's containment (a PID namespace where the machine allows one)", async () => {
      const { data, shadow } = dirs();
      seed(data);
      await preparePowercut(data, shadow);
      const argv = containment().argv(
        program("python", data)
          .map((a) => `'${a}'`)
          .join(" "),
      );
      expect((await runAndKill(argv, powercutEnv(data, shadow))).err).toBe("");
      await powerCut(data, shadow);
      expect(tree(data)).toEqual(EXPECTED);
    });

    it("torn tails: a seed decides, per file, whether unsynced appended bytes are lost, cut, zeroed or kept; the same seed gives the same cut", async () => {
      const prog = `
import os, sys, time
d = sys.argv[1]
for i in range(16):
    with open(os.path.join(d, "log%02d" % i), "ab") as f:
        f.write(b"synced %02d|" % i); f.flush(); os.fsync(f.fileno())
        f.write(b"unsynced tail of file %02d" % i); f.flush()
with open(os.path.join(d, "overwritten"), "r+b") as f: f.write(b"NEW")
with open(os.path.join(d, "replaced.tmp"), "wb") as f:
    f.write(b"base|and more"); f.flush(); os.fsync(f.fileno())
os.rename(os.path.join(d, "replaced.tmp"), os.path.join(d, "replaced"))
print("ready", flush=True); time.sleep(600)
`;
      const cut = async () => {
        const { data, shadow } = dirs();
        for (let i = 0; i < 16; i++) writeFileSync(join(data, `log${String(i).padStart(2, "0")}`), "");
        writeFileSync(join(data, "overwritten"), "old content\n");
        writeFileSync(join(data, "replaced"), "base|");
        await preparePowercut(data, shadow);
        writeFileSync(join(data, "../torn.py"), prog);
        await runAndKill(["python3", join(data, "../torn.py"), data], powercutEnv(data, shadow));
        return { data, summary: await powerCut(data, shadow, { tails: "torn", seed: 7 }) };
      };
      const { data, summary } = await cut();
      const tails = summary.tails ?? [];
      expect(tails.map((t) => t.file).sort()).toEqual(
        Array.from({ length: 16 }, (_, i) => `log${String(i).padStart(2, "0")}`),
      );
      expect(new Set(tails.map((t) => t.shape))).toEqual(new Set(["lost", "prefix", "zeros", "kept"]));
      for (const t of tails) {
        const i = t.file.slice(3);
        const synced = `synced ${i}|`;
        const unsynced = `unsynced tail of file ${i}`;
        expect(t.unsyncedBytes).toBe(unsynced.length);
        const want =
          t.shape === "zeros"
            ? synced + "\0".repeat(unsynced.length)
            : synced + unsynced.slice(0, t.keptBytes);
        expect(readFileSync(join(data, t.file), "utf8"), t.file).toBe(want);
        if (t.shape === "prefix") expect(t.keptBytes).toBeGreaterThan(0);
        if (t.shape === "prefix") expect(t.keptBytes).toBeLessThan(unsynced.length);
      }
      // An overwrite in place is not an append, and a file renamed over another without a directory fsync
      // is another file: both rolled back whole.
      expect(readFileSync(join(data, "overwritten"), "utf8")).toBe("old content\n");
      expect(readFileSync(join(data, "replaced"), "utf8")).toBe("base|");
      expect((await cut()).summary).toEqual(summary);
    });

    // What the cut is for: a store that acknowledges before it fdatasyncs (the reference disk store with
    // sync "batch") keeps every acknowledged PUT through a SIGKILL, and loses them through a power cut; with
    // sync "always" it keeps them through both.
    for (const sync of ["always", "batch"] as const)
      it(`the reference disk store with sync "${sync}": acknowledged PUTs after SIGKILL alone, and after a power cut`, async () => {
        const child = join(scratch, `store-${sync}.mts`);
        writeFileSync(
          child,
          `import { writeSync } from "node:fs";
import { openDiskStore } from ${JSON.stringify(join(REPO_ROOT, "reference/store/index.ts"))};
const store = openDiskStore(process.argv[2], { sync: ${JSON.stringify(sync)} });
for (let i = 0; i < 100; i++) writeSync(1, store.put(new TextEncoder().encode("value " + i)).key + "\\n");
writeSync(1, "ready\\n");
setInterval(() => {}, 1000);
`,
        );
        const readable = (data: string, keys: string[]) => {
          const store = openDiskStore(data, {});
          const n = keys.filter((k) => {
            try {
              return store.get(k) !== undefined;
            } catch {
              return false;
            }
          }).length;
          store.close();
          return n;
        };
        const acked = async (data: string, env: Record<string, string>) => {
          const { out } = await runAndKill(
            [process.execPath, "--import", "tsx", child, data],
            env,
            REPO_ROOT,
          );
          return out.split("\n").filter((l) => /^[0-9a-f]{64}$/.test(l));
        };
        const killed = dirs();
        const keysKilled = await acked(killed.data, {});
        expect(keysKilled.length).toBe(100);
        expect(readable(killed.data, keysKilled)).toBe(100);
        const cut = dirs();
        await preparePowercut(cut.data, cut.shadow);
        const keysCut = await acked(cut.data, powercutEnv(cut.data, cut.shadow));
        expect(keysCut.length).toBe(100);
        await powerCut(cut.data, cut.shadow);
        expect(readable(cut.data, keysCut)).toBe(sync === "always" ? 100 : 0);
      });

    it("fails a sync it cannot record with EIO and says why on stderr, rather than letting it count as durable", async () => {
      const { data, shadow } = dirs();
      await preparePowercut(data, shadow);
      rmSync(join(shadow, "files"), { recursive: true });
      writeFileSync(join(shadow, "files"), "not a folder");
      const prog = `
import errno, os, sys, time
d = sys.argv[1]
with open(os.path.join(d, "f.txt"), "wb") as f:
    f.write(b"x"); f.flush()
    try:
        os.fsync(f.fileno()); print("synced", flush=True)
    except OSError as e:
        print("fsync failed: " + errno.errorcode[e.errno], flush=True)
print("ready", flush=True); time.sleep(600)
`;
      writeFileSync(join(data, "../eio.py"), prog);
      const child = spawn("python3", [join(data, "../eio.py"), data], {
        env: { ...process.env, ...powercutEnv(data, shadow) },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let out = "";
      let err = "";
      child.stderr!.on("data", (d) => {
        err += d;
      });
      await new Promise<void>((res) =>
        child.stdout!.on("data", (d) => {
          out += d;
          if (out.includes("ready\n")) res();
        }),
      );
      process.kill(-child.pid!, "SIGKILL");
      expect(out).toContain("fsync failed: EIO");
      expect(err).toMatch(/asl-powercut: could not record a file's content .*Not a directory/);
    });

    it("passes through when the variables are absent: the program's files are exactly what it wrote, nothing is recorded", async () => {
      const { data, shadow } = dirs();
      writeFileSync(join(data, "f.txt"), "before\n");
      await preparePowercut(data, shadow);
      const recorded = tree(shadow);
      const { LD_PRELOAD } = powercutEnv(data, shadow);
      const prog = String.raw`
import os, sys, time
d = sys.argv[1]
with open(os.path.join(d, "f.txt"), "wb") as f:
    f.write(b"after\n"); f.flush(); os.fsync(f.fileno())
fd = os.open(d, os.O_RDONLY); os.fsync(fd); os.close(fd)
print("ready", flush=True); time.sleep(600)
`;
      writeFileSync(join(data, "../plain.py"), prog);
      await runAndKill(["python3", join(data, "../plain.py"), data], { LD_PRELOAD: LD_PRELOAD! });
      expect(tree(shadow)).toEqual(recorded);
      expect(readFileSync(join(data, "f.txt"), "utf8")).toBe("after\n");
    });

    it("merges an existing LD_PRELOAD instead of replacing it", () => {
      const { data, shadow } = dirs();
      const before = process.env.LD_PRELOAD;
      process.env.LD_PRELOAD = "/opt/other/libother.so";
      try {
        const env = powercutEnv(data, shadow);
        expect(env.LD_PRELOAD!.split(":")).toEqual([
          expect.stringMatching(/libasl-powercut\.so$/),
          "/opt/other/libother.so",
        ]);
        expect(env.ASL_POWERCUT_DATA).toBe(data);
        expect(env.ASL_POWERCUT_SHADOW).toBe(shadow);
      } finally {
        if (before === undefined) delete process.env.LD_PRELOAD;
        else process.env.LD_PRELOAD = before;
      }
    });

    it("refuses a shadow directory inside the data directory, a cut with no record or no data directory; prepare makes a missing one", async () => {
      const { data, shadow } = dirs();
      await expect(preparePowercut(data, join(data, "shadow"))).rejects.toThrow(
        /must not contain each other/,
      );
      await expect(powerCut(data, shadow)).rejects.toThrow(/holds no record .*preparePowercut first/);
      await expect(powerCut(join(data, "absent"), shadow)).rejects.toThrow(/data directory .*absent: ENOENT/);
      // Preparing makes a data directory that is not there yet, and records it empty.
      await preparePowercut(join(data, "fresh"), shadow);
      expect(readdirSync(join(data, "fresh"))).toEqual([]);
    });
  });

  it("names what is missing: no compiler, or the first error line of a failed build", () => {
    const cacheRoot = join(scratch, "build-cache");
    const noCc = buildPowercut({ cc: "no-such-cc-for-asl", cacheRoot });
    expect(noCc.ok).toBe(false);
    if (!noCc.ok) expect(noCc.reason).toMatch(/no-such-cc-for-asl not found/);
    if (!avail.ok) return;
    const broken = buildPowercut({ source: "int broken = ;\n", cacheRoot });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.reason).toMatch(/failed to build .*error/);
  });
});
