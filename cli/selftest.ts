// asl-conform selftest: the suite tested against itself (authoring/selftest.ts). Every mutant of
// adapters/mutants must be rejected by a failing check naming a rule it declares, and the correct
// implementations (the reference in-process, the Python example over the process protocol) must conform.
// Exit: 0 all of that holds, 1 a mutant survived or a correct implementation was rejected, 2 bad flags.
import { type Command, InvalidArgumentError } from "commander";
import { MUTANTS } from "../adapters/mutants/index.ts";
import { machineKills } from "../authoring/adequacy.ts";
import {
  memoryScratchDir,
  runSelftest,
  type SelftestResult,
  type SelftestRow,
} from "../authoring/selftest.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { CliError, EXIT_FAILED, EXIT_OK, out } from "./util.ts";

interface SelftestFlags {
  mutant?: string[];
  runs: number;
  seed: number;
  skipPython?: boolean;
  json?: boolean;
  scratchDir?: string;
}

function intArg(name: string, min: number, max: number) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`${name} takes a whole number, not "${v}"`);
    const n = Number(v);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return n;
  };
}

const collect = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
];

export function registerSelftest(program: Command): void {
  program
    .command("selftest")
    .description(DESCRIPTIONS.selftest)
    .option(
      "--mutant <ids>",
      "only these mutants (comma-separated or repeated); skips the correct implementations",
      collect,
    )
    .option("--runs <n>", "runs per property", intArg("--runs", 1, 1_000_000), 40)
    .option("--seed <n>", "seed of the properties", intArg("--seed", -2147483648, 2147483647), 20261122)
    .option("--skip-python", "do not run the Python example (it needs python3)")
    .option("--json", "print the result as JSON")
    .option(
      "--scratch-dir <dir>",
      "where the implementations keep their scratch stores (default: /dev/shm when there is one, else the system's temporary directory)",
    )
    .action(async (flags: SelftestFlags) => {
      process.exitCode = await selftestCommand(flags);
    });
}

const COLUMNS = [
  { title: "mutant", width: 40 },
  { title: "declared rules", width: 30 },
  { title: "killed by", width: 48 },
  { title: "verdict", width: 15 },
] as const;

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function line(row: SelftestRow): string {
  const cells = [
    row.id,
    row.kind === "mutant" ? row.rules.join(",") : "(correct)",
    row.killed_by.slice(0, 2).join(", ") || "-",
    row.verdict,
  ];
  return cells
    .map((c, i) => cell(c, COLUMNS[i]!.width))
    .join("  ")
    .trimEnd();
}

function summary(r: SelftestResult): string[] {
  const lines = [""];
  for (const row of r.rows.filter((x) => x.verdict !== "killed" && x.verdict !== "conforms")) {
    const what =
      row.verdict === "false-rejection"
        ? `${row.killed_by.length} failing check${row.killed_by.length === 1 ? "" : "s"}: ${row.killed_by.join(", ")}`
        : row.verdict === "survived"
          ? "the suite accepts it: a hole in the suite"
          : `rejected, but by no check naming ${row.rules.join(", ")} (failing: ${row.other_failures.slice(0, 4).join(", ")})`;
    lines.push(`${row.verdict.toUpperCase()} ${row.id}: ${what}`);
    for (const d of row.detail ?? []) lines.push(`    ${d}`);
  }
  const thin = Object.entries(r.kills_by_rule).filter(([, ids]) => ids.length === 1);
  const never = Object.entries(r.kills_by_rule).filter(([, ids]) => ids.length === 0);
  const counts = Object.values(r.kills_by_rule).map((ids) => ids.length);
  lines.push(
    `checks failing each MUST rule across the zoo and the machine-made mutants: ${counts.filter((n) => n >= 2).length} rules by 2 or more checks, ${thin.length} by one only, ${never.length} by none`,
  );
  if (thin.length)
    lines.push(`  thin (one check only): ${thin.map(([id, [c]]) => `${id} (${c})`).join(", ")}`);
  if (never.length) lines.push(`  failed by no mutant: ${never.map(([id]) => id).join(", ")}`);
  const pct = Math.round(r.kill_rate * 1000) / 10;
  lines.push(
    `kill rate: ${r.killed}/${r.mutants} mutants (${pct}%); ${(r.duration_ms / 1000).toFixed(1)} s`,
    r.ok ? "selftest: ok" : "selftest: FAILED",
  );
  return lines;
}

export async function selftestCommand(flags: SelftestFlags): Promise<number> {
  const ids = flags.mutant;
  if (ids) {
    const known = new Set(MUTANTS.map((m) => m.id));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new CliError(`unknown mutant ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
  }
  const scratchDir = flags.scratchDir ?? memoryScratchDir();
  const mutants = ids ? MUTANTS.filter((m) => ids.includes(m.id)) : MUTANTS;
  if (!flags.json)
    await out(
      COLUMNS.map((c) => cell(c.title, c.width))
        .join("  ")
        .trimEnd(),
    );
  const result = await runSelftest({
    mutants,
    python: !ids && !flags.skipPython,
    reference: !ids,
    seed: flags.seed,
    runs: flags.runs,
    ...(scratchDir !== undefined ? { scratchDir } : {}),
    machineKills: machineKills(),
    ...(flags.json ? {} : { onRow: (row: SelftestRow) => void out(line(row)) }),
  });
  if (flags.json) await out(JSON.stringify(result, null, 2));
  else for (const l of summary(result)) await out(l);
  return result.ok ? EXIT_OK : EXIT_FAILED;
}
