// asl-conform adequacy: the conformance suite as the judge of the engine's machine-made mutants
// (authoring/adequacy.ts, stryker.adequacy.config.mjs). Exit 0 when every folder reaches the target with
// every mutant the suite does not kill triaged, 1 otherwise, 2 when it cannot run.
import { isAbsolute, join, relative } from "node:path";
import type { Command } from "commander";
import { runAdequacy, TARGET } from "../authoring/adequacy.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { CliError, EXIT_FAILED, EXIT_OK, out } from "./util.ts";

/** A path relative to the working folder when inside it, absolute otherwise. */
function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return r.startsWith("..") || isAbsolute(r) ? path : r;
}

export function registerAdequacy(program: Command): void {
  program
    .command("adequacy")
    .description(DESCRIPTIONS.adequacy)
    .option("--incremental", "re-test only the mutants in code or checks that changed since the last run")
    .option(
      "--report-only",
      "only rebuild adequacy/report.* from the last Stryker report and adequacy/triage.yaml",
    )
    .option(
      "--mutate <globs>",
      "only these files or lines (Stryker's --mutate, e.g. reference/query/segment-set.ts:40-60), for a quick look",
    )
    .option(
      "--scratch <dir>",
      "a trial run: write Stryker's report and ours into DIR, leaving adequacy/ and reports/ alone",
    )
    .option("--concurrency <n>", "Stryker's test runner processes (default 2)", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new CliError(`--concurrency: ${v} is not a positive integer`);
      return n;
    })
    .action(
      async (opts: {
        incremental?: boolean;
        reportOnly?: boolean;
        mutate?: string;
        scratch?: string;
        concurrency?: number;
      }) => {
        let result: Awaited<ReturnType<typeof runAdequacy>>;
        try {
          result = await runAdequacy({ ...opts, onLine: (l) => process.stderr.write(`${l}\n`) });
        } catch (e) {
          throw new CliError(`adequacy: ${(e as Error).message}`);
        }
        const { report, seconds, dir } = result;
        for (const f of [...report.folders, report.totals])
          await out(
            `${f.folder.padEnd(34)} ${String(f.killed).padStart(5)} killed of ${String(f.mutants - f.equivalent - f.unreachable - f.errors).padStart(5)} (${(f.score * 100).toFixed(2)} %)${f.too_costly ? `, ${f.too_costly} too costly` : ""}${f.survived + f.no_coverage ? `, ${f.survived + f.no_coverage} not triaged` : ""}`,
          );
        const open = report.not_killed.filter(
          (m) => m.outcome === "survived" || m.outcome === "no-coverage",
        ).length;
        const below = report.folders.filter((f) => f.score < TARGET).map((f) => f.folder);
        await out(
          `adequacy: ${below.length === 0 && open === 0 ? "ok" : `${below.length ? `below ${TARGET * 100} % in ${below.join(", ")}` : ""}${below.length && open ? "; " : ""}${open ? `${open} mutants not killed and not triaged` : ""}`} (${seconds} s); ${shown(join(dir, "report.md"))}`,
        );
        process.exitCode = below.length === 0 && open === 0 ? EXIT_OK : EXIT_FAILED;
      },
    );
}
