// The results site (`asl-conform site REPORT... --out DIR`): static pages made from report.json files, in
// the spirit of Bowtie's report site, that work from file:// with no server: index.html (the matrix of
// rules x implementations), a page per implementation and per rule, an SVG badge per implementation and
// implementations.json. The verdicts are the reports' own (harness/verdict.ts made them); the site only
// shows them. Same inputs, same bytes: everything is sorted and nothing says when it was made.
import {
  type Dirent,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { Report } from "../harness/report/report.ts";
import { reportViolation } from "../harness/report/write.ts";
import { badgeSvg } from "./badge.ts";
import { buildModel, byCodePoint, type SiteInput, SiteInputError } from "./model.ts";
import { implementationPage } from "./pages/implementation.ts";
import { indexPage } from "./pages/index.ts";
import { rulePage } from "./pages/rule.ts";

export { type SiteInput, SiteInputError } from "./model.ts";

export const SITE_SCHEMA = "asl-conformance/site-implementations/1";

export interface SiteFile {
  /** Relative to the site's root, with `/`. */
  path: string;
  content: string;
}

/** Every file of the site, sorted by path. */
export function buildSite(input: SiteInput): SiteFile[] {
  const m = buildModel(input);
  const files: SiteFile[] = [{ path: "index.html", content: indexPage(m) }];
  for (const i of m.implementations) {
    files.push({ path: i.page, content: implementationPage(m, i) });
    files.push({
      path: i.badge,
      content: `${badgeSvg(i.report.outcome, i.report.rule_counts.pass).toString()}\n`,
    });
  }
  for (const r of m.rules) files.push({ path: r.page, content: rulePage(m, r) });
  const implementations = Object.fromEntries(
    m.implementations.map((i) => {
      const r = i.report;
      return [
        i.slug,
        {
          name: r.implementation.name,
          version: r.implementation.version,
          language: r.implementation.language,
          capabilities: [...r.capabilities].sort(byCodePoint),
          contract: r.contract,
          outcome: r.outcome,
          headline: r.headline,
          counts: r.counts,
          rule_counts: r.rule_counts,
          page: i.page,
          badge: i.badge,
        },
      ];
    }),
  );
  files.push({
    path: "implementations.json",
    content: `${JSON.stringify({ schema: SITE_SCHEMA, implementations }, null, 2)}\n`,
  });
  return files.sort((a, b) => byCodePoint(a.path, b.path));
}

/** The report.json files under a folder, found recursively (symbolic links are not followed), sorted. */
function reportsUnder(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new SiteInputError(`cannot list ${dir}: ${(e as Error).message}`);
  }
  return entries
    .sort((a, b) => byCodePoint(a.name, b.name))
    .flatMap((e) =>
      e.isDirectory()
        ? reportsUnder(join(dir, e.name))
        : e.isFile() && e.name === "report.json"
          ? [join(dir, e.name)]
          : [],
    );
}

/**
 * The reports named on the command line: report.json files, or folders searched for them. Each is read
 * and validated against spec/schemas/report.schema.json; the first that cannot be used is an error naming
 * its file.
 */
export function readReports(paths: readonly string[]): { file: string; report: Report }[] {
  const files: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      throw new SiteInputError(
        `cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    if (!isDir) files.push(p);
    else {
      const found = reportsUnder(p);
      if (found.length === 0) throw new SiteInputError(`no report.json under ${p}`);
      files.push(...found);
    }
  }
  const seen = new Set<string>();
  const out: { file: string; report: Report }[] = [];
  for (const file of files) {
    const real = realpathSync(file);
    if (seen.has(real)) continue;
    seen.add(real);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      // One line: JSON.parse quotes the start of the text, which may hold line breaks.
      const why = (e as Error).message.replace(/\s+/g, " ");
      throw new SiteInputError(
        e instanceof SyntaxError ? `${file} is not JSON: ${why}` : `cannot read ${file}: ${why}`,
      );
    }
    const v = reportViolation(data);
    if (v) throw new SiteInputError(`${file} is not a report.json of this version: ${v}`);
    out.push({ file, report: data as Report });
  }
  return out;
}

const OWNED = ["index.html", "implementations.json", "implementations", "rules", "badges"];

/**
 * Writes the site to `dir`. A folder that is not empty must hold a site made before (its
 * implementations.json says so): its pages are replaced whole, so none of a dropped implementation stays;
 * any other folder is refused, so a mistyped --out never removes a stranger's files.
 */
export function writeSite(dir: string, files: readonly SiteFile[]): void {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new SiteInputError(`--out ${dir} is a file, not a folder: give a new or empty folder`);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    let ours = false;
    try {
      const j = JSON.parse(readFileSync(join(dir, "implementations.json"), "utf8")) as { schema?: unknown };
      ours = j.schema === SITE_SCHEMA;
    } catch {}
    if (!ours)
      throw new SiteInputError(
        `${dir} is not empty and holds no site made by asl-conform: give an empty or new folder to --out`,
      );
    for (const f of OWNED) rmSync(join(dir, f), { recursive: true, force: true });
  }
  for (const f of files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
  }
}
