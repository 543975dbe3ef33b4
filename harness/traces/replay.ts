// Replays an operation sequence (form.ts) through an adapter and compares every answer with the one the
// reference gave. Each step is one observation naming its own rules, so a mismatch fails those rules only.
// A mismatching read is reported and the replay goes on, so every cause shows at once; a mismatching write
// ends the replay, because the states compared afterwards would no longer be the same (the outcome says so).
// A transport fault ends it as inconclusive.
import type { Adapter, Outcome } from "../../adapters/interface.ts";
import { argsFromWire } from "../../adapters/wire.ts";
import type { CheckOutcome, Finding } from "../checks/types.ts";
import type { CoverageCounter } from "../coverage.ts";
import { faultOf, firstDifference, wireJson } from "../observe.ts";
import { type Expect, type ExpectedSnapshot, isSnapshotRef, READ_ONLY_OPS, type Step } from "./form.ts";
import { DERIVED_ID_RULES, ID_RULES, SnapshotBinding } from "./snapshots.ts";

/** A sequence that names a state before any answer bound it: a defect of the vector, not of the implementation. */
export class SequenceError extends Error {}

function resolveRefs(v: unknown, binding: SnapshotBinding, step: number): unknown {
  if (isSnapshotRef(v)) {
    const id = binding.idOf(v.ref);
    if (id === undefined)
      throw new SequenceError(`step ${step} names state ${v.ref} before an answer bound it`);
    return id;
  }
  if (Array.isArray(v)) return v.map((x) => resolveRefs(x, binding, step));
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveRefs(x, binding, step)]));
  return v;
}

/** A sequence value with each state reference replaced by its name (the reference's view, for coverage). */
function refNames(v: unknown): unknown {
  if (isSnapshotRef(v)) return v.ref;
  const o = v as { ref?: unknown; derived_id?: unknown } | null;
  if (
    o &&
    typeof o === "object" &&
    typeof o.ref === "string" &&
    Object.keys(o).every((k) => k === "ref" || k === "derived_id")
  )
    return o.ref;
  if (Array.isArray(v)) return v.map(refNames);
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, refNames(x)]));
  return v;
}

/** Every finding one step's answer gives (empty when it matches). */
export function compareAnswer(
  expect: Expect,
  o: Outcome<unknown>,
  binding: SnapshotBinding,
  where: string,
  observedIds: Set<"bound" | "derived"> = new Set(),
): Finding[] {
  if ("error" in expect) {
    if ("error" in o) {
      return o.error.code === expect.error
        ? []
        : [
            {
              message: `${where}: refused with ${o.error.code} (${o.error.message}), expected ${expect.error}`,
              expected: expect.error,
              actual: o.error.code,
            },
          ];
    }
    return [
      {
        message: `${where}: answered, but the expected answer is the error ${expect.error}`,
        expected: { error: expect.error },
        actual: wireJson(o.ok),
      },
    ];
  }
  if ("error" in o)
    return [
      {
        message: `${where}: refused with ${o.error.code}: ${o.error.message}`,
        expected: expect.ok,
        actual: { error: o.error.code },
      },
    ];
  const findings: Finding[] = [];
  const want = structuredClone(expect.ok) as Record<string, unknown>;
  const got = wireJson(o.ok) as Record<string, unknown>;
  const snap = want && typeof want === "object" ? (want.snapshot as ExpectedSnapshot | undefined) : undefined;
  if (snap && typeof snap === "object" && typeof snap.ref === "string" && got && typeof got === "object") {
    const id = got.snapshot;
    if (typeof id === "string") {
      observedIds.add(snap.derived_id !== undefined ? "derived" : "bound");
      const problem = binding.bind(snap.ref, id, where);
      if (problem) findings.push(problem);
      else if (snap.derived_id !== undefined && snap.derived_id !== id)
        findings.push({
          rules: DERIVED_ID_RULES,
          message: `${where}: SnapshotID ${id} is not the one DEC-018 derives from the state (SHA-256 of the position and the state digest)`,
          expected: snap.derived_id,
          actual: id,
        });
      delete want.snapshot;
      delete got.snapshot;
    } else want.snapshot = "a SnapshotID (64 lowercase hex digits)";
  }
  for (const member of expect.free ?? []) {
    if (got && typeof got === "object" && !(member in got))
      findings.push({ message: `${where}: the answer lacks ${member}`, field: `.${member}`, actual: got });
    if (got && typeof got === "object") delete got[member];
    delete want[member];
  }
  // An answer may carry errors of its own (seg.query answers a query the set refuses in its place):
  // as for the request's own error, only their code is compared, their message is informative.
  dropErrorMessages(want);
  dropErrorMessages(got);
  const d = firstDifference(want, got);
  if (d)
    findings.push({
      message: `${where}: the answer differs at ${d.path}`,
      field: d.path,
      expected: d.expected,
      actual: d.actual,
    });
  return findings;
}

