// crash/torn-tail: every torn tail one power cut can leave, each recovered in turn. The implementation
// runs under the power-cut interposer, makes a few acknowledged operations, and is stopped just before the
// first (then, in a second round, the second) sync of one more PUT, and killed: its files then hold bytes
// appended since their last sync. The cut to the durable state is made once; from it the check builds one
// directory per tail the power cut of DEC-040 can leave of each such file (none of the unsynced bytes,
// every prefix of them, all of them, or their length as zeros) and has one
// restarted process open each in turn (store.open moves a running implementation to another directory,
// DEC-041). Each must open, show every acknowledged operation and the in-flight PUT wholly applied or
// wholly absent (STO-REC-002, STO-REC-003), take a new PUT, and show it again after one more store.open.
// Before the sweep, recovery itself is crashed: one torn directory is opened under the interposer, the
// process held and killed before the k-th sync of that store.open (k = 1, 2, ...), and what it left opened
// again; so a recovery that cuts the log before its copy of the tail is durable, or cannot resume its own
// half-done work (a file already moved aside), is seen. And one torn directory is torn twice at the same
// place (recovered, a PUT of other bytes torn to the same length), so a recovery that names what it sets
// aside by offset and length alone must keep both.
// The crash checks' random cuts reach a handful of these tails per run; this sweeps them all (up to a
// budget of lengths per file, boundaries first). Not swept: a prefix followed by zeros up to the unsynced
// length (a size that reached the disk before part of its data). DEC-038 counts a complete-length record
// that fails its checksum as damage even when it ends in zeros, since a flipped bit looks the same, and
// DEC-040's power cut does not make that shape either.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { State } from "../../adapters/interface.ts";
import type { ProcessAdapter } from "../../adapters/process.ts";
import type { Finding, Launch } from "../checks/types.ts";
import {
  describeOp,
  diffs,
  expected,
  faultOf,
  observe,
  type PowerCut,
  request,
  type Status,
  sameBytes,
  scratchRoot,
  sleep,
  startImplementation,
  type Tally,
} from "./crash.ts";
import { keyOf, operationsOf, stream } from "./schedule.ts";

/** Tails tried per torn file: every length when the unsynced bytes are few, else both ends and a spread. */
const MAX_VARIANTS = 160;
/** A recovery is interrupted before each of its first syncs, up to this many. */
const MAX_RECOVERY_SYNCS = 6;

export interface TornVariant {
  /** The file torn, relative to the directory. */
  file: string;
  /** Bytes of the unsynced tail kept as written; or, with zeros, none of them but their length as zeros. */
  kept: number;
  zeros: boolean;
}

