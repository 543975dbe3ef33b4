// The trace recorder: runs requests on a fresh reference implementation and records each with the answer
// it gave (harness/traces/form.ts), for the traces of authoring/cases/traces.ts and authoring/cases/adequacy/.
// Deterministic: keys from SHA-256 of fixed text, choices from a fixed PRNG, no clock or environment.
import type { OpName } from "../../adapters/interface.ts";
import { createReferenceParts } from "../../adapters/reference/index.ts";
import { argsFromWire } from "../../adapters/wire.ts";
import { observationRules } from "../../harness/observations.ts";
import { TRACE_SCHEMA, type Trace } from "../../harness/traces/form.ts";
import { StepRecorder } from "../../harness/traces/record.ts";
import { DERIVED_ID_RULES, ID_RULES } from "../../harness/traces/snapshots.ts";
import { sha256, toHex } from "../../reference/common/hash.ts";
import type { SnapshotInfo } from "../../reference/content-index/index.ts";

/** mulberry32: a tiny PRNG with a fixed, portable output sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export const utf8 = new TextEncoder();
export const keyOf = (seed: string, i: number) => toHex(sha256(utf8.encode(`asl-trace-key/${seed}/${i}`)));
export type WireLocation = { block_id: string; offset: string; length: string };
export const loc = (b: number | string, o: number | string, l: number | string): WireLocation => ({
  block_id: String(b),
  offset: String(o),
  length: String(l),
});
export const U64_MAX = "18446744073709551615";
export type State = { snapshot: string; position: number };
export type At = { snapshot: string; position: string };

/** The reads whose answers after a store.reopen show what the reopen kept (STO-REC-001). */
const READS: ReadonlySet<string> = new Set(["ci.lookup", "ci.current", "ci.digest", "store.get"]);

/**
 * Runs requests on a fresh reference implementation and records each with the answer it gave. A store
 * trace leaves the block layout (artifact_id, location) to the implementation and pins no SnapshotID (its
 * ids depend on that layout); a content-index trace pins the DEC-018 ids, checked as a SHOULD.
 */
export class Recorder {
  private readonly rec: StepRecorder;
  private readonly parts = createReferenceParts();
  /** Snapshots this trace retired at some point. */
  private readonly retiredEver = new Set<string>();
  /** Whether a store.reopen was answered: every read after it also observes what survives it (STO-REC-001). */
  private reopened = false;

  /**
   * `derivedIds` pins the DEC-018 ids (a SHOULD); by default only for a content-index trace, as a store
   * trace's ids depend on its block layout. A store trace that writes only through ci.* (locations given)
   * has no layout of its own and may pin them.
   */
  constructor(
    private readonly store: boolean,
    opts: { derivedIds?: boolean } = {},
  ) {
    this.rec = new StepRecorder({ derivedIds: opts.derivedIds ?? !store });
  }

  get steps() {
    return this.rec.steps;
  }

  /** Runs one request on the reference and records it with the rules its answer observes (harness/observations.ts). */
  async do(
    op: OpName,
    args: Record<string, unknown>,
    opts: { free?: string[] | ((ok: unknown) => string[]); needs?: string[] } = {},
  ): Promise<unknown> {
    let outcome: { ok: unknown } | { error: { code: string; message: string } };
    try {
      outcome = { ok: await this.parts.implementation.handle(op, argsFromWire(op, args) as never) };
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      if (typeof code !== "string") throw e;
      outcome = { error: { code, message: String((e as { message?: unknown }).message ?? "") } };
    }
    let rules = observationRules(op, args, "error" in outcome ? outcome.error.code : undefined);
    // A request naming a snapshot this trace has retired (or made again after retiring it) observes what
    // retirement does to it (STO-RET-001) as well as what the request itself checks.
    const named = [(args.at as { snapshot?: unknown } | null | undefined)?.snapshot, args.snapshot];
    const answered =
      "ok" in outcome ? (outcome.ok as { snapshot?: unknown } | undefined)?.snapshot : undefined;
    if (rules && [...named, answered].some((id) => typeof id === "string" && this.retiredEver.has(id)))
      rules = [...new Set([...rules, "STO-RET-001"])].sort();
    if (op === "ci.retire" && "ok" in outcome && typeof args.snapshot === "string")
      this.retiredEver.add(args.snapshot);
    if (rules && this.reopened && READS.has(op)) rules = [...new Set([...rules, "STO-REC-001"])].sort();
    if (op === "store.reopen" && "ok" in outcome) this.reopened = true;
    const free = typeof opts.free === "function" ? ("ok" in outcome ? opts.free(outcome.ok) : []) : opts.free;
    this.rec.record(op, args, outcome, {
      ...(free ? { free } : {}),
      ...(opts.needs ? { needs: opts.needs } : {}),
      ...(rules ? { rules } : {}),
    });
    return "ok" in outcome ? outcome.ok : undefined;
  }

