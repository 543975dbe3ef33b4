// Runs the asl-conform CLI as a user would: a child process from the repository root.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../../catalog/load.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, "bin/asl-conform.js"), ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0", ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
