#!/usr/bin/env node
// A misbehaving implementation, for testing the harness itself (as Bowtie tests its runner): it forwards
// the protocol to a real implementation and misbehaves at the Nth request it receives.
//   node adapters/misbehaving/proxy.js MODE N -- COMMAND...
// MODE: crash (exit 3), hang (never answer), garbage (a line that is not JSON), huge (a 20 MB line),
// wrong-id (answer with another id), version (claim protocol asl-conform/0 in hello), stdout-noise
// (print a log line on stdout before the answer), silent-exit (exit 0 without answering).
// lie (answer shard.assign with another shard whenever the key ends in 7 and there is more than one shard:
// a deterministic wrong answer, so a property finds it and its replay command finds it again; N unused).
// Hostile modes (the harness must contain them): slow (answer after ASL_MISBEHAVE_DELAY_MS, default 8000),
// deep (answer with a value nested 1,000,000 deep), daemon (start a grandchild that calls setsid and keeps
// stdout and stderr open, sleeping for an hour), ignore-eof (from the start: ignore SIGINT, SIGTERM, SIGHUP
// and the end of stdin, and keep two more such processes running; N unused).
// With ASL_MISBEHAVE_LOG=FILE set, every misbehaviour appends a line to FILE (tests count them).
// With ASL_MISBEHAVE_OP=OP set, N counts only the requests of that operation (to misbehave inside a given
// property). With ASL_MISBEHAVE_ONCE=FILE set, only the first process misbehaves (it creates FILE), so a test
// can show that the harness restarts the implementation and the rest of the run passes.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

const [mode, nText, sep, ...command] = process.argv.slice(2);
const n = Number(nText);
if (!mode || !Number.isInteger(n) || sep !== "--" || command.length === 0) {
  process.stderr.write("usage: proxy.js MODE N -- COMMAND...\n");
  process.exit(2);
}
const SLEEPER =
  "for (const s of ['SIGINT','SIGTERM','SIGHUP']) process.on(s, () => {}); setInterval(() => {}, 3600e3);";
const child = spawn(command[0], command.slice(1), { stdio: ["pipe", "pipe", "inherit"] });
if (mode === "ignore-eof") {
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, () => {});
  for (let i = 0; i < 2; i++) spawn(process.execPath, ["-e", SLEEPER], { stdio: "ignore" });
  setInterval(() => {}, 3600e3);
} else {
  child.on("exit", (code) => process.exit(code ?? 1));
}
function log(what) {
  if (process.env.ASL_MISBEHAVE_LOG) appendFileSync(process.env.ASL_MISBEHAVE_LOG, `${what}\n`);
}
let count = 0;
const onceFile = process.env.ASL_MISBEHAVE_ONCE;
const onlyOp = process.env.ASL_MISBEHAVE_OP;
const enabled = !onceFile || !existsSync(onceFile);
const waiting = new Map();
const fromChild = createInterface({ input: child.stdout });
fromChild.on("line", (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    process.stdout.write(`${line}\n`);
    return;
  }
  const misbehave = waiting.get(msg.id);
  waiting.delete(msg.id);
  if (misbehave === "wrong-id") msg.id = msg.id + 1000;
  if (misbehave === "version" && msg.ok) msg.ok.protocol = "asl-conform/0";
  if (misbehave === "stdout-noise") process.stdout.write("loading index...\n");
  if (misbehave === "lie" && msg.ok && typeof msg.ok.shard === "number")
    msg.ok.shard = msg.ok.shard === 0 ? 1 : 0;
  process.stdout.write(`${JSON.stringify(msg)}\n`);
});
const fromHarness = createInterface({ input: process.stdin });
fromHarness.on("line", (line) => {
  let msg = {};
  try {
    msg = JSON.parse(line);
  } catch {}
  if (!onlyOp || msg.op === onlyOp) count++;
  if (mode === "lie") {
    const a = msg.args ?? {};
    if (msg.op === "shard.assign" && a.shards > 1 && String(a.key).endsWith("7")) waiting.set(msg.id, "lie");
    child.stdin.write(`${line}\n`);
    return;
  }
  const now =
    enabled &&
    ((count === n && (!onlyOp || msg.op === onlyOp)) || (mode === "version" && msg.op === "hello"));
  if (now) {
    if (onceFile) writeFileSync(onceFile, mode);
    process.stderr.write(`misbehaving proxy: ${mode} at request ${count} (${msg.op})\n`);
    log(`${mode} ${msg.op}`);
    if (mode === "crash") process.exit(3);
    if (mode === "silent-exit") process.exit(0);
    if (mode === "hang") return;
    if (mode === "garbage") {
      process.stdout.write("this is not json {\n");
      return;
    }
    if (mode === "deep") {
      process.stdout.write(`{"id":${msg.id},"ok":${"[".repeat(1e6)}${"]".repeat(1e6)}}\n`);
      return;
    }
    if (mode === "daemon") {
      // detached: the grandchild calls setsid(), leaving the process group; it keeps stdout and stderr.
      spawn(process.execPath, ["-e", SLEEPER], { stdio: ["ignore", "inherit", "inherit"], detached: true });
    }
    if (mode === "slow") {
      const delay = Number(process.env.ASL_MISBEHAVE_DELAY_MS ?? 8000);
      setTimeout(() => child.stdin.write(`${line}\n`), delay);
      return;
    }
    if (mode === "huge") {
      process.stdout.write(`{"id":${msg.id},"ok":{"pad":"${"x".repeat(20 * 1024 * 1024)}"}}\n`);
      return;
    }
    waiting.set(msg.id, mode);
  }
  child.stdin.write(`${line}\n`);
});
fromHarness.on("close", () => {
  if (mode !== "ignore-eof") child.stdin.end();
});
