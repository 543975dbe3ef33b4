// asl-conform run: the main job. With no adapter it runs the whole suite against the built-in reference
// engine; with --adapter (a TypeScript/JavaScript module) or --adapter-cmd (any language, over the
// process protocol) it runs it against another implementation and says, rule by rule, what conforms.
// Exit: 0 conforms (modulo --expect), 1 a rule failed, 2 the run could not be done or was inconclusive.
import { resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { InProcessAdapter, loadModuleImplementation } from "../adapters/in-process.ts";
import type { Adapter, Capability } from "../adapters/interface.ts";
import { PROFILE, PROTOCOL_VERSION } from "../adapters/interface.ts";
import { MUTANTS } from "../adapters/mutants/index.ts";
import { AdapterStartError, ProcessAdapter } from "../adapters/process.ts";
import { createReferenceImplementation } from "../adapters/reference/index.ts";
import { claimProblems } from "../catalog/capabilities.ts";
import { readContract } from "../catalog/contract.ts";
import { resolveCheckIds } from "../catalog/ledger.ts";
import { CAPABILITIES, loadCatalog } from "../catalog/load.ts";
import { TOOL_VERSION } from "../catalog/paths.ts";
import type { Launch } from "../harness/checks/types.ts";
import { CoverageCounter } from "../harness/coverage.ts";
import { serveCommand } from "../harness/durability/index.ts";
import { loadExpectations, unusedExpectations } from "../harness/expectations.ts";
import { type OpenedRelease, openRelease, ReleaseError } from "../harness/release.ts";
import { consoleLines } from "../harness/report/console.ts";
import { buildReport } from "../harness/report/report.ts";
import { ReportWriteError, writeReports } from "../harness/report/write.ts";
import { DEFAULT_RUNS, runChecks, THOROUGH_RUNS } from "../harness/run.ts";
import { type RunSelection, selectChecks } from "../harness/select.ts";
import { loadSuite, specDigest } from "../harness/suite.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { Progress } from "./progress.ts";
import { CliError, EXIT_CANNOT_RUN, EXIT_FAILED, EXIT_OK, out } from "./util.ts";

export interface RunFlags {
  adapter?: string;
  adapterCmd?: string;
  mutant?: string;
  vectors?: string;
  acceptVersion?: boolean;
  timeoutMs: number;
  maxMessageBytes: number;
  validateProtocol?: boolean;
  seed: number;
  runs?: number;
  thorough?: boolean;
  rules?: string;
  check?: string;
  capabilities?: Capability[];
  shard?: { index: number; count: number };
  expect?: string;
  reportDir?: string;
  saveRegressions?: string;
  fcPath?: string;
  crashSchedule?: number;
  strict?: boolean;
  coverage?: boolean;
  quiet?: boolean;
}

function intArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`${name} takes a whole number, not "${v}"`);
    const n = Number(v);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return n;
  };
}

function capabilityList(v: string): Capability[] {
  const caps = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = caps.filter((c) => !(CAPABILITIES as readonly string[]).includes(c));
  if (unknown.length)
    throw new InvalidArgumentError(
      `unknown capability ${unknown.join(", ")}; known: ${CAPABILITIES.join(", ")}`,
    );
  return caps as Capability[];
}

function shardArg(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    throw new InvalidArgumentError(`--shard takes K/N with 1 <= K <= N, not "${v}"`);
  return { index, count };
}