  /** Adds rules to the step just recorded: what it observes beyond what its operation alone names. */
  alsoObserves(...rules: string[]): void {
    const step = this.rec.steps[this.rec.steps.length - 1]!;
    step.rules = [...new Set([...(step.rules ?? []), ...rules])].sort();
  }

  /** The state digest, an extension (state-digest): a read the replay skips for an implementation that does not claim it. */
  digest(at?: At) {
    return this.do("ci.digest", { at: at ?? null }, { needs: ["state-digest"] });
  }

  put(key: string, location: WireLocation, typeTag?: number) {
    return this.do("ci.put", { key, location, type_tag: typeTag ?? null });
  }
  lookup(key: string, at?: At) {
    return this.do("ci.lookup", { key, at: at ?? null });
  }
  storePut(bytes: string, typeTag?: number) {
    return this.do(
      "store.put",
      { bytes, type_tag: typeTag ?? null, structure: null },
      { free: ["artifact_id", "location"] },
    );
  }
  get(key: string, at?: At) {
    return this.do("store.get", { key, at: at ?? null });
  }
  /** A lookup of a key store.put stored: its location is the store's layout, not compared (only found and type tag). */
  lookupStored(key: string, at?: At) {
    return this.do(
      "ci.lookup",
      { key, at: at ?? null },
      { free: (ok) => ((ok as { found?: boolean }).found ? ["location"] : []) },
    );
  }
  /** store.reopen: close and reopen from durable storage (STO-REC-001, DEC-034). */
  reopen() {
    return this.state("store.reopen");
  }
  private async state(op: "ci.current" | "ci.snapshot" | "store.reopen"): Promise<State> {
    const s = (await this.do(op, {})) as { snapshot: string; position: string };
    return { snapshot: s.snapshot, position: Number(s.position) };
  }
  current() {
    return this.state("ci.current");
  }
  snapshot() {
    return this.state("ci.snapshot");
  }

  /** The reference's snapshots (for choosing what to ask next; never recorded). */
  snapshots(): SnapshotInfo[] {
    return this.parts.store().index.listSnapshots();
  }

  at(s: State | SnapshotInfo, position?: number): At {
    const id = "id" in s ? s.id : s.snapshot;
    return { snapshot: id, position: String(position ?? s.position) };
  }

  /**
   * Looks up every key, and the digest, at every retained (S, P) (STO-CUR-001, STO-LOG-004). With
   * `stored`, the keys were stored by store.put: their locations and the digest are the store's layout,
   * so only whether each key is found, and its type tag, are compared.
   */
  async everywhere(keys: string[], opts: { stored?: boolean } = {}): Promise<void> {
    const tail = this.parts.store().index.current().position;
    for (const s of this.snapshots()) {
      if (s.retired) continue;
      const last = s.onCurrentLine ? tail : s.position;
      for (let p = s.position; p <= last; p++) {
        if (!opts.stored) await this.digest(this.at(s, p));
        for (const key of keys)
          await (opts.stored ? this.lookupStored(key, this.at(s, p)) : this.lookup(key, this.at(s, p)));
      }
    }
  }

  close(): void {
    void this.parts.implementation.close?.();
  }
}

/** A trace's rules are those of its steps (each step names the rules its answer observes). */
export function traceOf(id: string, title: string, capabilities: string[], r: Recorder): Trace {
  const rules = new Set(r.steps.flatMap((s) => s.rules ?? []));
  if (r.steps.some((s) => s.expect && "ok" in s.expect && (s.expect.ok as { snapshot?: unknown })?.snapshot))
    for (const x of [...ID_RULES, ...DERIVED_ID_RULES]) rules.add(x);
  return { schema: TRACE_SCHEMA, id, title, capabilities, rules: [...rules].sort(), steps: r.steps };
}
