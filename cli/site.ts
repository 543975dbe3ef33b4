// asl-conform site REPORT... --out DIR: the static results site (site/) from report.json files or folders
// holding them: index.html with the matrix of rules x implementations, a page per implementation and per
// rule, an SVG badge per implementation and implementations.json. Opens from file://, fetches nothing.
// Exit: 0 the site was written (whatever the verdicts), 2 a report could not be used or --out not written.
import { join } from "node:path";
import type { Command } from "commander";
import { loadCatalog } from "../catalog/load.ts";
import { specDigest } from "../harness/suite.ts";
import { buildSite, readReports, SiteInputError, writeSite } from "../site/index.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { CliError, out } from "./util.ts";

export function registerSite(program: Command): void {
  program
    .command("site")
    .description(DESCRIPTIONS.site)
    .argument("<reports...>", "report.json files, or folders searched (recursively) for report.json files")
    .requiredOption(
      "--out <dir>",
      "where to write the site: a new or empty folder, or one holding a site made before (replaced)",
    )
    .action(async (paths: string[], opts: { out: string }) => {
      let files: ReturnType<typeof buildSite>;
      let count: number;
      try {
        const reports = readReports(paths).map((r) => r.report);
        count = reports.length;
        files = buildSite({ reports, catalog: loadCatalog(), specDigest: specDigest() });
        writeSite(opts.out, files);
      } catch (e) {
        if (e instanceof SiteInputError) throw new CliError(e.message);
        throw e;
      }
      const rules = files.filter((f) => f.path.startsWith("rules/")).length;
      await out(
        `wrote the results site of ${count} implementation${count === 1 ? "" : "s"} and ${rules} rules to ${opts.out} (${files.length} files)`,
      );
      await out(`open ${join(opts.out, "index.html")}`);
    });
}
