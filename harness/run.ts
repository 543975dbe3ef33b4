// Runs checks through an adapter and records what each observed (harness/verdict.ts judges it). The
// implementation and the reference are reset before every check; a check whose capabilities were not all
// claimed is skipped without being run; a check that throws is recorded as errored with its message (a
// defect of the check or of a vector file, never blamed on the implementation).
import type { Adapter } from "../adapters/interface.ts";
import type { Rule } from "../catalog/load.ts";
import type { Check, CheckContext, CheckOutcome } from "./checks/types.ts";
import type { CoverageCounter } from "./coverage.ts";
import type { ExpectationEntry } from "./expectations.ts";
import { SequenceError } from "./traces/replay.ts";
import { type CheckObservation, type Judgement, judge } from "./verdict.ts";

/** Runs per property of a default run (within 5 s in-process on 2 cores) and of a thorough one (the gate's). */
export const DEFAULT_RUNS = 40;
export const THOROUGH_RUNS = 120;

export interface RunOptions {
  adapter: Adapter;
  reference: Adapter;
  /** The checks to run, already selected (harness/select.ts). */
  checks: Check[];
  seed: number;
  runs: number;
  fcPath?: string;
  saveRegressionsDir?: string;
  coverage?: CoverageCounter;
  launch?: CheckContext["launch"];
  crashSchedule?: number;
  replayCommand: CheckContext["replayCommand"];
  onCheckStart?: (check: Check, index: number, total: number) => void;
  onCheckEnd?: (record: CheckObservation, index: number, total: number) => void;
}

async function outcomeOf(check: Check, opts: RunOptions, ctx: CheckContext): Promise<CheckOutcome> {
  opts.adapter.beginCheck?.();
  const reset = await opts.adapter.reset();
  if ("error" in reset)
    return {
      findings: [],
      fault: { code: reset.error.code, message: `reset failed: ${reset.error.message}` },
      complete: false,
    };
  await opts.reference.reset();
  try {
    return await check.run(ctx);
  } catch (e) {
    const what =
      e instanceof SequenceError ? "a vector of this check is defective" : "the check itself failed";
    return {
      findings: [],
      fault: { code: "INTERNAL", message: `${what}: ${e instanceof Error ? e.message : String(e)}` },
      complete: false,
    };
  }
}

export async function runChecks(opts: RunOptions): Promise<CheckObservation[]> {
  const claimed = new Set(opts.adapter.hello.capabilities);
  const ctx: CheckContext = {
    adapter: opts.adapter,
    reference: opts.reference,
    seed: opts.seed,
    runs: opts.runs,
    replayCommand: opts.replayCommand,
    ...(opts.fcPath ? { fcPath: opts.fcPath } : {}),
    ...(opts.coverage ? { coverage: opts.coverage } : {}),
    ...(opts.launch ? { launch: opts.launch } : {}),
    ...(opts.crashSchedule !== undefined ? { crashSchedule: opts.crashSchedule } : {}),
    ...(opts.saveRegressionsDir ? { saveRegressionsDir: opts.saveRegressionsDir } : {}),
  };
  const records: CheckObservation[] = [];
  for (const [i, check] of opts.checks.entries()) {
    opts.onCheckStart?.(check, i, opts.checks.length);
    const base = {
      id: check.id,
      title: check.title,
      kind: check.kind,
      rules: check.rules,
      capabilities: check.capabilities,
    };
    const missing = check.capabilities.filter((c) => !claimed.has(c));
    let record: CheckObservation;
    if (missing.length > 0) {
      record = {
        ...base,
        ran: false,
        skip_reason: `capability not claimed: ${missing.join(", ")}`,
        duration_ms: 0,
        findings: [],
        observed: [],
        complete: false,
        notes: [],
      };
    } else {
      const start = performance.now();
      const o = await outcomeOf(check, opts, ctx);
      const duration_ms = Math.round((performance.now() - start) * 100) / 100;
      const complete = o.complete ?? true;
      const fault = o.fault
        ? await (async () => {
            await opts.adapter.flushDiagnostics?.();
            const tail = opts.adapter.stderrTail().trim();
            return tail
              ? {
                  ...o.fault!,
                  message: `${o.fault!.message}\n--- implementation stderr (last lines) ---\n${tail}`,
                }
              : o.fault!;
          })()
        : undefined;
      record = {
        ...base,
        ran: true,
        duration_ms,
        findings: o.findings.map((f) => ({ ...f, rules: f.rules ?? check.rules })),
        ...(fault ? { fault } : {}),
        observed: fault ? [] : (o.observed ?? (complete ? check.rules : [])),
        complete,
        notes: o.notes ?? [],
        ...(o.context ? { context: o.context } : {}),
        replay: o.replay ?? opts.replayCommand(check.id),
        ...(o.counterexample !== undefined ? { counterexample: o.counterexample } : {}),
      };
    }
    records.push(record);
    opts.onCheckEnd?.(record, i, opts.checks.length);
  }
  return records;
}

/** Runs checks and judges them at once (selftest, the gate, benches and tests: every caller judges alike). */
export async function runAndJudge(
  opts: RunOptions & {
    rules: Rule[];
    narrowed?: boolean;
    expectations?: ExpectationEntry[];
    strict?: boolean;
  },
): Promise<Judgement> {
  const observations = await runChecks(opts);
  return judge({
    observations,
    rules: opts.rules,
    claimed: opts.adapter.hello.capabilities,
    narrowed: opts.narrowed ?? false,
    ...(opts.expectations ? { expectations: opts.expectations } : {}),
    ...(opts.strict ? { strict: true } : {}),
  });
}
