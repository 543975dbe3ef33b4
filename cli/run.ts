// asl-conform run: the main job. With no adapter it runs the whole suite against the built-in reference
// engine; with --adapter (a TypeScript/JavaScript module) or --adapter-cmd (any language, over the
// process protocol) it runs it against another implementation and says, rule by rule, what conforms.
// Exit: 0 conforms (modulo --expect), 1 conformance failures, 2 the run could not be done.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { InProcessAdapter, loadModuleImplementation } from "../adapters/in-process.ts";
import type { Adapter, Capability } from "../adapters/interface.ts";
import { PROFILE, PROTOCOL_VERSION } from "../adapters/interface.ts";
import { AdapterStartError, ProcessAdapter } from "../adapters/process.ts";
import { createReferenceImplementation } from "../adapters/reference/index.ts";
import { CAPABILITIES, loadCatalog, schemaId, schemaValidator } from "../harness/catalog/load.ts";
import { loadExpectations, unusedExpectations } from "../harness/expectations.ts";
import { junitXml } from "../harness/report/junit.ts";
import { summaryMarkdown } from "../harness/report/markdown.ts";
import { REPORT_SCHEMA, type Report, summaryLine } from "../harness/report/report.ts";
import { type CheckRecord, runChecks } from "../harness/run.ts";
import { loadSuite, specDigest } from "../harness/suite.ts";
import { Progress } from "./progress.ts";
import { CliError, EXIT_CANNOT_RUN, EXIT_FAILED, EXIT_OK, out } from "./util.ts";

export const TOOL_VERSION = "0.1.0";

export interface RunFlags {
  adapter?: string;
  adapterCmd?: string;
  timeoutMs: number;
  maxMessageBytes: number;
  validateProtocol?: boolean;
  seed: number;
  runs: number;
  rules?: string;
  check?: string;
  capabilities?: Capability[];
  shard?: { index: number; count: number };
  expect?: string;
  reportDir?: string;
  saveRegressions?: string;
  fcPath?: string;
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
    .option(
      "--adapter-cmd <command>",
      "a command that speaks the process protocol (spec/protocol.md) on stdin/stdout",
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
      "seed of the properties (a failure prints the one that replays it)",
      intArg("--seed", -2147483648, 2147483647),
      20261122,
    )
    .option("--runs <n>", "runs per property", intArg("--runs", 0, 1_000_000), 40);
}

export function registerRun(program: Command): void {
  const cmd = program
    .command("run")
    .description("run the conformance suite against an implementation (default: the reference engine)");
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
    .option("--expect <file>", "known failures (YAML, spec/schemas/expectations.schema.json)")
    .option("--report-dir <dir>", "write report.json, junit.xml and summary.md there")
    .option("--save-regressions <dir>", "write shrunk counterexamples there as vector cases")
    .option("--fc-path <path>", "fast-check replay path (printed with a property failure)")
    .option("--quiet", "print only failures and the summary line")
    .action(async (flags: RunFlags) => {
      process.exitCode = await runCommand(flags);
    });
}

