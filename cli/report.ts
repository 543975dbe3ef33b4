// asl-conform report merge FILE... --report-dir DIR: joins the report.json files of the shards of one
// suite (run --shard K/N) into one report, judged again by harness/verdict.ts from the same observations,
// so the merged verdict is the unsharded run's.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { loadCatalog } from "../catalog/load.ts";
import { mergeReports, type Report } from "../harness/report/report.ts";
import { ReportWriteError, reportViolation, writeReports } from "../harness/report/write.ts";
import { headline, summaryLine } from "../harness/verdict.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { exitCodeOf } from "./run.ts";
import { CliError, out } from "./util.ts";

function readReport(path: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const v = reportViolation(data);
  if (v) throw new CliError(`${path} is not a report.json of this version: ${v}`);
  return data as Report;
}

export function registerReport(program: Command): void {
  const report = program.command("report").description(DESCRIPTIONS.report);
  report
    .command("merge")
    .description("join the reports of the shards of one run (run --shard K/N) into one")
    .argument("<reports...>", "report.json files")
    .requiredOption("--report-dir <dir>", "where to write the merged report.json, junit.xml and summary.md")
    .action(async (files: string[], opts: { reportDir: string }) => {
      const reports = files.map(readReport);
      let merged: Report;
      try {
        merged = mergeReports(reports, loadCatalog().rules);
      } catch (e) {
        throw new CliError(`cannot merge: ${(e as Error).message}`);
      }
      try {
        writeReports(opts.reportDir, merged);
      } catch (e) {
        if (e instanceof ReportWriteError) throw new CliError(e.message);
        throw e;
      }
      await out(
        `merged ${files.length} reports (${merged.selection.shards.join(", ")}) into ${opts.reportDir}`,
      );
      await out(`verdict: ${headline(merged)}`);
      await out(summaryLine(merged.counts));
      process.exitCode = exitCodeOf(merged.outcome);
    });
}
