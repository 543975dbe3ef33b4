// A check is the unit the harness runs: one vector case, one trace, or one property. It names the rule
// ids it checks and the capabilities it needs; the runner skips it when they were not claimed. A check
// reports what it observed, never a verdict: each mismatch is a Finding naming the rules that one
// observation checks, and harness/verdict.ts alone turns findings into check, rule and run verdicts
// (a finding on a SHOULD rule is a warning, on a MUST rule a failure).
import type { Adapter, Capability } from "../../adapters/interface.ts";
import type { CoverageCounter } from "../coverage.ts";

export type CheckKind = "vector" | "trace" | "property" | "crash";

/** One observation that differed from what the rules it checks require. */
export interface Finding {
  /** The rules this observation checks; absent means every rule of the check. */
  rules?: string[];
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** JSON path of the first difference in an answer. */
  field?: string;
  /** Byte offset in a segment. */
  offset?: number;
  /** Index of the trace step (or operation) the observation was made at. */
  step?: number;
}

/** A transport fault (crash, timeout, garbage, restart): the check is inconclusive, never failed. */
export interface Fault {
  code: string;
  message: string;
}

export interface CheckOutcome {
  findings: Finding[];
  fault?: Fault;
  /**
   * The rules the check actually reached, when it tracks them (a trace that stopped at a diverging write, a
   * property); absent means every rule of the check, once it has run to its end.
   */
  observed?: string[];
  /** False when the check stopped early; rules it did not reach then get no evidence from it. */
  complete?: boolean;
  /** What a check wants said even when it passes (run counts, a missing byte offset). */
  notes?: string[];
  /** Context of the findings, shown once before them (a property's shrink count and seed). */
  context?: string;
  /** The command line that replays this outcome, when `--check ID` alone does not (a property's seed and path). */
  replay?: string;
  /** A property's shrunk counterexample, printed readably. */
  counterexample?: string;
}

/** How to start the implementation under test as a process of its own (the crash checks kill it). */
export interface Launch {
  /** Shell command speaking the process protocol: --adapter-cmd, or `asl-conform serve` for a module. */
  command: string;
  cwd?: string;
  timeoutMs?: number;
  maxMessageBytes?: number;
  validate?: boolean;
  harnessVersion?: string;
}

export interface CheckContext {
  /** The implementation under test. */
  adapter: Adapter;
  /** The reference engine, in-process: the oracle of differential properties. */
  reference: Adapter;
  seed: number;
  runs: number;
  /** Where shrunk counterexamples are written as regression cases, when asked. */
  saveRegressionsDir?: string;
  /** fast-check replay path of a property failure (with the seed it was printed with). */
  fcPath?: string;
  /** The command line that replays one check (filled by the runner). */
  replayCommand: (checkId: string, extra?: string) => string;
  /** How to start the implementation as a process (the crash checks need one to kill); absent: they fault. */
  launch?: Launch;
  /** Run only this schedule of the crash checks (printed with a crash check's failure). */
  crashSchedule?: number;
  /** Where state-machine coverage is counted (`run --coverage`), when asked. */
  coverage?: CoverageCounter;
}

export interface Check {
  /** Stable id, derived from the case's name: vec/seg/<name>/<aspect>, vec/set/<name>/query, vec/unit/<name>, trace/<id>, vec/reg/<name>, prop/<name>. */
  id: string;
  title: string;
  kind: CheckKind;
  rules: string[];
  capabilities: Capability[];
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export function pass(note?: string): CheckOutcome {
  return note === undefined ? { findings: [] } : { findings: [], notes: [note] };
}

export function fail(message: string, detail: Omit<Finding, "message"> = {}): CheckOutcome {
  return { findings: [{ message, ...detail }] };
}

export function faulted(code: string, message: string): CheckOutcome {
  return { findings: [], fault: { code, message } };
}
