// What the power-cut interposer (adapters/powercut, DEC-040) costs a program: a Node child appends
// records to one file, fdatasyncing after each, without and with the interposer; and how long a cut takes
// after it. Heavy (it syncs to the disk, seconds to minutes): run with `npm run bench -- powercut`.
// Each fdatasync under the interposer reads the whole file back, so the cost grows with the file's size:
// the 64 KiB records show it, the 100-byte records show the disk's own fdatasync dominating. Without the
// interposer nothing is recorded, so the cut discards every record (the point of it); with it, only the
// last, unsynced one.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { powerCut, powercutAvailable, powercutEnv, preparePowercut } from "../adapters/powercut/powercut.ts";
import type { Benchmark, BenchResult } from "./framework.ts";

const CHILD = `
const fs = require("node:fs");
const [dir, n, size] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const fd = fs.openSync(dir + "/log", "a");
const rec = Buffer.alloc(size, 97);
const t = process.hrtime.bigint();
for (let i = 0; i < n; i++) { fs.writeSync(fd, rec); fs.fdatasyncSync(fd); }
fs.writeSync(fd, rec); // one unsynced record, for the cut to discard
process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));
`;

function appends(records: number, size: number, interposed: boolean): Benchmark {
  return {
    name: `powercut-fdatasync-append${interposed ? "-interposed" : ""}`,
    params: { records, record_bytes: size },
    heavy: true,
    async run(): Promise<BenchResult> {
      const avail = powercutAvailable();
      if (!avail.ok) throw new Error(`power cut unavailable: ${avail.reason}`);
      const base = mkdtempSync(join(tmpdir(), "asl-powercut-bench-"));
      try {
        const data = join(base, "data");
        const shadow = join(base, "shadow");
        mkdirSync(data);
        writeFileSync(join(data, "log"), ""); // its entry durable from the start: only its content is measured
        await preparePowercut(data, shadow);
        const env = interposed ? { ...process.env, ...powercutEnv(data, shadow) } : process.env;
        const r = spawnSync(process.execPath, ["-e", CHILD, data, String(records), String(size)], {
          env,
          encoding: "utf8",
        });
        const ms = Number(r.stdout);
        if (r.status !== 0 || !Number.isFinite(ms)) throw new Error(`child failed: ${r.stderr.trim()}`);
        const start = process.hrtime.bigint();
        const cut = await powerCut(data, shadow);
        const cutMs = Number(process.hrtime.bigint() - start) / 1e6;
        return {
          ops_per_s: (records * 1000) / ms,
          ns_per_op: (ms * 1e6) / records,
          bytes_per_s: (records * size * 1000) / ms,
          extra: { file_bytes: records * size, cut_ms: cutMs, cut_bytes_discarded: cut.bytesDiscarded },
        };
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}

export const benchmarks: Benchmark[] = [
  appends(2000, 100, false),
  appends(2000, 100, true),
  appends(200, 65536, false),
  appends(200, 65536, true),
];