export function addRunOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        "--adapter <module>",
        "a TypeScript or JavaScript module exporting an Implementation (adapters/interface.ts)",
      ).conflicts("adapterCmd"),
    )
    .addOption(
      new Option(
        "--adapter-cmd <command>",
        "a command that speaks the process protocol (spec/protocol.md) on stdin/stdout",
      ).conflicts("mutant"),
    )
    .addOption(
      new Option(
        "--mutant <id>",
        "a mutant of the zoo (asl-conform selftest lists them): the reference with one defect",
      ).conflicts("adapter"),
    )
    .option(
      "--timeout-ms <ms>",
      "per-request time limit for the implementation",
      intArg("--timeout-ms", 1),
      10_000,
    )
    .option(
      "--max-message-bytes <n>",
      "largest protocol line accepted",
      intArg("--max-message-bytes", 1024),
      16 * 1024 * 1024,
    )
    .option(
      "--validate-protocol",
      "validate every message both ways against spec/schemas/protocol.schema.json",
    )
    .option(
      "--seed <n>",
      "seed of the properties and the crash schedules (a failure prints the one that replays it)",
      intArg("--seed", -2147483648, 2147483647),
      20261122,
    )
    .option(
      "--runs <n>",
      `runs per property (default ${DEFAULT_RUNS}; ${THOROUGH_RUNS} with --thorough)`,
      intArg("--runs", 0, 1_000_000),
    )
    .option("--thorough", `more property runs (${THOROUGH_RUNS}): what the spec gate uses`);
}

export function registerRun(program: Command): void {
  const cmd = program.command("run").description(DESCRIPTIONS.run);
  addRunOptions(cmd)
    .option("--rules <pattern>", "only checks naming a matching rule (e.g. ATXI-VIS-*,STO-CUR-001)")
    .option(
      "--check <ids>",
      "only these checks (comma-separated check ids, as a failure's replay command gives)",
    )
    .option(
      "--capabilities <list>",
      "only checks needing no other capability than these (comma-separated)",
      capabilityList,
    )
    .option(
      "--shard <K/N>",
      "run part K of N of the suite (join the reports with `asl-conform report merge`)",
      shardArg,
    )
    .option(
      "--vectors <release>",
      "run a release of the suite (asl-conform release: a .tar.gz or its unpacked folder) instead of the built-in vectors",
    )
    .option("--accept-version", "run a release whose contract version this tool does not know")
    .option("--expect <file>", "known failures (YAML, spec/schemas/expectations.schema.json)")
    .option("--report-dir <dir>", "write report.json, junit.xml and summary.md there")
    .option("--save-regressions <dir>", "write shrunk counterexamples there as vector cases")
    .option("--fc-path <path>", "fast-check replay path (printed with a property failure, with its --seed)")
    .option(
      "--crash-schedule <n>",
      "run only this schedule of the crash checks (printed with a crash check's failure, with its --seed)",
      intArg("--crash-schedule", 0, 1_000_000),
    )
    .option("--strict", "treat SHOULD and SHOULD NOT rules as MUST (their findings fail the run)")
    .option("--coverage", "print which transitions of the content-index and store models the run reached")
    .option("--quiet", "print only failures and the summary line")
    .action(async (flags: RunFlags) => {
      process.exitCode = await runCommand(flags);
    });
}

export async function openAdapter(
  flags: Pick<
    RunFlags,
    "adapter" | "adapterCmd" | "mutant" | "timeoutMs" | "maxMessageBytes" | "validateProtocol"
  >,
): Promise<Adapter> {
  try {
    if (flags.mutant) {
      const m = MUTANTS.find((x) => x.id === flags.mutant);
      if (!m) throw new CliError(`no mutant ${flags.mutant} in the zoo (asl-conform selftest lists them)`);
      return new InProcessAdapter(m.create(), { validate: flags.validateProtocol ?? false });
    }
    if (flags.adapterCmd) {
      return await ProcessAdapter.start({
        command: flags.adapterCmd,
        timeoutMs: flags.timeoutMs,
        maxMessageBytes: flags.maxMessageBytes,
        validate: flags.validateProtocol ?? false,
        harnessVersion: TOOL_VERSION,
      });
    }
    const impl = flags.adapter
      ? await loadModuleImplementation(flags.adapter)
      : createReferenceImplementation();
    return new InProcessAdapter(impl, { validate: flags.validateProtocol ?? false });
  } catch (e) {
    if (e instanceof AdapterStartError) throw new CliError(e.message, EXIT_CANNOT_RUN);
    throw e;
  }
}

