// asl-conform rules [--json | --markdown] [--capability C] [--out FILE]: the rule catalog.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { syncGenerated } from "../authoring/codegen.ts";
import { syncRuleChecks } from "../authoring/rules-sync.ts";
import { rulesJson, rulesMarkdown, rulesTable } from "../authoring/rules-view.ts";
import { CAPABILITIES, fsReason, loadCatalog } from "../catalog/load.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { CliError, EXIT_FAILED, out, requireClone } from "./util.ts";

export function registerRules(program: Command): void {
  const rules = program
    .command("rules")
    .description(DESCRIPTIONS.rules)
    .option("--json", "print a JSON array of the rules")
    .option("--markdown", "print the Markdown view (spec/RULES.md)")
    .option("--capability <name>", `only the rules of one capability (${CAPABILITIES.join(", ")})`)
    .option("--out <file>", "write to a file instead of stdout")
    .action(async (opts: { json?: boolean; markdown?: boolean; capability?: string; out?: string }) => {
      if (opts.json && opts.markdown) throw new CliError("choose one of --json and --markdown");
      const catalog = loadCatalog();
      if (opts.capability !== undefined) {
        if (!(CAPABILITIES as readonly string[]).includes(opts.capability)) {
          throw new CliError(`unknown capability "${opts.capability}"; known: ${CAPABILITIES.join(", ")}`);
        }
        catalog.rules = catalog.rules.filter((r) => r.capability === opts.capability);
      }
      const text = opts.json
        ? `${JSON.stringify(rulesJson(catalog), null, 2)}\n`
        : opts.markdown
          ? rulesMarkdown(catalog)
          : rulesTable(catalog);
      if (opts.out) {
        try {
          writeFileSync(opts.out, text.endsWith("\n") ? text : `${text}\n`);
        } catch (e) {
          throw new CliError(`cannot write ${opts.out}: ${fsReason(e)}`);
        }
      } else await out(text);
    });
  rules
    .command("sync")
    .description(
      "rewrite what derives from the spec: the checks lists of spec/rules/*.yaml (from the suite and the project's tests) and catalog/generated/ (from spec/errors.yaml)",
    )
    .option("--check", "change nothing; exit 1 naming what is stale")
    .action(async (opts: { check?: boolean }) => {
      requireClone("rules sync");
      const generated = syncGenerated(loadCatalog(), !opts.check);
      const changed = await syncRuleChecks(!opts.check);
      if (opts.check) {
        if (changed.length > 0 || generated.length > 0) {
          await out(`stale (run npm run rules:sync): ${[...generated, ...changed].join(", ")}`);
          process.exitCode = EXIT_FAILED;
        } else await out("checks lists and generated code: up to date");
      } else
        await out(
          `${changed.length > 0 ? `updated the checks of ${changed.length} rules` : "checks lists: up to date"}${generated.length ? `; rewrote ${generated.join(", ")}` : ""}`,
        );
    });
}
