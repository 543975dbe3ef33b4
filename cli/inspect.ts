// asl-conform inspect FILE [--json] [--max-records N]: a segment's header, filters, records, projections
// and footer with their byte offsets; a defective file is shown up to the defect, then its one error
// (DEC-027) with code, offset, field and rule. Exit 0 for a valid segment, 1 for a defective one.
import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError } from "commander";
import { fsReason } from "../catalog/load.ts";
import { type InspectReport, inspectSegment } from "../reference/segment/inspect.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { CliError, EXIT_FAILED, EXIT_OK, out } from "./util.ts";

function render(file: string, r: InspectReport): string {
  const lines = [`${file}: ${r.size} bytes, ${r.ok ? "a valid segment" : "DEFECTIVE"}`];
  for (const item of r.items) {
    lines.push(
      `@${String(item.offset).padStart(6)}  ${item.kind}${item.index === undefined ? "" : ` #${item.index}`} (${item.size} bytes)`,
    );
    for (const f of item.fields)
      lines.push(`  @${String(f.offset).padStart(6)}  ${f.name.padEnd(20)} ${f.value}`);
  }
  if (r.omitted > 0) lines.push(`(${r.omitted} records not listed; --max-records raises the limit)`);
  if (r.error) {
    const e = r.error;
    lines.push(
      "",
      `error ${e.code} (stage ${e.stage}, check ${e.step})${e.offset === undefined ? "" : ` at byte offset ${e.offset}`}${e.field ? `, field ${e.field}` : ""}${e.rule ? `, rule ${e.rule}` : ""}`,
      `  ${e.message}`,
    );
  }
  return lines.join("\n");
}

export function registerInspect(program: Command): void {
  program
    .command("inspect")
    .description(DESCRIPTIONS.inspect)
    .argument("<file>", "an ENC-ASL-TGK-INDEX segment")
    .option("--json", "print the same as JSON (u64 values as strings)")
    .option("--max-records <n>", "list at most N records of each kind", (v: string) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`--max-records takes a whole number, not "${v}"`);
      return Number(v);
    })
    .action(async (file: string, opts: { json?: boolean; maxRecords?: number }) => {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(file));
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${fsReason(e)}`);
      }
      const report = inspectSegment(
        bytes,
        opts.maxRecords === undefined ? {} : { maxRecords: opts.maxRecords },
      );
      await out(opts.json ? JSON.stringify({ file, ...report }, null, 2) : render(file, report));
      process.exitCode = report.ok ? EXIT_OK : EXIT_FAILED;
    });
}
