// asl-conform diff BASE [--against DIR] [--reports DIR] [--markdown]: what a spec change does. BASE is a
// git ref (read with `git archive`) or a directory holding an earlier spec/ (and vectors/).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { diffProblems, diffText, diffTrees, readReports } from "../authoring/diff.ts";
import { REPO_ROOT } from "../catalog/load.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { CliError, EXIT_FAILED, EXIT_OK, out } from "./util.ts";

/** A directory holding the tree of `base`: the directory itself, or a git ref extracted to a temp dir. */
export function treeOf(base: string): { root: string; cleanup: () => void } {
  const asDir = resolve(base);
  if (existsSync(join(asDir, "spec"))) return { root: asDir, cleanup: () => {} };
  const tmp = mkdtempSync(join(tmpdir(), "asl-base-"));
  try {
    const tar = execFileSync("git", ["archive", "--format=tar", base, "spec", "vectors"], {
      cwd: REPO_ROOT,
      maxBuffer: 512 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
    execFileSync("tar", ["-x", "-C", tmp], { input: tar });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const msg = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
    throw new CliError(
      `"${base}" is neither a directory holding spec/ nor a git ref with spec/ and vectors/: ${msg.split("\n")[0]}`,
    );
  }
  return { root: tmp, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

export function registerDiff(program: Command): void {
  program
    .command("diff")
    .description(DESCRIPTIONS.diff)
    .argument("<base>", "a git ref or a directory holding the earlier spec/ (and vectors/)")
    .option("--against <dir>", "compare with this tree instead of the working tree")
    .option("--reports <dir>", "saved report.json files of implementations (searched recursively)")
    .option("--markdown", "print Markdown (for a pull-request comment)")
    .action(async (base: string, opts: { against?: string; reports?: string; markdown?: boolean }) => {
      const b = treeOf(base);
      try {
        const against = opts.against ? resolve(opts.against) : REPO_ROOT;
        if (!existsSync(join(against, "spec")))
          throw new CliError(`--against ${opts.against}: no spec/ there`);
        if (opts.reports && !existsSync(opts.reports))
          throw new CliError(`--reports ${opts.reports}: no such directory`);
        const d = diffTrees(b.root, against, opts.reports ? readReports(opts.reports) : []);
        await out(diffText(d, opts.markdown === true));
        process.exitCode = diffProblems(d).length > 0 ? EXIT_FAILED : EXIT_OK;
      } finally {
        b.cleanup();
      }
    });
}
