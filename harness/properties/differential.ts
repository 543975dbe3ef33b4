// The machinery of differential properties: one operation runs on the implementation and on the
// reference, and what each observed is compared. Each comparison is one observation naming the rules it
// checks, so a divergence fails those rules only. SnapshotIDs are bound by observation (SnapshotBinding):
// the implementation's ids are its own, and the reference's id names the state.
import fc from "fast-check";
import type { Adapter, OpArgs, OpName, Outcome } from "../../adapters/interface.ts";
import type { CoverageCounter, TransitionTracker } from "../coverage.ts";
import { observationRules, WRITE_OPS } from "../observations.ts";
import { expectationOf, firstDifference, wireJson } from "../observe.ts";
import type { StepRecorder } from "../traces/record.ts";
import { type BindingProblem, DERIVED_ID_RULES, ID_RULES, SnapshotBinding } from "../traces/snapshots.ts";

/** A failure of a differential run: carries what a report shows, and the rules the observation checks. */
export class Divergence extends Error {
  constructor(
    message: string,
    readonly rules: string[] | undefined,
    readonly detail: { expected?: unknown; actual?: unknown; field?: string } = {},
  ) {
    super(message);
    this.name = "Divergence";
  }
}

/** A transport fault of the implementation during a property: the property is abandoned as inconclusive. */
export class PropertyFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "PropertyFault";
  }
}

/**
 * The property's first fault fails the run it happened in (and ends the property: see latched). Every later
 * one is a consequence of the lost state, so the run it happens in is discarded (fc.pre): shrinking finds no
 * smaller failure and stops, instead of provoking fault after fault.
 */
export function faultOf(env: PropertyEnv, code: string, message: string): PropertyFault {
  if (env.fault) fc.pre(false);
  env.fault = new PropertyFault(code, message);
  return env.fault;
}

/**
 * The implementation as one property sees it: after the property's first fault, every call answers that
 * fault at once without reaching the implementation (whose state is lost), so a property never spends the
 * check's restart budget on runs whose outcome cannot count.
 */
export function latched(impl: Adapter, env: PropertyEnv): Adapter {
  const faulted = () =>
    env.fault
      ? {
          error: { code: env.fault.code, message: "the property already ended on a fault" },
          fault: true as const,
        }
      : undefined;
  return {
    get hello() {
      return impl.hello;
    },
    call: async (op, args, opts) => faulted() ?? impl.call(op, args, opts),
    batch: async (requests, opts) => {
      const f = faulted();
      return f ? requests.map(() => f) : impl.batch(requests, opts);
    },
    reset: async () => faulted() ?? impl.reset(),
    close: () => impl.close(),
    stderrTail: () => impl.stderrTail(),
    ...(impl.flushDiagnostics ? { flushDiagnostics: () => impl.flushDiagnostics!() } : {}),
  };
}

/** What every run of one property shares: the rules it observed, the first fault, the SHOULD findings. */
export interface PropertyEnv {
  /** The property's declared rules: an observation names only rules among these. */
  declared: readonly string[];
  /** The capabilities the implementation claims (a property leaves out extensions it did not claim). */
  claimed: ReadonlySet<string>;
  observed: Set<string>;
  fault?: PropertyFault;
  /** Findings on SHOULD rules (another SnapshotID for an equal state): reported, never shrunk. */
  warnings: Map<string, BindingProblem>;
  /** While set, every operation `same` runs on the reference is recorded (a regression case). */
  recorder?: StepRecorder;
  /** State-machine coverage (`run --coverage`): each run gets its own tracker of the reference's state. */
  coverage?: CoverageCounter;
}

export interface Pair {
  impl: Adapter;
  ref: Adapter;
  snaps: SnapshotBinding;
  env: PropertyEnv;
  /**
   * The rules of the writes this run made so far: a later divergence is explained by them as well as by the
   * read that shows it (after shrinking, every write left in the counterexample is needed to fail).
   */
  history: Set<string>;
  /** The position of each state the reference named (so a property can ask at, or next to, a state's own position). */
  positions: Map<string, number>;
  tracker?: TransitionTracker;
}

export function newPair(impl: Adapter, ref: Adapter, env: PropertyEnv): Pair {
  return {
    impl,
    ref,
    snaps: new SnapshotBinding(),
    env,
    history: new Set(),
    positions: new Map(),
    ...(env.coverage ? { tracker: env.coverage.tracker("properties") } : {}),
  };
}

/** The rules one observation of `op` checks, among the property's declared rules (all of them when none is named). */
function rulesOf(
  pair: Pair,
  op: string,
  args: unknown,
  error: string | undefined,
  explicit?: string[],
): string[] {
  const declared = new Set(pair.env.declared);
  const own = (explicit ?? observationRules(op, args, error) ?? []).filter((r) => declared.has(r));
  return own.length > 0 ? own : [...pair.env.declared];
}

type Normalize = (v: unknown) => unknown;

