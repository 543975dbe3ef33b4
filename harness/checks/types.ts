// A check is the unit the harness runs: one vector case, one trace, or one property. It names the rule
// ids it checks and the capabilities it needs; the runner skips it when they were not claimed.
import type { Adapter, Capability } from "../../adapters/interface.ts";

export type CheckKind = "vector" | "trace" | "property";

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
}

export interface CheckFailure {
  message: string;
  expected?: unknown;
  actual?: unknown;
  field?: string;
  offset?: number;
  /** The one command that replays this failure. */
  replay?: string;
  counterexample?: unknown;
}

export type CheckOutcome =
  | { verdict: "pass"; note?: string }
  | ({ verdict: "fail" | "error" } & CheckFailure);

export interface Check {
  /** Stable id: vec/<case id>, trace/<trace id>, prop/<name>. */
  id: string;
  title: string;
  kind: CheckKind;
  rules: string[];
  capabilities: Capability[];
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export function pass(note?: string): CheckOutcome {
  return note === undefined ? { verdict: "pass" } : { verdict: "pass", note };
}

export function fail(message: string, detail: Omit<CheckFailure, "message"> = {}): CheckOutcome {
  return { verdict: "fail", message, ...detail };
}

export function errored(message: string, detail: Omit<CheckFailure, "message"> = {}): CheckOutcome {
  return { verdict: "error", message, ...detail };
}
