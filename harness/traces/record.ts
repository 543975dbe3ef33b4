// Recording an operation sequence in the form of form.ts: each request as it was sent and the reference's
// answer, with every SnapshotID the reference answered replaced by a reference to its state ({"ref": "s3"}),
// so that the sequence replays against an implementation whose ids are its own. The vector generator
// records traces with it; `run --save-regressions` records a property's shrunk counterexample.
import type { OpName, Outcome } from "../../adapters/interface.ts";
import { expectationOf } from "../observe.ts";
import type { ExpectedSnapshot, SnapshotRef, Step } from "./form.ts";

export class StepRecorder {
  readonly steps: Step[] = [];
  private readonly refOfId = new Map<string, string>();

  /** With `derivedIds`, expected states also carry the reference's id (DEC-018), checked as a SHOULD. */
  constructor(private readonly opts: { derivedIds: boolean }) {}

  /** The reference of a state whose id an earlier answer gave. */
  ref(id: string): SnapshotRef {
    const ref = this.refOfId.get(id);
    if (ref === undefined) throw new Error(`recorder: SnapshotID ${id} was not answered yet`);
    return { ref };
  }

  /** Whether an answer already gave this id. */
  knows(id: string): boolean {
    return this.refOfId.has(id);
  }

  /** Replaces the ids this sequence has seen by their references (snapshot members, at any depth). */
  private refArgs(v: unknown, key = ""): unknown {
    if (typeof v === "string" && key === "snapshot" && this.refOfId.has(v)) return this.ref(v);
    if (Array.isArray(v)) return v.map((x) => this.refArgs(x));
    if (v !== null && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.refArgs(x, k)]));
    return v;
  }

  /**
   * Records one request (args in wire form, as sent) and its answer. `compare: false` records a setup step
   * whose answer is not compared; `free` names members of the answer that are the implementation's choice.
   */
  record(
    op: OpName,
    wireArgs: Record<string, unknown>,
    outcome: Outcome<unknown>,
    opts: { free?: string[]; rules?: string[]; needs?: string[]; compare?: boolean } = {},
  ): Step {
    const step: Step = { op, args: this.refArgs(wireArgs) as Record<string, unknown> };
    if (opts.compare !== false) {
      const e = expectationOf(outcome);
      if (
        "ok" in e &&
        e.ok &&
        typeof e.ok === "object" &&
        typeof (e.ok as { snapshot?: unknown }).snapshot === "string"
      ) {
        const ok = e.ok as Record<string, unknown> & { snapshot: string };
        let ref = this.refOfId.get(ok.snapshot);
        if (ref === undefined) {
          ref = `s${this.refOfId.size}`;
          this.refOfId.set(ok.snapshot, ref);
        }
        const snapshot: ExpectedSnapshot = this.opts.derivedIds ? { ref, derived_id: ok.snapshot } : { ref };
        e.ok = { ...ok, snapshot };
      }
      step.expect = "ok" in e && opts.free?.length ? { ...e, free: [...opts.free].sort() } : e;
      if ("ok" in e && opts.free?.length)
        for (const m of opts.free) delete (e.ok as Record<string, unknown>)[m];
    }
    if (opts.rules) step.rules = [...opts.rules].sort();
    if (opts.needs?.length) step.needs = [...opts.needs].sort();
    this.steps.push(step);
    return step;
  }
}
