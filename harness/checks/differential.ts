// The machinery of differential properties: run one operation on the implementation and on the
// reference, and compare what each observed. SnapshotIDs are matched by a bijection built as they are
// seen (an implementation may derive its ids otherwise: STO-SNAP-005 is a SHOULD), so one implementation
// id must always stand for one reference id and the other way round (STO-SNAP-004).
import type { Adapter, OpArgs, OpName, Outcome } from "../../adapters/interface.ts";
import { toWire } from "../../adapters/wire.ts";
import { firstDifference } from "./vectors.ts";

/** A failure of a differential run: carries what a report shows. */
export class Divergence extends Error {
  constructor(
    message: string,
    readonly expected?: unknown,
    readonly actual?: unknown,
    readonly field?: string,
    readonly fault = false,
  ) {
    super(message);
    this.name = "Divergence";
  }
}

export class SnapshotMap {
  private readonly refToImpl = new Map<string, string>();
  private readonly implToRef = new Map<string, string>();
  /** Reference ids in the order first seen; commands name snapshots by index into this list. */
  readonly seen: string[] = [];

  bind(ref: string, impl: string, where: string): void {
    const known = this.refToImpl.get(ref);
    if (known !== undefined && known !== impl) {
      throw new Divergence(
        `${where}: the same state got SnapshotID ${impl}, earlier ${known} (STO-SNAP-001)`,
        known,
        impl,
      );
    }
    const other = this.implToRef.get(impl);
    if (other !== undefined && other !== ref) {
      throw new Divergence(
        `${where}: SnapshotID ${impl} names two different states (STO-SNAP-004)`,
        other,
        ref,
      );
    }
    if (known === undefined) {
      this.refToImpl.set(ref, impl);
      this.implToRef.set(impl, ref);
      this.seen.push(ref);
    }
  }

  impl(ref: string): string {
    return this.refToImpl.get(ref) ?? ref;
  }
}

export interface Pair {
  impl: Adapter;
  ref: Adapter;
  snaps: SnapshotMap;
}

type Normalize = (v: unknown) => unknown;

/** One operation as a regression case records it: the arguments and what the reference answered. */
export interface RecordedCall {
  op: string;
  args: unknown;
  expected: { ok: unknown } | { error: string };
}

let recorder: ((call: RecordedCall) => void) | undefined;

/** While set, every operation `same` runs is recorded (to write a shrunk counterexample as a vector). */
export function setRecorder(r: ((call: RecordedCall) => void) | undefined): void {
  recorder = r;
}

function wire(v: unknown): unknown {
  return JSON.parse(JSON.stringify(toWire(v) ?? null));
}

/**
 * Runs `op` on both sides (args per side, for snapshot ids) and throws a Divergence when the outcomes
 * differ: both error with the same code, or both answer the same (after `normalize`). Returns both answers.
 */
export async function same<O extends OpName>(
  pair: Pair,
  op: O,
  args: (side: "impl" | "ref") => OpArgs<O>,
  normalize: Normalize = (v) => v,
): Promise<{ ref: Outcome<unknown>; impl: Outcome<unknown> }> {
  const ref = await pair.ref.call(op, args("ref"));
  if ("error" in ref && ref.fault) throw new Error(`the reference failed on ${op}: ${ref.error.message}`);
  recorder?.({
    op,
    args: wire(args("ref")),
    expected: "error" in ref ? { error: ref.error.code } : { ok: wire(ref.ok) },
  });
  const impl = await pair.impl.call(op, args("impl"));
  if ("error" in impl && impl.fault)
    throw new Divergence(
      `${op}: ${impl.error.code}: ${impl.error.message}`,
      undefined,
      undefined,
      undefined,
      true,
    );
  if ("error" in ref || "error" in impl) {
    const rc = "error" in ref ? ref.error.code : "an answer";
    const ic = "error" in impl ? impl.error.code : "an answer";
    if (rc !== ic) {
      throw new Divergence(
        `${op} ${JSON.stringify(wire(args("impl")))}: expected ${rc}, got ${ic}${"error" in impl ? ` (${impl.error.message})` : ""}`,
        "error" in ref ? ref.error.code : normalize(wire(ref.ok)),
        "error" in impl ? impl.error.code : normalize(wire(impl.ok)),
      );
    }
    return { ref, impl };
  }
  const d = firstDifference(normalize(wire(ref.ok)), normalize(wire(impl.ok)));
  if (d)
    throw new Divergence(
      `${op} ${JSON.stringify(wire(args("impl")))}: the answers differ at ${d.path}`,
      d.expected,
      d.actual,
      d.path,
    );
  return { ref, impl };
}