/** The tails of one file of `unsynced` appended bytes, in the order they are tried. */
export function tailsOf(file: string, unsynced: number): TornVariant[] {
  const out: TornVariant[] = [];
  const seen = new Set<string>();
  const add = (kept: number, zeros: boolean) => {
    if (kept < 0 || kept > unsynced || (zeros && kept !== 0)) return;
    const k = `${kept}/${zeros}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ file, kept, zeros });
  };
  add(0, true);
  add(0, false);
  add(unsynced, false);
  // Nearest an end first (1, u-1, 2, u-2, ...): a budget that cuts the sweep short keeps the boundaries.
  const lengths: number[] = [];
  for (let d = 1; d <= Math.floor(unsynced / 2); d++) lengths.push(d, unsynced - d);
  if (unsynced > MAX_VARIANTS) {
    lengths.length = 64;
    for (let j = 1; j < 32; j++) lengths.push(Math.round((unsynced * j) / 32));
  }
  for (const k of lengths) add(k, false);
  return out.slice(0, MAX_VARIANTS);
}

/** Every regular file under dir, relative path -> content. */
function contents(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) out.set(name, readFileSync(p));
    } catch {}
  }
  return out;
}

export interface TornResult {
  findings: Finding[];
  context: string;
  /** Torn directories recovered, of how many the sweep would make. */
  variants: number;
  of: number;
  /** False when the PUT made fewer syncs than the round stops it before (or answered first). */
  held: boolean;
  /** Recoveries killed before one of their syncs, and each opened again. */
  interrupted?: number;
  /** True when a directory was torn a second time at the same place and recovered again. */
  twice?: boolean;
  /** Time the sweep of torn directories took. */
  sweepMs?: number;
}

/**
 * One round: `syncs` is the sync of the in-flight PUT the process is stopped before (1 or 2). Throws
 * CrashFault on a fault of the implementation.
 */
export async function runTornRound(
  seed: number,
  syncs: number,
  launch: Launch,
  power: PowerCut,
  tally: Tally,
  sweepMs: number,
): Promise<TornResult> {
  const root = scratchRoot();
  const base = mkdtempSync(join(root, "asl-torn-"));
  const shadow = mkdtempSync(join(root, "asl-torn-shadow-"));
  const variantsDir = mkdtempSync(join(root, "asl-torn-variants-"));
  const s = { seed, index: 1000 + syncs, lives: [{ ops: 4, end: "at-write" as const, at: 0, write: syncs }] };
  const context = `seed ${seed}, round ${syncs}: 4 acknowledged operations, then a PUT stopped just before its ${syncs === 1 ? "first" : "second"} sync and killed; one recovery killed before each of its syncs in turn, then the directory recovered once per tail of each file it had appended to`;
  const found = (where: string, texts: string[], rule = "STO-REC-002"): TornResult => ({
    context,
    variants: 0,
    of: 0,
    held: true,
    findings: [
      { rules: [rule], message: `torn-tail round ${syncs}, ${where}: ${texts.slice(0, 4).join("; ")}` },
    ],
  });
  let impl: ProcessAdapter | undefined;
  const start = (env: Record<string, string>) => startImplementation(launch, env);
  try {
    await power.prepare(base, shadow);
    impl = await start(power.env(base, shadow));
    const first = await impl.call("store.open", { dir: base });
    const ff = faultOf(first, "store.open of an empty directory");
    if (ff) throw ff;
    if ("error" in first)
      return found(
        "before the crash",
        [`store.open of an empty directory answered ${first.error.code}`],
        "STO-REC-003",
      );
    const { ops } = operationsOf(s, 0);
    const status: Status[] = ops.map(() => "pending");
    const snaps = new Map<number, State>();
    const keyOp = new Map<string, number>();
    for (const [i, op] of ops.entries()) if (op.kind === "put") keyOp.set(op.key, i);
    for (let i = 0; i < 4; i++) {
      const r = request(ops[i]!);
      const o = await impl.call(r.op, r.args as never);
      const f = faultOf(o, describeOp(ops[i]!, i));
      if (f) throw f;
      if ("error" in o)
        return found(
          "before the crash",
          [`${describeOp(ops[i]!, i)} was refused: ${o.error.code}`],
          "STO-REC-003",
        );
      status[i] = "acked";
      if (ops[i]!.kind === "snapshot") snaps.set(i, o.ok as State);
    }
    // The in-flight PUT, stopped by the interposer just before its syncs-th sync.
    const inflight = 4;
    power.hold!(shadow, syncs);
    let settled = false;
    const r = request(ops[inflight]!);
    const pending = impl.call(r.op, r.args as never).then(() => {
      settled = true;
    });
    await impl.requestWritten();
    const end = performance.now() + 5000;
    while (!power.held!(shadow) && !settled && performance.now() < end) await sleep(0.2);
    const wasHeld = power.held!(shadow);
    await impl.crash();
    power.hold!(shadow, 0);
    await pending;
    tally.crashes++;
    tally.inFlight++;
    if (!wasHeld) {
      // The PUT made fewer syncs than that (or answered first): nothing of it is left unsynced to tear.
      return { findings: [], context, variants: 0, of: 0, held: false };
    }
    const before = contents(base);
    const cut = await power.cut(base, shadow, true); // every unsynced byte lost: the durable state
    tally.cuts.count++;
    tally.cuts.files += cut.files;
    tally.cuts.bytes += cut.bytes;
    const durable = contents(base);
    const torn: TornVariant[] = [];
    for (const [file, now] of [...before].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const was = durable.get(file);
      if (was === undefined || now.length <= was.length || !now.subarray(0, was.length).equals(was)) continue;
      torn.push(...tailsOf(file, now.length - was.length));
    }
    impl = await start({});
    /** A directory holding the durable state and the variant's tail of its file. */
    const build = (v: TornVariant, dest: string) => {
      cpSync(base, dest, { recursive: true });
      const was = durable.get(v.file)!;
      const tail = before.get(v.file)!.subarray(was.length);
      writeFileSync(
        join(dest, v.file),
        Buffer.concat([was, tail.subarray(0, v.kept), Buffer.alloc(v.zeros ? tail.length - v.kept : 0)]),
      );
      return v.zeros
        ? `${v.file} with its ${tail.length} unsynced bytes as zeros`
        : `${v.file} torn to ${v.kept} of its ${tail.length} unsynced bytes`;
    };
    const judge = async (what: string, position: string, label: string): Promise<TornResult | undefined> => {
      const obs = await observe(impl!, position, ops, inflight + 1, snaps);
      const d0 = diffs(expected(ops, status, inflight + 1), obs, keyOp, ops, status, inflight);
      const d1 = diffs(expected(ops, status, inflight + 1, inflight), obs, keyOp, ops, status, inflight);
      if (d0.length === 0 || d1.length === 0) {
        if (d0.length === 0 && d1.length > 0) tally.absent++;
        else if (d1.length === 0 && d0.length > 0) tally.applied++;
        return undefined;
      }
      const both = d0.filter((d) => d1.some((x) => x.id === d.id));
      if (both.length > 0)
        return found(
          `${what}, ${label}`,
          both.map((d) => d.text),
          both[0]!.rule,
        );
      return found(`${what}, ${label}`, [
        `${describeOp(ops[inflight]!, inflight)}, in flight, is half-applied: as if absent, ${d0[0]!.text}; as if applied, ${d1[0]!.text}`,
      ]);
    };

    let tornTwiceRan = false;
    /** The torn-twice round (see below); a result only for a finding. */
    const tornTwice = async (file: string, kept: number): Promise<TornResult | undefined> => {
      const vdir = join(variantsDir, "twice");
      const vshadow = join(variantsDir, "twice-shadow");
      const first = build({ file, kept, zeros: false }, vdir);
      const what = `${first}, recovered, then a new PUT torn the same way`;
      await power.prepare(vdir, vshadow);
      const rec = await start(power.env(vdir, vshadow));
      let held = false;
      try {
        const o = await rec.call("store.open", { dir: vdir });
        const f = faultOf(o, `store.open with ${first}`);
        if (f) throw f;
        if ("error" in o)
          return found(first, [
            `store.open refused the directory: ${o.error.code}: ${o.error.message} (a torn tail is dropped by recovery, not refused)`,
          ]);
        power.hold!(vshadow, syncs);
        let settled = false;
        const bytes = new TextEncoder().encode(`asl-conform torn twice seed ${seed} round ${syncs}`);
        const pending = rec.call("store.put", { bytes, type_tag: null, structure: null }).then(() => {
          settled = true;
        });
        await rec.requestWritten();
        const until = performance.now() + 5000;
        while (!power.held!(vshadow) && !settled && performance.now() < until) await sleep(0.2);
        held = power.held!(vshadow);
        await rec.crash();
        await pending;
      } finally {
        await rec.crash();
        power.hold!(vshadow, 0);
      }
      if (!held) return undefined; // the PUT made fewer syncs: nothing of it to tear
      const grown = contents(vdir).get(file);
      await power.cut(vdir, vshadow, true);
      tally.crashes += 2;
      const was = readFileSync(join(vdir, file));
      if (grown === undefined || grown.length <= was.length || !grown.subarray(0, was.length).equals(was))
        return undefined; // the new PUT did not append to that file
      const again = Math.min(kept, grown.length - was.length - 1);
      writeFileSync(join(vdir, file), grown.subarray(0, was.length + again));
      const opened = await impl!.call("store.open", { dir: vdir });
      const of = faultOf(opened, `store.open with ${what}`);
      if (of) throw of;
      if ("error" in opened)
        return found(what, [
          `store.open refused the directory: ${opened.error.code}: ${opened.error.message} (the second torn tail is dropped like the first)`,
        ]);
      const j = await judge(what, opened.ok.position, "after the second recovery");
      if (j) return j;
      tally.verified += 4;
      tornTwiceRan = true;
      for (const d of [vdir, vshadow]) rmSync(d, { recursive: true, force: true });
      return undefined;
    };

    // Recovery interrupted: one torn tail (half the unsynced bytes of the first torn file) is opened by a
    // process under the interposer, stopped just before the k-th sync of its recovery and killed, and the
    // directory cut to what that recovery had made durable; then it must open and show the same state.
    // k runs from 1 until a recovery finishes before its k-th sync.
    let interrupted = 0;
    const firstTorn = torn[0];
    const half = firstTorn
      ? Math.floor((before.get(firstTorn.file)!.length - durable.get(firstTorn.file)!.length) / 2)
      : 0;
    for (let k = 1; firstTorn && half > 0 && k <= MAX_RECOVERY_SYNCS; k++) {
      const vdir = join(variantsDir, `interrupted-${k}`);
      const vshadow = join(variantsDir, `interrupted-${k}-shadow`);
      const what = build({ file: firstTorn.file, kept: half, zeros: false }, vdir);
      await power.prepare(vdir, vshadow);
      const rec = await start(power.env(vdir, vshadow));
      let done = false;
      try {
        power.hold!(vshadow, k);
        const pendingOpen = rec.call("store.open", { dir: vdir }).then((o) => {
          done = true;
          return o;
        });
        await rec.requestWritten();
        const until = performance.now() + 5000;
        while (!power.held!(vshadow) && !done && performance.now() < until) await sleep(0.2);
        if (!power.held!(vshadow)) {
          const o = await pendingOpen;
          const f = faultOf(o, `store.open with ${what}`);
          if (f) throw f;
          break; // the recovery made fewer than k syncs: the sweep below opens such directories whole
        }
        await rec.crash();
        await pendingOpen;
      } finally {
        await rec.crash();
        power.hold!(vshadow, 0);
      }
      await power.cut(vdir, vshadow, true);
      tally.crashes++;
      interrupted++;
      const label = `its recovery killed just before its sync ${k} and cut to what it had made durable`;
      const opened = await impl.call("store.open", { dir: vdir });
      const of = faultOf(opened, `store.open with ${what}, ${label}`);
      if (of) throw of;
      if ("error" in opened)
        return found(`${what}, ${label}`, [
          `store.open refused the directory: ${opened.error.code}: ${opened.error.message} (recovery must survive its own crash)`,
        ]);
      const j = await judge(what, opened.ok.position, `${label}, then opened again`);
      if (j) return j;
      tally.verified += 4;
      for (const d of [vdir, vshadow]) rmSync(d, { recursive: true, force: true });
    }

    // Torn twice at one place: the same torn directory is recovered by a process under the interposer,
    // which then takes a PUT of other bytes and is stopped before the same sync as the first and killed;
    // its new tail is torn to the same length. The second recovery meets a tail of that length at that
    // offset, with other bytes, where the first one already left its copy.
    if (firstTorn && half > 0) {
      const twice = await tornTwice(firstTorn.file, half);
      if (twice) return twice;
    }

    // The sweep's budget starts here: the interrupted recoveries above are bounded by their count.
    const sweepStart = performance.now();
    const deadline = sweepStart + sweepMs;
    let n = 0;
    for (const v of torn) {
      if (performance.now() > deadline && n > 0) break;
      const vdir = join(variantsDir, String(n++));
      const what = build(v, vdir);
      tally.crashes++;
      const opened = await impl.call("store.open", { dir: vdir });
      const of = faultOf(opened, `store.open with ${what}`);
      if (of) throw of;
      if ("error" in opened)
        return found(what, [
          `store.open refused the directory: ${opened.error.code}: ${opened.error.message} (a torn tail is dropped by recovery, not refused)`,
        ]);
      const j1 = await judge(what, opened.ok.position, "after recovery");
      if (j1) return j1;
      tally.verified += 4;
      // A new PUT after recovery, then one more store.open of the directory: it and everything before it.
      const bytes = new TextEncoder().encode(
        `asl-conform torn seed ${seed} round ${syncs} variant ${n} ${stream(seed, n, syncs)()}`,
      );
      const p = await impl.call("store.put", { bytes, type_tag: null, structure: null });
      const pf = faultOf(p, `a new PUT after recovering ${what}`);
      if (pf) throw pf;
      const again = "ok" in p ? await impl.call("store.open", { dir: vdir }) : p;
      const af = faultOf(again, `store.open again after recovering ${what} and a new PUT`);
      if (af) throw af;
      if ("error" in again)
        return found(what, [
          `${"ok" in p ? "store.open of the recovered directory, after a new PUT, answered" : "a new PUT after recovery was refused:"} ${again.error.code}: ${again.error.message}`,
        ]);
      const g = await impl.call("store.get", { key: keyOf(bytes) });
      const gf = faultOf(g, `reading the new PUT back after recovering ${what}`);
      if (gf) throw gf;
      if ("error" in g || !sameBytes((g.ok as { bytes: Uint8Array }).bytes, bytes))
        return found(
          what,
          [
            `a PUT acknowledged after recovery is ${"error" in g ? `unreadable after one more store.open (${g.error.code})` : "other bytes after one more store.open"}`,
          ],
          "STO-REC-003",
        );
      const j2 = await judge(
        what,
        String(BigInt(again.ok.position) - 1n),
        "after a new PUT and one more store.open",
      );
      if (j2) return j2;
      rmSync(vdir, { recursive: true, force: true });
    }
    return {
      findings: [],
      context,
      variants: n,
      of: torn.length,
      held: true,
      interrupted,
      twice: tornTwiceRan,
      sweepMs: performance.now() - sweepStart,
    };
  } finally {
    await impl?.crash();
    for (const d of [base, shadow, variantsDir]) rmSync(d, { recursive: true, force: true });
  }
}
