// asl-conform check: the spec gate CI runs (harness/gate.ts says what it requires). Exit 0 when every
// requirement holds, 1 naming each problem otherwise, 2 when it cannot run.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { runGate } from "../authoring/gate.ts";
import { writeLedger } from "../authoring/ledger.ts";
import { loadCatalog } from "../catalog/load.ts";
import { THOROUGH_RUNS } from "../harness/run.ts";
import { loadSuite } from "../harness/suite.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { CliError, EXIT_FAILED, EXIT_OK, out, requireClone } from "./util.ts";

/** A --root the gate can check: a folder holding spec/ and vectors/; else the command cannot run (exit 2). */
function checkableRoot(root: string): string {
  const dir = resolve(root);
  if (!existsSync(dir)) throw new CliError(`cannot check ${dir}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new CliError(`cannot check ${dir}: it is a file, not a folder`);
  const lacking = ["spec", "vectors"].filter((d) => !existsSync(join(dir, d)));
  if (lacking.length > 0)
    throw new CliError(
      `cannot check ${dir}: it holds no ${lacking.map((d) => `${d}/`).join(" and no ")} folder (--root names a tree with spec/ and vectors/)`,
    );
  return dir;
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description(DESCRIPTIONS.check)
    .option("--skip-python", "leave the Python example out of the selftest (faster)")
    .option("--update-ledger", "record new rule ids, decisions and codes in spec/ids-ledger.json, then check")
    .option("--root <dir>", "check another tree holding spec/ and vectors/ (e.g. a pull request's checkout)")
    .option("--skip-selftest", "leave the mutant zoo out (never in CI)")
    .action(
      async (opts: {
        skipPython?: boolean;
        updateLedger?: boolean;
        root?: string;
        skipSelftest?: boolean;
      }) => {
        requireClone("check");
        const root = opts.root === undefined ? undefined : checkableRoot(opts.root);
        if (opts.updateLedger) {
          const l = writeLedger(
            loadCatalog(),
            (await loadSuite()).checks.map((c) => c.id),
          );
          await out(
            `spec/ids-ledger.json: ${Object.keys(l.rules).length} rule ids, ${l.decisions.length} decisions, ${l.codes.length} codes, ${Object.keys(l.checks).length} check ids`,
          );
        }
        const started = performance.now();
        const quiet = Boolean(process.env.CI) || !process.stdout.isTTY;
        const r = await runGate({
          seed: 20261122,
          runs: THOROUGH_RUNS,
          python: !opts.skipPython,
          ...(root ? { root } : {}),
          skipSelftest: opts.skipSelftest === true,
          onStep: (s) => (quiet ? undefined : process.stderr.write(`check: ${s}\n`)),
        });
        for (const p of r.problems) await out(`  [${p.area}] ${p.message}`);
        for (const w of r.warnings) await out(`  [warn] ${w}`);
        const s = r.selftest;
        const secs = ((performance.now() - started) / 1000).toFixed(1);
        await out(
          r.problems.length === 0
            ? `check: ok (${r.mustRules} MUST rules each with a passing and a failing check; ${s ? `${s.killed}/${s.mutants} mutants killed` : "no selftest"}; ${secs} s)`
            : `check: ${r.problems.length} problem${r.problems.length === 1 ? "" : "s"} (${secs} s)`,
        );
        process.exitCode = r.problems.length === 0 ? EXIT_OK : EXIT_FAILED;
      },
    );
}
