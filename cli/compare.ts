// asl-conform compare BASE HEAD [--markdown | --json]: what changed between two runs, check by check and
// rule by rule (the classes and why: harness/report/compare.ts). BASE and HEAD are report.json files, or
// folders searched recursively for report.json files matched by implementation name. Exit: 1 when
// something fails in HEAD that did not in BASE (NEW_FAIL), 0 otherwise, 2 when a report cannot be read.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { ErrorObject } from "ajv/dist/2020.js";
import { type Command, Option } from "commander";
import { fsReason, schemaId, schemaValidator } from "../catalog/load.ts";
import { compareMarkdown, compareRuns, compareText, type LabelledReport } from "../harness/report/compare.ts";
import { REPORT_SCHEMA, type Report } from "../harness/report/report.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { CliError, EXIT_FAILED, EXIT_OK, out } from "./util.ts";

/** What is wrong with the first schema error, as ajv says it, with the name or values it is about. */
function schemaProblem(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return "invalid";
  const extra =
    e.keyword === "additionalProperties"
      ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
      : e.keyword === "enum"
        ? ` (one of ${JSON.stringify((e.params as { allowedValues?: unknown[] }).allowedValues)})`
        : "";
  const more = (errors?.length ?? 1) > 1 ? ` (and ${errors!.length - 1} more)` : "";
  return `at ${e.instancePath || "/"}: ${e.message ?? e.keyword}${extra}${more}`;
}

/** One report.json, validated against spec/schemas/report.schema.json; a CliError naming the file if not. */
export function readReportFile(file: string): LabelledReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new CliError(
      e instanceof SyntaxError ? `${file}: not JSON (${e.message})` : `cannot read ${file}: ${fsReason(e)}`,
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new CliError(`${file}: not a report.json (not a JSON object)`);
  const schema = (data as { schema?: unknown }).schema;
  if (schema !== REPORT_SCHEMA)
    throw new CliError(
      `${file}: not a report.json this version reads (schema ${JSON.stringify(schema ?? null)}, expected "${REPORT_SCHEMA}")`,
    );
  const validate = schemaValidator().getSchema(schemaId("report.schema.json"));
  if (!validate) throw new CliError("no schema report.schema.json in spec/schemas");
  if (!validate(data))
    throw new CliError(`${file}: breaks spec/schemas/report.schema.json ${schemaProblem(validate.errors)}`);
  return { file, report: data as Report };
}

/** The reports a side names: the file itself, or every report.json under the folder (one per implementation). */
function reportsOf(arg: string, side: "BASE" | "HEAD"): { reports: LabelledReport[]; isFile: boolean } {
  let isFile: boolean;
  try {
    isFile = !statSync(arg).isDirectory();
  } catch (e) {
    throw new CliError(`cannot read ${side} ${arg}: ${fsReason(e)}`);
  }
  if (isFile) return { reports: [readReportFile(arg)], isFile };
  let names: string[];
  try {
    names = readdirSync(arg, { recursive: true }).map(String);
  } catch (e) {
    throw new CliError(`cannot list ${side} ${arg}: ${fsReason(e)}`);
  }
  const files = names
    .filter((f) => basename(f) === "report.json")
    .sort()
    .map((f) => join(arg, f));
  if (files.length === 0) throw new CliError(`${side} ${arg}: no report.json in this folder or below`);
  const reports = files.map(readReportFile);
  const seen = new Map<string, string>();
  for (const r of reports) {
    const name = r.report.implementation.name;
    const prev = seen.get(name);
    if (prev)
      throw new CliError(
        `${side} ${arg} holds two reports of ${name} (${prev}, ${r.file}): merge shards with \`report merge\`, or compare the two files directly`,
      );
    seen.set(name, r.file);
  }
  return { reports, isFile };
}

export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description(DESCRIPTIONS.compare)
    .argument("<base>", "the earlier run: a report.json, or a folder of them (one per implementation)")
    .argument("<head>", "the later run: a report.json, or a folder of them")
    .addOption(new Option("--markdown", "print Markdown (for a pull-request comment)").conflicts("json"))
    .option("--json", "print the comparison as JSON")
    .action(async (base: string, head: string, opts: { markdown?: boolean; json?: boolean }) => {
      const b = reportsOf(base, "BASE");
      const h = reportsOf(head, "HEAD");
      const cmp = compareRuns(b.reports, h.reports, { paired: b.isFile && h.isFile });
      if (cmp.pairs.length === 0) {
        const names = (ls: LabelledReport[]) => ls.map((l) => l.report.implementation.name).join(", ");
        throw new CliError(
          `no implementation is in both BASE (${names(b.reports)}) and HEAD (${names(h.reports)}): folders are matched by implementation name; give two report.json files to compare them whatever their names`,
        );
      }
      await out(
        opts.json ? JSON.stringify(cmp, null, 2) : opts.markdown ? compareMarkdown(cmp) : compareText(cmp),
      );
      process.exitCode = cmp.new_failures > 0 ? EXIT_FAILED : EXIT_OK;
    });
}