export interface SameOptions {
  /** Applied to both answers before they are compared (e.g. a store's own block layout left out). */
  normalize?: Normalize;
  /** The rules this observation checks (default: every rule of the property). */
  rules?: string[];
}

/**
 * Runs `op` on both sides (args per side, for snapshot ids) and throws a Divergence when the outcomes
 * differ: both error with the same code, or both answer the same (after `normalize`). Returns both answers.
 */
export async function same<O extends OpName>(
  pair: Pair,
  op: O,
  args: (side: "impl" | "ref") => OpArgs<O>,
  opts: SameOptions = {},
): Promise<{ ref: Outcome<unknown>; impl: Outcome<unknown> }> {
  const normalize = opts.normalize ?? ((v: unknown) => v);
  const ref = await pair.ref.call(op, args("ref"));
  if ("error" in ref && ref.fault) throw new Error(`the reference failed on ${op}: ${ref.error.message}`);
  pair.env.recorder?.record(op, wireJson(args("ref")) as Record<string, unknown>, ref);
  pair.tracker?.observe(op, wireJson(args("ref")) as Record<string, unknown>, expectationOf(ref));
  const own = rulesOf(pair, op, args("ref"), "error" in ref ? ref.error.code : undefined, opts.rules);
  const rules = [
    ...new Set([...own, ...[...pair.history].filter((r) => pair.env.declared.includes(r))]),
  ].sort();
  const impl = await pair.impl.call(op, args("impl"));
  if ("error" in impl && impl.fault) {
    throw faultOf(pair.env, impl.error.code, `${op}: ${impl.error.code}: ${impl.error.message}`);
  }
  for (const r of own) pair.env.observed.add(r);
  if ("error" in ref || "error" in impl) {
    const rc = "error" in ref ? ref.error.code : "an answer";
    const ic = "error" in impl ? impl.error.code : "an answer";
    if (rc !== ic) {
      throw new Divergence(
        `${op} ${JSON.stringify(wireJson(args("impl")))}: expected ${rc}, got ${ic}${"error" in impl ? ` (${impl.error.message})` : ""}`,
        rules,
        {
          expected: "error" in ref ? ref.error.code : normalize(wireJson(ref.ok)),
          actual: "error" in impl ? impl.error.code : normalize(wireJson(impl.ok)),
        },
      );
    }
    if (WRITE_OPS.has(op)) for (const r of own) pair.history.add(r);
    return { ref, impl };
  }
  const d = firstDifference(normalize(wireJson(ref.ok)), normalize(wireJson(impl.ok)));
  if (d)
    throw new Divergence(
      `${op} ${JSON.stringify(wireJson(args("impl")))}: the answers differ at ${d.path}`,
      opts.rules,
      {
        expected: d.expected,
        actual: d.actual,
        field: d.path,
      },
    );
  return { ref, impl };
}

/** Binds the states two `same` answers name; an id naming two states is a Divergence, another id for an equal state a warning. */
export function bindState(
  p: Pair,
  o: { ref: Outcome<unknown>; impl: Outcome<unknown> },
  where: string,
): void {
  if (!("ok" in o.ref && "ok" in o.impl)) return;
  const refId = (o.ref.ok as { snapshot: string }).snapshot;
  const implId = (o.impl.ok as { snapshot: string }).snapshot;
  p.positions.set(refId, Number((o.ref.ok as { position: string }).position));
  const problem = p.snaps.bind(refId, implId, where);
  for (const r of [...ID_RULES, ...DERIVED_ID_RULES]) if (p.env.declared.includes(r)) p.env.observed.add(r);
  if (!problem) return;
  for (const r of problem.rules) p.env.observed.add(r);
  if (problem.rules.includes("STO-SNAP-005")) {
    p.env.warnings.set(problem.message, problem);
    return;
  }
  throw new Divergence(problem.message, problem.rules, {
    expected: problem.expected,
    actual: problem.actual,
  });
}

/** A state answer with its id replaced, for comparing the rest (ids are matched by bindState). */
export const withoutSnapshot = (v: unknown) =>
  v && typeof v === "object" && "snapshot" in v
    ? { ...(v as object), snapshot: "(bound by observation)" }
    : v;

/** Runs `op` on both sides without comparing the answers (a preparatory step); a fault still ends the property. */
export async function unchecked<O extends OpName>(
  pair: Pair,
  op: O,
  args: OpArgs<O>,
): Promise<{ ref: Outcome<unknown>; impl: Outcome<unknown> }> {
  const ref = await pair.ref.call(op, args);
  pair.env.recorder?.record(op, wireJson(args) as Record<string, unknown>, ref, { compare: false });
  pair.tracker?.observe(op, wireJson(args) as Record<string, unknown>, expectationOf(ref));
  const impl = await pair.impl.call(op, args);
  if ("error" in impl && impl.fault)
    throw faultOf(pair.env, impl.error.code, `${op}: ${impl.error.code}: ${impl.error.message}`);
  return { ref, impl };
}