/** Deletes `message` from every `{ error: { code, message } }` inside x (in place). */
function dropErrorMessages(x: unknown): void {
  if (Array.isArray(x)) {
    for (const v of x) dropErrorMessages(v);
    return;
  }
  if (x === null || typeof x !== "object") return;
  const o = x as Record<string, unknown>;
  const e = o["error"];
  if (e !== null && typeof e === "object" && !Array.isArray(e) && "code" in e)
    delete (e as Record<string, unknown>)["message"];
  for (const v of Object.values(o)) dropErrorMessages(v);
}

/**
 * Replays `steps` from the implementation's current state (the caller resets it). `rules` are the rules a
 * step names when it names none of its own.
 */
export async function replaySteps(
  adapter: Adapter,
  steps: Step[],
  rules: string[],
  coverage?: CoverageCounter,
): Promise<CheckOutcome> {
  const tracker = coverage?.tracker("traces");
  const binding = new SnapshotBinding();
  const findings: Finding[] = [];
  const observed = new Set<string>();
  const claimed = new Set<string>(adapter.hello.capabilities);
  for (const [i, step] of steps.entries()) {
    if (step.needs && !step.needs.every((c) => claimed.has(c))) continue;
    const args = resolveRefs(step.args, binding, i) as Record<string, unknown>;
    const o = await adapter.call(step.op, argsFromWire(step.op, args) as never);
    const where = `step ${i} (${step.op})`;
    const fault = faultOf(o);
    if (fault)
      return {
        findings,
        observed: [...observed],
        complete: false,
        fault: { code: fault.code, message: `${where}: ${fault.message}` },
      };
    if (!step.expect) continue;
    if (tracker)
      tracker.observe(
        step.op,
        refNames(step.args) as Record<string, unknown>,
        refNames(step.expect) as { ok: unknown },
      );
    const stepRules = step.rules ?? rules;
    const ids = new Set<"bound" | "derived">();
    const found = compareAnswer(step.expect, o, binding, where, ids).map((f) => ({
      ...f,
      rules: f.rules ?? stepRules,
      step: i,
    }));
    for (const r of stepRules) observed.add(r);
    // A state answer observes the identity rules: its id is bound to its state (and checked against DEC-018).
    if (ids.size > 0) for (const r of ID_RULES) observed.add(r);
    if (ids.has("derived")) for (const r of DERIVED_ID_RULES) observed.add(r);
    for (const f of found) for (const r of f.rules) observed.add(r);
    findings.push(...found);
    const diverged = found.some((f) => f.rules.some((r) => !DERIVED_ID_RULES.includes(r)));
    if (diverged && !READ_ONLY_OPS.has(step.op)) {
      return {
        findings,
        observed: [...observed],
        complete: false,
        notes: [
          `stopped after step ${i} of ${steps.length}: ${step.op} changes state and its answer diverged, so later steps would compare two different states`,
        ],
      };
    }
  }
  return { findings, observed: [...observed], complete: true };
}