export async function openAdapter(
  flags: Pick<RunFlags, "adapter" | "adapterCmd" | "timeoutMs" | "maxMessageBytes" | "validateProtocol">,
): Promise<Adapter> {
  try {
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

function replayBase(flags: RunFlags): string {
  const parts = ["npx asl-conform run"];
  if (flags.adapter) parts.push(`--adapter ${JSON.stringify(flags.adapter)}`);
  if (flags.adapterCmd) parts.push(`--adapter-cmd ${JSON.stringify(flags.adapterCmd)}`);
  return parts.join(" ");
}

/** A value for the console: long ones cut, so a 2 kB payload does not bury the message. */
function brief(v: unknown): string {
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 160 ? `${t.slice(0, 120)}… (${t.length} characters; report.json has it whole)` : t;
}

function describeFailure(c: CheckRecord): string {
  const f = c.failure;
  const lines = [
    `  ${c.verdict === "error" ? "ERROR" : "FAIL"} ${c.id}  ${c.title}`,
    `    rules: ${c.rules.join(", ")}`,
  ];
  if (f) {
    lines.push(...f.message.split("\n").map((l) => `    ${l}`));
    if (f.field !== undefined) lines.push(`    field: ${f.field}`);
    if (f.offset !== undefined) lines.push(`    byte offset: ${f.offset}`);
    if (f.expected !== undefined) lines.push(`    expected: ${brief(f.expected)}`);
    if (f.actual !== undefined) lines.push(`    actual:   ${brief(f.actual)}`);
    if (f.replay) lines.push(`    replay: ${f.replay}`);
  }
  return lines.join("\n");
}

export async function runCommand(flags: RunFlags): Promise<number> {
  const catalog = loadCatalog();
  const expectations = flags.expect ? loadExpectations(flags.expect) : undefined;
  const suite = await loadSuite();
  const adapter = await openAdapter(flags);
  const reference = new InProcessAdapter(createReferenceImplementation());
  const started = performance.now();
  const progress = new Progress(!flags.quiet && process.stdout.isTTY === true && !process.env.CI);
  let result: Awaited<ReturnType<typeof runChecks>>;
  try {
    if (!flags.quiet) {
      const h = adapter.hello;
      await out(
        `asl-conform ${TOOL_VERSION}: ${h.implementation.name} ${h.implementation.version} (${h.implementation.language}), capabilities: ${h.capabilities.join(", ") || "none"}`,
      );
    }
    const ids = flags.check ? new Set(flags.check.split(",").map((s) => s.trim())) : undefined;
    const checks = ids ? suite.checks.filter((c) => ids.has(c.id)) : suite.checks;
    if (ids && checks.length !== ids.size) {
      const known = new Set(suite.checks.map((c) => c.id));
      throw new CliError(`unknown check id: ${[...ids].filter((i) => !known.has(i)).join(", ")}`);
    }
    result = await runChecks({
      adapter,
      reference,
      checks,
      catalog,
      seed: flags.seed,
      runs: flags.runs,
      selection: {
        ...(flags.rules ? { rules: flags.rules } : {}),
        ...(flags.capabilities ? { capabilities: flags.capabilities } : {}),
        ...(flags.shard ? { shard: flags.shard } : {}),
      },
      ...(expectations ? { expectations } : {}),
      ...(flags.saveRegressions ? { saveRegressionsDir: flags.saveRegressions } : {}),
      replayCommand: (id, extra) => `${replayBase(flags)} --check ${id}${extra ? ` ${extra}` : ""}`,
      narrowed: ids !== undefined,
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
  const failed = result.checks.filter((c) => c.verdict === "fail" || c.verdict === "error");
  if (failed.length > 0) {
    await out(`\nFailures, by rule:`);
    for (const rule of result.rules.filter((r) => r.failing.length > 0)) {
      await out(
        `${rule.id} (${rule.level}, ${rule.capability}): ${rule.failing.length} failing check${rule.failing.length === 1 ? "" : "s"}`,
      );
    }
    await out("");
    for (const c of failed) await out(describeFailure(c));
  }
  for (const c of result.checks.filter((x) => x.verdict === "xpass")) {
    await out(
      `  XPASS ${c.id}: expected to fail (${c.expectation?.reason}) but passed: remove it from ${flags.expect}`,
    );
  }
  for (const e of result.stale) {
    await out(
      `  XPASS rule ${e.rule}: expected to fail (${e.reason}) but every check of it passed: remove it from ${flags.expect}`,
    );
  }
  if (expectations) {
    for (const e of unusedExpectations(expectations, suite.checks))
      await out(`  note: expectation ${e.rule ?? e.check} in ${flags.expect} matches no check`);
  }
  const vectorsRan = result.checks.filter((c) => c.kind !== "property" && c.verdict !== "skip").length;
  const report: Report = {
    schema: REPORT_SCHEMA,
    tool: { name: "asl-conform", version: TOOL_VERSION },
    protocol: PROTOCOL_VERSION,
    profile: PROFILE,
    spec_digest: specDigest(),
    implementation: adapter.hello.implementation,
    capabilities: adapter.hello.capabilities,
    seed: flags.seed,
    runs: flags.runs,
    selection: {
      rules: flags.rules ?? null,
      capabilities: flags.capabilities ?? null,
      shards: [flags.shard ? `${flags.shard.index}/${flags.shard.count}` : "1/1"],
    },
    conforms: result.conforms,
    counts: result.counts,
    vectors: { expected: suite.vectorCount, ran: vectorsRan },
    duration_ms: Math.round(performance.now() - started),
    rules: result.rules,
    checks: result.checks,
  };
  if (flags.reportDir) writeReports(flags.reportDir, report);
  if (!flags.quiet) {
    const tally = (v: string) => result.rules.filter((r) => r.verdict === v).length;
    await out(
      `\nrules: ${tally("pass")} pass, ${tally("fail")} fail, ${tally("error")} error, ${tally("skip")} skipped, ${tally("unchecked")} unchecked; vector cases run: ${vectorsRan} of ${suite.vectorCount}`,
    );
    await out(result.conforms ? "verdict: conforms" : "verdict: does not conform");
  }
  await out(summaryLine(result.counts));
  return result.conforms ? EXIT_OK : EXIT_FAILED;
}

export function writeReports(dir: string, report: Report): void {
  const validate = schemaValidator().getSchema(schemaId("report.schema.json"));
  if (validate && !validate(report)) {
    throw new CliError(
      `internal: report.json would break its schema: ${JSON.stringify(validate.errors?.slice(0, 3))}`,
    );
  }
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(dir, "junit.xml"), `${junitXml(report)}\n`);
    writeFileSync(join(dir, "summary.md"), summaryMarkdown(report));
  } catch (e) {
    throw new CliError(`cannot write the reports to ${dir}: ${(e as Error).message}`);
  }
}
