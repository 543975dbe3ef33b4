// Helpers of the results-site tests: real runs of the CLI in parallel, a made-up report for the unit
// tests (with hostile strings where a report may carry them), the site's files and links read back, and
// the Chromium to drive (Debian's, never a downloaded one).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Capability } from "../../adapters/interface.ts";
import { loadCatalog, REPO_ROOT } from "../../catalog/load.ts";
import { buildReport, type Report } from "../../harness/report/report.ts";
import type { CheckObservation } from "../../harness/verdict.ts";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/asl-conform.js ARGS` as a child process, without blocking the test's event loop. */
export function cliAsync(args: string[]): Promise<CliRun> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [join(REPO_ROOT, "bin/asl-conform.js"), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => {
      stdout += d;
    });
    p.stderr.on("data", (d) => {
      stderr += d;
    });
    p.on("error", fail);
    p.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** Debian's chromium (the `chromium` package), if it is on PATH. */
export function findChromium(): string | undefined {
  const r = spawnSync("which", ["chromium"], { encoding: "utf8" });
  const path = r.status === 0 ? r.stdout.trim() : "";
  return path !== "" && existsSync(path) ? path : undefined;
}

/** Every file under a folder, relative to it, with `/`, sorted. */
export function filesUnder(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d)
      .sort()
      .flatMap((f) => {
        const p = join(d, f);
        return statSync(p).isDirectory() ? walk(p) : [relative(dir, p).split("\\").join("/")];
      });
  return walk(dir);
}

/**
 * The links of every page of a site that do not resolve: a target file that is not there, or a #fragment
 * with no element of that id in its page. Links to http(s) are not followed (the site makes none).
 */
export function brokenLinks(dir: string): string[] {
  const ids = new Map<string, Set<string>>();
  const idsOf = (file: string) => {
    let s = ids.get(file);
    if (!s) {
      s = new Set([...readFileSync(file, "utf8").matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!));
      ids.set(file, s);
    }
    return s;
  };
  const broken: string[] = [];
  for (const page of filesUnder(dir).filter((f) => f.endsWith(".html"))) {
    const abs = join(dir, page);
    for (const m of readFileSync(abs, "utf8").matchAll(/\shref="([^"]*)"/g)) {
      const href = m[1]!.replace(/&amp;/g, "&");
      if (/^https?:/.test(href)) continue;
      const [path, fragment] = href.split("#") as [string, string | undefined];
      const target = path === "" ? abs : resolve(dirname(abs), path);
      if (!target.startsWith(resolve(dir)) || !existsSync(target)) broken.push(`${page}: ${href}`);
      else if (fragment !== undefined && target.endsWith(".html") && !idsOf(target).has(fragment))
        broken.push(`${page}: ${href} (no id ${fragment})`);
    }
  }
  return broken;
}

/** A report made from made-up observations, judged by the real verdict module against the real catalog. */
export function madeUpReport(o: {
  name: string;
  version?: string;
  capabilities?: Capability[];
  observations?: CheckObservation[];
  expectations?: { rule?: string; check?: string; reason: string; link?: string }[];
}): Report {
  const rules = loadCatalog().rules;
  return buildReport({
    tool: { name: "asl-conform", version: "0.0.0-test" },
    contract: { version: "1.0", source: "built-in" },
    protocol: "asl-conform/1",
    profile: "asl-conformance-profile-1",
    spec_digest: "0".repeat(64),
    hello: {
      protocol: "asl-conform/1",
      implementation: { name: o.name, version: o.version ?? "1.0", language: "made-up" },
      capabilities: o.capabilities ?? ["content-index"],
    },
    seed: 1,
    runs: 1,
    strict: false,
    selection: {},
    expectations: o.expectations ?? [],
    observations: o.observations ?? [],
    rules,
    vectorCount: 0,
    duration_ms: 0,
  });
}

/** A check that ran and found one violation of `rule`. */
export function failingCheck(id: string, rule: string, message: string): CheckObservation {
  return {
    id,
    title: `made-up check ${id}`,
    kind: "trace",
    rules: [rule],
    capabilities: ["content-index"],
    ran: true,
    duration_ms: 1,
    findings: [{ rules: [rule], message, expected: { a: "<b>" }, actual: "</pre><script>alert(4)</script>" }],
    observed: [rule],
    complete: true,
    notes: [],
    replay: `npx asl-conform run --check '${id}'`,
  };
}