/** How the crash checks start the implementation as a process: the given command, or `serve` for a module. */
function launchOf(flags: RunFlags): Launch {
  const command = flags.adapterCmd
    ? flags.adapterCmd
    : flags.mutant
      ? serveCommand(["--mutant", flags.mutant])
      : flags.adapter
        ? serveCommand(["--adapter", resolve(flags.adapter)])
        : serveCommand();
  return {
    command,
    ...(flags.timeoutMs ? { timeoutMs: flags.timeoutMs } : {}),
    ...(flags.maxMessageBytes ? { maxMessageBytes: flags.maxMessageBytes } : {}),
    validate: flags.validateProtocol ?? false,
    harnessVersion: TOOL_VERSION,
  };
}

function replayBase(flags: RunFlags): string {
  const parts = ["npx asl-conform run"];
  if (flags.adapter) parts.push(`--adapter ${JSON.stringify(flags.adapter)}`);
  if (flags.adapterCmd) parts.push(`--adapter-cmd ${JSON.stringify(flags.adapterCmd)}`);
  if (flags.mutant) parts.push(`--mutant ${flags.mutant}`);
  return parts.join(" ");
}

export async function runCommand(flags: RunFlags): Promise<number> {
  if (flags.acceptVersion && !flags.vectors) throw new CliError("--accept-version goes with --vectors");
  let release: OpenedRelease | undefined;
  if (flags.vectors) {
    try {
      release = await openRelease(flags.vectors, { acceptVersion: flags.acceptVersion === true });
    } catch (e) {
      if (e instanceof ReleaseError) throw new CliError(e.message);
      throw e;
    }
  }
  try {
    return await runWith(flags, release);
  } finally {
    release?.close();
  }
}

