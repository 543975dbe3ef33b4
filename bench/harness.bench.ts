// Benchmarks of the harness: the whole default `asl-conform run` (in-process against the reference, and
// through the process adapter against the Python example), and the per-request cost of the process
// protocol, one request per line against batches. Every adapter started here is closed before its
// benchmark returns, whatever happens, so no process outlives a run.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InProcessAdapter } from "../adapters/in-process.ts";
import type { Adapter } from "../adapters/interface.ts";
import { ProcessAdapter } from "../adapters/process.ts";
import { createReferenceImplementation } from "../adapters/reference/index.ts";
import { loadCatalog } from "../catalog/load.ts";
import type { Launch } from "../harness/checks/types.ts";
import { runAndJudge } from "../harness/run.ts";
import { loadSuite } from "../harness/suite.ts";
import { type Benchmark, type BenchResult, timeOnce } from "./framework.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The defaults of `asl-conform run` (cli/run.ts). */
const SEED = 20261122;
const RUNS = 40;

const PYTHON = "python3 adapters/examples/python/adapter.py";
const SERVE = `${JSON.stringify(process.execPath)} bin/asl-conform.js serve`;

function startProcess(command: string): Promise<ProcessAdapter> {
  return ProcessAdapter.start({ command, cwd: ROOT, harnessVersion: "bench" });
}

/** One whole default run, as cli/run.ts runCommand wires it, minus the console and the reports. */
async function wholeRun(open: () => Promise<Adapter>, launch: Launch): Promise<BenchResult> {
  let catalog: ReturnType<typeof loadCatalog> | undefined;
  let suite: Awaited<ReturnType<typeof loadSuite>> | undefined;
  const loadMs = await timeOnce(async () => {
    catalog = loadCatalog();
    suite = await loadSuite();
  });
  let adapter: Adapter | undefined;
  const startMs = await timeOnce(async () => {
    adapter = await open();
  });
  const reference = new InProcessAdapter(createReferenceImplementation());
  let result: Awaited<ReturnType<typeof runAndJudge>> | undefined;
  let runMs: number;
  try {
    runMs = await timeOnce(async () => {
      result = await runAndJudge({
        adapter: adapter!,
        reference,
        checks: suite!.checks,
        rules: catalog!.rules,
        seed: SEED,
        runs: RUNS,
        launch,
        replayCommand: (id, extra) => `npx asl-conform run --check ${id}${extra ? ` ${extra}` : ""}`,
      });
    });
  } finally {
    await adapter?.close();
    await reference.close();
  }
  const r = result!;
  const totalS = (loadMs + startMs + runMs) / 1000;
  const ran = r.checks.filter((c) => c.ran).length;
  return {
    ops_per_s: 1 / totalS,
    ns_per_op: totalS * 1e9,
    extra: {
      total_s: totalS,
      load_s: loadMs / 1000,
      start_s: startMs / 1000,
      run_s: runMs / 1000,
      checks: r.checks.length,
      ran,
      ms_per_check: runMs / Math.max(1, ran),
      pass: r.counts.passed,
      fail: r.counts.failed,
      error: r.counts.errored,
      skip: r.counts.skipped,
      verdict: r.conforms ? "conforms" : "does-not-conform",
    },
  };
}

const suites: Benchmark[] = [
  {
    name: "suite/reference",
    params: { adapter: "in-process", seed: SEED, runs: RUNS },
    // The crash checks serve the reference as a process to kill it, as `asl-conform run` does.
    run: () =>
      wholeRun(async () => new InProcessAdapter(createReferenceImplementation()), {
        command: SERVE,
        cwd: ROOT,
      }),
  },
  {
    name: "suite/process-python",
    params: { adapter: "python", seed: SEED, runs: RUNS },
    run: () => wholeRun(() => startProcess(PYTHON), { command: PYTHON, cwd: ROOT, harnessVersion: "bench" }),
  },
];

const REQUESTS = 2000;
const BATCH = 100;
const SHARDS = 16;

function shardRequests(n: number): { op: "shard.assign"; args: { key: string; shards: number } }[] {
  // Keys spread over the u64 range, as decimal strings (the wire form of a u64).
  return Array.from({ length: n }, (_, i) => ({
    op: "shard.assign" as const,
    args: { key: ((BigInt(i) * 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn).toString(), shards: SHARDS },
  }));
}

/** Times `REQUESTS` shard.assign requests sent one by one (batch 1) or in batches of `batch`. */
async function requestCost(adapter: Adapter, batch: number): Promise<BenchResult> {
  const reqs = shardRequests(REQUESTS);
  const send = async (list: typeof reqs) => {
    if (batch === 1) {
      for (const r of list) {
        const o = await adapter.call(r.op, r.args);
        if ("error" in o) throw new Error(`shard.assign ${r.args.key}: ${o.error.code}: ${o.error.message}`);
      }
    } else {
      for (let i = 0; i < list.length; i += batch) {
        const outs = await adapter.batch(list.slice(i, i + batch));
        const bad = outs.find((o) => "error" in o);
        if (bad && "error" in bad)
          throw new Error(`shard.assign batch: ${bad.error.code}: ${bad.error.message}`);
      }
    }
  };
  await send(reqs.slice(0, Math.min(200, REQUESTS))); // warm-up: JIT, pipes, caches
  const ms = await timeOnce(() => send(reqs));
  const us = (ms * 1000) / REQUESTS;
  return {
    ops_per_s: (REQUESTS * 1000) / ms,
    ns_per_op: us * 1000,
    extra: {
      us_per_request: us,
      total_ms: ms,
      round_trips: batch === 1 ? REQUESTS : Math.ceil(REQUESTS / batch),
    },
  };
}

const targets: { target: string; open: () => Promise<Adapter> }[] = [
  { target: "in-process", open: async () => new InProcessAdapter(createReferenceImplementation()) },
  { target: "python", open: () => startProcess(PYTHON) },
  { target: "serve", open: () => startProcess(SERVE) },
];

const protocol: Benchmark[] = targets.flatMap(({ target, open }) =>
  [1, BATCH].map(
    (batch): Benchmark => ({
      name: "protocol/request",
      params: { target, requests: REQUESTS, batch },
      async run() {
        const adapter = await open();
        try {
          return await requestCost(adapter, batch);
        } finally {
          await adapter.close();
        }
      },
    }),
  ),
);

export const benchmarks: Benchmark[] = [...suites, ...protocol];
