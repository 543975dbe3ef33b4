// Runs the vitest suite and ends with one plain line, "tests: N passed, N failed, N skipped", which CI
// reads whatever the runner. Extra arguments go to vitest (e.g. a path filter). Exit code: vitest's.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const report = join(".tmp", "vitest-report.json");
mkdirSync(".tmp", { recursive: true });
rmSync(report, { force: true });
const r = spawnSync(
  process.execPath,
  [
    "node_modules/vitest/vitest.mjs",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
let line = "tests: the runner wrote no report (it crashed before the end)";
try {
  const j = JSON.parse(readFileSync(report, "utf8"));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  line = `tests: ${j.numPassedTests} passed, ${j.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`;
} catch {}
console.log(line);
process.exit(r.status ?? 1);