async function runWith(flags: RunFlags, release: OpenedRelease | undefined): Promise<number> {
  const runs = flags.runs ?? (flags.thorough ? THOROUGH_RUNS : DEFAULT_RUNS);
  const catalog = loadCatalog(release?.specDir);
  const suite = await loadSuite(release?.vectorsDir);
  if (release && !flags.quiet) {
    await out(
      `release ${release.manifest.name} (contract ${release.manifest.contract.version}, manifest sha256 ${release.manifestSha256.slice(0, 16)}...)`,
    );
    if (release.accepted) await out(`note: run with --accept-version although ${release.accepted}`);
  }
  const known = new Set(suite.checks.map((c) => c.id));
  const expectations = flags.expect ? loadExpectations(flags.expect) : undefined;
  if (expectations)
    for (const e of expectations.entries) {
      if (e.check === undefined || known.has(e.check)) continue;
      const r = resolveCheckIds([e.check], known);
      for (const n of r.notes) await out(`note: ${flags.expect}: ${n}`);
      if (r.ids[0]) e.check = r.ids[0];
    }
  let checkIds: string[] | undefined;
  if (flags.check) {
    const resolved = resolveCheckIds(
      flags.check
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      known,
    );
    if (resolved.unknown.length > 0) throw new CliError(`unknown check id: ${resolved.unknown.join(", ")}`);
    for (const n of resolved.notes) await out(`note: ${n}`);
    checkIds = resolved.ids;
  }
  const selection: RunSelection = {
    ...(flags.rules ? { rules: flags.rules } : {}),
    ...(flags.capabilities ? { capabilities: flags.capabilities } : {}),
    ...(checkIds ? { checks: checkIds } : {}),
    ...(flags.shard ? { shard: flags.shard } : {}),
  };
  const selected = selectChecks(suite.checks, selection);
  if (selected.length === 0)
    throw new CliError(
      `the selection matches no check of the suite${flags.rules ? ` (--rules ${flags.rules})` : ""}${flags.capabilities ? ` (--capabilities ${flags.capabilities.join(",")})` : ""}`,
    );
  const adapter = await openAdapter(flags);
  const claim = claimProblems(adapter.hello.capabilities);
  if (claim.missing.length > 0) {
    await adapter.close();
    throw new CliError(
      `the implementation's capabilities are inconsistent: ${claim.missing.join("; ")} (spec/capabilities.yaml, spec/protocol.md section 5): claim what is missing too, or leave out what needs it`,
    );
  }
  if (claim.unknown.length > 0 && !flags.quiet)
    await out(`note: ignoring capabilities this version does not know: ${claim.unknown.join(", ")}`);
  const reference = new InProcessAdapter(createReferenceImplementation());
  const started = performance.now();
  const coverage = flags.coverage ? new CoverageCounter() : undefined;
  const progress = new Progress(!flags.quiet && process.stdout.isTTY === true && !process.env.CI);
  let observations: Awaited<ReturnType<typeof runChecks>>;
  try {
    if (!flags.quiet) {
      const h = adapter.hello;
      await out(
        `asl-conform ${TOOL_VERSION}: ${h.implementation.name} ${h.implementation.version} (${h.implementation.language}), capabilities: ${h.capabilities.join(", ") || "none"}`,
      );
    }
    observations = await runChecks({
      adapter,
      reference,
      checks: selected,
      seed: flags.seed,
      runs,
      ...(flags.fcPath ? { fcPath: flags.fcPath } : {}),
      ...(flags.crashSchedule !== undefined ? { crashSchedule: flags.crashSchedule } : {}),
      launch: launchOf(flags),
      ...(flags.saveRegressions ? { saveRegressionsDir: flags.saveRegressions } : {}),
      ...(coverage ? { coverage } : {}),
      replayCommand: (id, extra) => `${replayBase(flags)} --check ${id}${extra ? ` ${extra}` : ""}`,
      onCheckStart: (_c, i, total) => {
        if (i === 0) progress.start(total);
      },
      onCheckEnd: (r, i) => progress.update(i + 1, r.id),
    });
  } finally {
    progress.stop();
    await adapter.close();
    await reference.close();
  }
  const report = buildReport({
    tool: { name: "asl-conform", version: TOOL_VERSION },
    contract: release
      ? {
          version: release.manifest.contract.version,
          source: "release",
          release_manifest: release.manifestSha256,
        }
      : { version: readContract().version, source: "built-in" },
    protocol: PROTOCOL_VERSION,
    profile: PROFILE,
    spec_digest: specDigest(release?.specDir),
    hello: adapter.hello,
    seed: flags.seed,
    runs,
    strict: flags.strict ?? false,
    selection,
    expectations: expectations?.entries ?? [],
    observations,
    rules: catalog.rules,
    vectorCount: suite.vectorCount,
    duration_ms: Math.round(performance.now() - started),
  });
  for (const line of consoleLines(report, {
    ...(flags.quiet ? { quiet: true } : {}),
    ...(flags.expect ? { expectFile: flags.expect } : {}),
  }))
    await out(line);
  if (coverage) {
    const missed = coverage.unreached();
    await out(
      "\nState-machine coverage (transitions of the content-index and store models reached, by source):",
    );
    for (const line of coverage.table()) await out(line);
    await out(
      missed.length
        ? `coverage: ${missed.length} transitions not reached: ${missed.join(", ")}`
        : "coverage: every transition reached",
    );
  }
  if (expectations)
    for (const e of unusedExpectations(expectations, suite.checks))
      await out(`  note: expectation ${e.rule ?? e.check} in ${flags.expect} matches no check`);
  if (flags.reportDir) {
    try {
      writeReports(flags.reportDir, report);
    } catch (e) {
      if (e instanceof ReportWriteError) throw new CliError(e.message);
      throw e;
    }
  }
  return exitCodeOf(report.outcome);
}

export function exitCodeOf(outcome: "conforms" | "does-not-conform" | "inconclusive"): number {
  return outcome === "conforms" ? EXIT_OK : outcome === "does-not-conform" ? EXIT_FAILED : EXIT_CANNOT_RUN;
}
