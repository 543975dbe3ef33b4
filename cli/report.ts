// asl-conform report merge FILE... --report-dir DIR: joins the report.json files of the shards of one
// suite (run --shard K/N) into one report, with per-rule verdicts recomputed over all checks.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { loadCatalog, schemaId, schemaValidator } from "../harness/catalog/load.ts";
import { mergeReports, type Report, summaryLine } from "../harness/report/report.ts";
import { writeReports } from "./run.ts";
import { CliError, EXIT_FAILED, EXIT_OK, out } from "./util.ts";

function readReport(path: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const validate = schemaValidator().getSchema(schemaId("report.schema.json"));
  if (validate && !validate(data)) {
    const first = validate.errors?.[0];
    throw new CliError(`${path} is not a report.json: ${first?.instancePath || "/"} ${first?.message ?? ""}`);
  }
  return data as Report;
}

export function registerReport(program: Command): void {
  const report = program.command("report").description("work with report.json files");
  report
    .command("merge")
    .description("join the reports of the shards of one run (run --shard K/N) into one")
    .argument("<reports...>", "report.json files")
    .requiredOption("--report-dir <dir>", "where to write the merged report.json, junit.xml and summary.md")
    .action(async (files: string[], opts: { reportDir: string }) => {
      const reports = files.map(readReport);
      let merged: Report;
      try {
        merged = mergeReports(reports, loadCatalog());
      } catch (e) {
        throw new CliError(`cannot merge: ${(e as Error).message}`);
      }
      writeReports(opts.reportDir, merged);
      await out(
        `merged ${files.length} reports (${merged.selection.shards.join(", ")}) into ${opts.reportDir}`,
      );
      await out(summaryLine(merged.counts));
      process.exitCode = merged.conforms ? EXIT_OK : EXIT_FAILED;
    });
}
