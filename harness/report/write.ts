// Writes a report as report.json (validated against its schema first), junit.xml and summary.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { schemaId, schemaValidator } from "../../catalog/load.ts";
import { junitXml } from "./junit.ts";
import { summaryMarkdown } from "./markdown.ts";
import type { Report } from "./report.ts";

export class ReportWriteError extends Error {}

export function reportViolation(report: unknown): string | undefined {
  const validate = schemaValidator().getSchema(schemaId("report.schema.json"));
  if (!validate) return "no schema report.schema.json";
  if (validate(report)) return undefined;
  const e = validate.errors?.[0];
  return `${e?.instancePath || "/"} ${e?.message ?? "invalid"}`;
}

export function writeReports(dir: string, report: Report): void {
  const v = reportViolation(report);
  if (v)
    throw new ReportWriteError(`internal: report.json would break spec/schemas/report.schema.json at ${v}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(dir, "junit.xml"), `${junitXml(report)}\n`);
    writeFileSync(join(dir, "summary.md"), summaryMarkdown(report));
  } catch (e) {
    throw new ReportWriteError(`cannot write the reports to ${dir}: ${(e as Error).message}`);
  }
}
