#!/usr/bin/env node
// A misbehaving implementation, for testing the harness itself (as Bowtie tests its runner): it forwards
// the protocol to a real implementation and misbehaves at the Nth request it receives.
//   node adapters/misbehaving/proxy.js MODE N -- COMMAND...
// MODE: crash (exit 3), hang (never answer), garbage (a line that is not JSON), huge (a 20 MB line),
// wrong-id (answer with another id), version (claim protocol asl-conform/0 in hello), stdout-noise
// (print a log line on stdout before the answer), silent-exit (exit 0 without answering).
// lie (answer shard.assign with another shard whenever the key ends in 7 and there is more than one shard:
// a deterministic wrong answer, so a property finds it and its replay command finds it again; N unused).
// With ASL_MISBEHAVE_OP=OP set, N counts only the requests of that operation (to misbehave inside a given
// property). With ASL_MISBEHAVE_ONCE=FILE set, only the first process misbehaves (it creates FILE), so a test
// can show that the harness restarts the implementation and the rest of the run passes.
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

const [mode, nText, sep, ...command] = process.argv.slice(2);
const n = Number(nText);
if (!mode || !Number.isInteger(n) || sep !== "--" || command.length === 0) {
  process.stderr.write("usage: proxy.js MODE N -- COMMAND...\n");
  process.exit(2);
}
const child = spawn(command[0], command.slice(1), { stdio: ["pipe", "pipe", "inherit"] });
child.on("exit", (code) => process.exit(code ?? 1));
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
    if (mode === "crash") process.exit(3);
    if (mode === "silent-exit") process.exit(0);
    if (mode === "hang") return;
    if (mode === "garbage") {
      process.stdout.write("this is not json {\n");
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
fromHarness.on("close", () => child.stdin.end());
