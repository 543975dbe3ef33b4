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
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { Outcome, State } from "../../adapters/interface.ts";
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
import { keyOf, type Op, operationsOf, stream } from "./schedule.ts";

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

/** The operations a recovered directory is judged against: those acknowledged, and one in flight. */
interface Expectation {
  ops: Op[];
  status: Status[];
  inflight: number;
  keyOp: Map<string, number>;
}

/** How long the process may take to reach the sync it is to be stopped before (or to answer). */
const HOLD_WAIT_MS = 5000;

/**
 * Sends one request with the interposer set to stop the process just before its `syncs`-th sync from
 * now, then kills the process: there when it got there, else once it answered, or after HOLD_WAIT_MS.
 * The request is never awaited while it may be held. `answer` is set when it answered first.
 */
async function callThenKill(
  p: ProcessAdapter,
  power: PowerCut,
  shadow: string,
  syncs: number,
  r: { op: string; args: unknown },
): Promise<{ held: boolean; answer?: Outcome<unknown> }> {
  power.hold!(shadow, syncs);
  let answer: Outcome<unknown> | undefined;
  const pending = p.call(r.op as never, r.args as never).then((a) => {
    answer = a;
  });
  try {
    await p.requestWritten();
    const until = performance.now() + HOLD_WAIT_MS;
    while (!power.held!(shadow) && answer === undefined && performance.now() < until) await sleep(0.2);
    const held = power.held!(shadow);
    return held || answer === undefined ? { held } : { held, answer };
  } finally {
    await p.crash();
    power.hold!(shadow, 0);
    await pending;
  }
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
  /** Why the interruptions stopped: the recovery finished, the limit, or it neither answered nor synced. */
  interruptedEnd?: "finished" | "limit" | "slow";
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
  const context = `seed ${seed}, round ${syncs}: 4 acknowledged operations, then a PUT stopped just before its ${syncs === 1 ? "first" : "second"} sync and killed; then the recovery of one torn directory killed before each sync it makes, one directory torn twice at one place, and the directory recovered once per tail of each file it had appended to`;
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
    const stopped = await callThenKill(impl, power, shadow, syncs, request(ops[inflight]!));
    tally.crashes++;
    tally.inFlight++;
    if (!stopped.held) {
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
    const plain = impl;
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
    const refused = (what: string, o: { error: { code: string; message: string } }, why: string) =>
      found(what, [`store.open refused the directory: ${o.error.code}: ${o.error.message} (${why})`]);
    const main: Expectation = { ops, status, inflight, keyOp };
    /**
     * What `target` shows at `position` against `x`: the operations acknowledged, and the one in flight
     * wholly applied or wholly absent. A finding, or whether the one in flight is applied.
     */
    const judge = async (
      target: ProcessAdapter,
      x: Expectation,
      what: string,
      position: string,
      label: string,
    ): Promise<{ finding: TornResult } | { applied: boolean }> => {
      const obs = await observe(target, position, x.ops, x.inflight + 1, snaps);
      const d0 = diffs(expected(x.ops, x.status, x.inflight + 1), obs, x.keyOp, x.ops, x.status, x.inflight);
      const d1 = diffs(
        expected(x.ops, x.status, x.inflight + 1, x.inflight),
        obs,
        x.keyOp,
        x.ops,
        x.status,
        x.inflight,
      );
      if (d0.length === 0) {
        tally.absent++;
        return { applied: false };
      }
      if (d1.length === 0) {
        tally.applied++;
        return { applied: true };
      }
      const both = d0.filter((d) => d1.some((y) => y.id === d.id));
      if (both.length > 0)
        return {
          finding: found(
            `${what}, ${label}`,
            both.map((d) => d.text),
            both[0]!.rule,
          ),
        };
      return {
        finding: found(`${what}, ${label}`, [
          `${describeOp(x.ops[x.inflight]!, x.inflight)}, in flight, is half-applied: as if absent, ${d0[0]!.text}; as if applied, ${d1[0]!.text}`,
        ]),
      };
    };
    /** store.open of `dir` by `target`, judged against `x`; `why` says why a refusal is wrong. */
    const reopen = async (
      target: ProcessAdapter,
      dir: string,
      x: Expectation,
      what: string,
      label: string,
      why: string,
    ) => {
      const opened = await target.call("store.open", { dir });
      const of = faultOf(opened, `store.open with ${what}, ${label}`);
      if (of) throw of;
      if ("error" in opened) return { finding: refused(`${what}, ${label}`, opened, why) };
      return judge(target, x, what, opened.ok.position, label);
    };
    const TORN_IS_DROPPED = "a torn tail is dropped by recovery, not refused";

    // Recovery interrupted: one torn directory (the first grown file, half its unsynced bytes) is opened
    // by a process under the interposer, stopped just before the k-th sync of that store.open and killed,
    // and cut to what the interrupted recovery had made durable; then it must open and show the same
    // state. k runs from 1 until a recovery finishes before its k-th sync (at most MAX_RECOVERY_SYNCS).
    // Only fsync and fdatasync are seen (the interposer's calls): a recovery syncing otherwise is not cut.
    const firstTorn = torn[0];
    const half = firstTorn
      ? Math.floor((before.get(firstTorn.file)!.length - durable.get(firstTorn.file)!.length) / 2)
      : 0;
    let interrupted = 0;
    let interruptedEnd: TornResult["interruptedEnd"] = "finished";
    for (let k = 1; firstTorn && half > 0; k++) {
      if (k > MAX_RECOVERY_SYNCS) {
        interruptedEnd = "limit";
        break;
      }
      const vdir = join(variantsDir, `interrupted-${k}`);
      const vshadow = join(variantsDir, `interrupted-${k}-shadow`);
      const what = build({ file: firstTorn.file, kept: half, zeros: false }, vdir);
      await power.prepare(vdir, vshadow);
      const rec = await start(power.env(vdir, vshadow));
      const r = await callThenKill(rec, power, vshadow, k, { op: "store.open", args: { dir: vdir } });
      if (!r.held) {
        if (r.answer === undefined) {
          interruptedEnd = "slow";
          break;
        }
        const f = faultOf(r.answer, `store.open with ${what}`);
        if (f) throw f;
        if ("error" in r.answer) return refused(what, r.answer, TORN_IS_DROPPED);
        break; // the recovery made fewer than k syncs
      }
      await power.cut(vdir, vshadow, true);
      tally.crashes++;
      interrupted++;
      const label = `its recovery killed just before its sync ${k} and cut to what it had made durable, then opened again`;
      const j = await reopen(plain, vdir, main, what, label, "recovery must survive its own crash");
      if ("finding" in j) return j.finding;
      tally.verified += 4;
      for (const d of [vdir, vshadow]) rmSync(d, { recursive: true, force: true });
    }

    // Torn twice at one place: the same torn directory is recovered by a process under the interposer,
    // which then takes a PUT of other bytes and is stopped before the same sync as the first and killed;
    // that file's new bytes are torn to the same length. The second recovery meets a tail of that length
    // at that offset, with other bytes, where the first one left its copy. The second PUT is one more
    // operation in flight: wholly applied or wholly absent.
    let twice = false;
    if (firstTorn && half > 0) {
      const vdir = join(variantsDir, "twice");
      const vshadow = join(variantsDir, "twice-shadow");
      const first = build({ file: firstTorn.file, kept: half, zeros: false }, vdir);
      const what = `${first}, recovered, then a PUT of other bytes torn the same way`;
      await power.prepare(vdir, vshadow);
      const rec = await start(power.env(vdir, vshadow));
      let stoppedAgain: Awaited<ReturnType<typeof callThenKill>> | undefined;
      let x2: Expectation | undefined;
      try {
        const j = await reopen(rec, vdir, main, first, "after recovery", TORN_IS_DROPPED);
        if ("finding" in j) return j.finding;
        const bytes = new TextEncoder().encode(`asl-conform torn twice seed ${seed} round ${syncs}`);
        const second: Op = { kind: "put", bytes, key: keyOf(bytes), large: false };
        const ops2 = [...ops.slice(0, inflight + 1), second];
        x2 = {
          ops: ops2,
          status: [...status.slice(0, inflight), j.applied ? "applied" : "absent", "pending"],
          inflight: inflight + 1,
          keyOp: new Map([...keyOp].filter(([, i]) => i <= inflight).concat([[second.key, inflight + 1]])),
        };
        stoppedAgain = await callThenKill(rec, power, vshadow, syncs, request(second));
      } finally {
        await rec.crash();
      }
      const grownPath = join(vdir, firstTorn.file);
      const grown = existsSync(grownPath) ? readFileSync(grownPath) : undefined;
      await power.cut(vdir, vshadow, true);
      tally.crashes += 2;
      const was = readFileSync(join(vdir, firstTorn.file));
      // Only when the second PUT was stopped before that sync and appended to the same file again.
      if (
        stoppedAgain?.held &&
        grown &&
        grown.length > was.length + 1 &&
        grown.subarray(0, was.length).equals(was)
      ) {
        writeFileSync(
          join(vdir, firstTorn.file),
          grown.subarray(0, was.length + Math.min(half, grown.length - was.length - 1)),
        );
        const j = await reopen(
          plain,
          vdir,
          x2!,
          what,
          "after the second recovery",
          "the second torn tail is dropped like the first",
        );
        if ("finding" in j) return j.finding;
        tally.verified += 4;
        twice = true;
      }
      for (const d of [vdir, vshadow]) rmSync(d, { recursive: true, force: true });
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
      const j1 = await reopen(plain, vdir, main, what, "after recovery", TORN_IS_DROPPED);
      if ("finding" in j1) return j1.finding;
      tally.verified += 4;
      // A new PUT after recovery, then one more store.open of the directory: it and everything before it.
      const bytes = new TextEncoder().encode(
        `asl-conform torn seed ${seed} round ${syncs} variant ${n} ${stream(seed, n, syncs)()}`,
      );
      const p = await plain.call("store.put", { bytes, type_tag: null, structure: null });
      const pf = faultOf(p, `a new PUT after recovering ${what}`);
      if (pf) throw pf;
      const again = "ok" in p ? await plain.call("store.open", { dir: vdir }) : p;
      const af = faultOf(again, `store.open again after recovering ${what} and a new PUT`);
      if (af) throw af;
      if ("error" in again)
        return found(what, [
          `${"ok" in p ? "store.open of the recovered directory, after a new PUT, answered" : "a new PUT after recovery was refused:"} ${again.error.code}: ${again.error.message}`,
        ]);
      const g = await plain.call("store.get", { key: keyOf(bytes) });
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
        plain,
        main,
        what,
        String(BigInt(again.ok.position) - 1n),
        "after a new PUT and one more store.open",
      );
      if ("finding" in j2) return j2.finding;
      rmSync(vdir, { recursive: true, force: true });
    }
    return {
      findings: [],
      context,
      variants: n,
      of: torn.length,
      held: true,
      interrupted,
      interruptedEnd,
      twice,
      sweepMs: performance.now() - sweepStart,
    };
  } finally {
    await impl?.crash();
    for (const d of [base, shadow, variantsDir]) rmSync(d, { recursive: true, force: true });
  }
}
