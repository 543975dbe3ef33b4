// Checks from the golden vectors (vectors/index.json): each entry of the index becomes one check that
// names the rules the index gives. Answers are compared in their wire form; a difference names the first
// field (as a JSON path) or the first byte offset where it is, and a negative case passes only when the
// implementation refuses it with the expected error code (and, when it gives one, the expected offset).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Adapter, OpName, Outcome } from "../../adapters/interface.ts";
import { argsFromWire, toWire } from "../../adapters/wire.ts";
import { replayTrace } from "../../reference/traces/replay.ts";
import type { Trace } from "../../reference/traces/trace.ts";
import { VECTORS_DIR } from "../vectors/files.ts";
import type { IndexEntry } from "../vectors/generate.ts";
import { adapterTraceEngine } from "./trace-engine.ts";
import { type Check, type CheckOutcome, errored, fail, pass } from "./types.ts";

/** The first place two JSON values differ, as a path and the two values there. */
export function firstDifference(
  expected: unknown,
  actual: unknown,
  path = "",
): { path: string; expected: unknown; actual: unknown } | undefined {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= expected.length || i >= actual.length)
        return { path: `${path}[${i}]`, expected: expected[i], actual: actual[i] };
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (
    expected &&
    actual &&
    typeof expected === "object" &&
    typeof actual === "object" &&
    !Array.isArray(expected) &&
    !Array.isArray(actual)
  ) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
      if (!(k in a)) return { path: `${path}.${k}`, expected: e[k], actual: undefined };
      if (!(k in e)) return { path: `${path}.${k}`, expected: undefined, actual: a[k] };
      const d = firstDifference(e[k], a[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : { path: path || "(value)", expected, actual };
}

function wire(v: unknown): unknown {
  return JSON.parse(JSON.stringify(toWire(v) ?? null));
}

function firstByteDifference(a: Uint8Array, b: Uint8Array): number | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? undefined : n;
}

/** An error answer that is a transport fault ends the check as errored, not failed. */
function faultOf(o: Outcome<unknown>): CheckOutcome | undefined {
  if ("error" in o && o.fault) return errored(`${o.error.code}: ${o.error.message}`);
  return undefined;
}

function compareOutcome(
  o: Outcome<unknown>,
  expected: { ok?: unknown; error?: unknown },
  what: string,
): CheckOutcome {
  const f = faultOf(o);
  if (f) return f;
  if ("error" in o) {
    if (expected.error !== undefined) {
      const code =
        typeof expected.error === "string" ? expected.error : (expected.error as { code: string }).code;
      return o.error.code === code
        ? pass()
        : fail(`${what}: refused with ${o.error.code}, expected ${code}`, {
            expected: code,
            actual: o.error.code,
          });
    }
    return fail(`${what}: refused with ${o.error.code}: ${o.error.message}`, {
      expected: expected.ok,
      actual: o.error,
    });
  }
  if (expected.error !== undefined)
    return fail(`${what}: answered, but the expected answer is the error ${JSON.stringify(expected.error)}`, {
      expected: expected.error,
      actual: wire(o.ok),
    });
  const d = firstDifference(expected.ok, wire(o.ok));
  return d
    ? fail(`${what}: differs at ${d.path}`, { field: d.path, expected: d.expected, actual: d.actual })
    : pass();
}

interface QueryEntry {
  query: unknown;
  expected: { ok?: unknown; error?: unknown };
}

async function runQueries(
  adapter: Adapter,
  segments: Uint8Array[],
  queries: QueryEntry[],
  openError: { code: string } | undefined,
): Promise<CheckOutcome> {
  for (const useFilters of [true, false]) {
    const o = await adapter.call("seg.query", {
      segments,
      use_filters: useFilters,
      queries: queries.map((q) => q.query) as never,
    });
    const f = faultOf(o);
    if (f) return f;
    const mode = `with filters ${useFilters ? "used" : "ignored"}`;
    if (openError) {
      if ("error" in o && o.error.code === openError.code) continue;
      return fail(`the set must be refused with ${openError.code} (${mode})`, {
        expected: openError.code,
        actual: "error" in o ? o.error.code : "answers",
      });
    }
    if ("error" in o)
      return fail(`the set was refused with ${o.error.code}: ${o.error.message} (${mode})`, {
        actual: o.error.code,
      });
    const answers = o.ok.answers;
    if (!Array.isArray(answers) || answers.length !== queries.length)
      return fail(
        `expected ${queries.length} answers, got ${Array.isArray(answers) ? answers.length : "none"} (${mode})`,
      );
    for (const [i, q] of queries.entries()) {
      const a = answers[i] as Outcome<unknown>;
      const r = compareOutcome(
        "error" in a ? { error: a.error } : { ok: a.ok },
        q.expected,
        `query ${i} ${JSON.stringify(q.query)} (${mode})`,
      );
      if (r.verdict !== "pass") return r;
    }
  }
  return pass();
}

function readJson<T>(dir: string, file: string): T {
  return JSON.parse(readFileSync(join(dir, file), "utf8")) as T;
}

export interface VectorSuite {
  checks: Check[];
  /** How many checks the index lists: a run proves it ran them all against this number. */
  indexed: number;
}

export function vectorChecks(dir = VECTORS_DIR): VectorSuite {
  const index = readJson<{ checks: IndexEntry[] }>(dir, "index.json");
  const manifests = new Map<string, { cases: Record<string, unknown>[] }>();
  const caseOf = (entry: IndexEntry): Record<string, unknown> => {
    if (!manifests.has(entry.file)) manifests.set(entry.file, readJson(dir, entry.file));
    const c = manifests.get(entry.file)!.cases.find((x) => x.id === entry.case);
    if (!c) throw new Error(`vectors/${entry.file} has no case ${entry.case}, which index.json names`);
    return c;
  };
  const bytes = (file: string) => new Uint8Array(readFileSync(join(dir, file)));
  const checks: Check[] = index.checks.map((entry) => {
    const base = {
      id: entry.id,
      kind: entry.id.startsWith("trace/") ? ("trace" as const) : ("vector" as const),
      rules: entry.rules,
      capabilities: entry.capabilities,
    };
    if (entry.id.startsWith("trace/")) {
      const trace = readJson<Trace>(dir, entry.file);
      return {
        ...base,
        title: trace.title,
        async run(ctx) {
          const mismatches = await replayTrace(trace, () => adapterTraceEngine(ctx.adapter));
          const hard = mismatches.filter((m) => m.kind !== "snapshot-id");
          const first = hard[0];
          if (first) {
            return fail(
              `step ${first.step} (${first.op}) of ${entry.file}: observed differently (${hard.length} step${hard.length === 1 ? "" : "s"} differ)`,
              {
                field: `steps[${first.step}]`,
                expected: first.expected,
                actual: first.actual,
              },
            );
          }
          const soft = mismatches.length;
          return pass(
            soft
              ? `${soft} SnapshotIDs differ from the DEC-018 derivation (STO-SNAP-005, a SHOULD)`
              : undefined,
          );
        },
      };
    }
    const c = caseOf(entry);
    const aspect = entry.id.split("/")[2];
    const title = `${String(c.name ?? c.op ?? entry.case)}${aspect ? ` (${aspect})` : ""}`;
    if (entry.case.startsWith("reg-")) {
      const reg = readJson<{
        property: string;
        calls: { op: OpName; args: Record<string, unknown>; expected: QueryEntry["expected"] }[];
      }>(dir, entry.file);
      return {
        ...base,
        title: `regression of prop/${reg.property} (${reg.calls.length} operations)`,
        async run(ctx) {
          for (const [i, c] of reg.calls.entries()) {
            const r = compareOutcome(
              await ctx.adapter.call(c.op, argsFromWire(c.op, c.args) as never),
              c.expected,
              `operation ${i} (${c.op})`,
            );
            if (r.verdict !== "pass") return r;
          }
          return pass();
        },
      };
    }
    if (entry.case.startsWith("unit-")) {
      return {
        ...base,
        title: `${String(c.op)} ${entry.case}`,
        async run(ctx) {
          for (const step of (c.setup ?? []) as { op: OpName; args: Record<string, unknown> }[]) {
            const o = await ctx.adapter.call(step.op, argsFromWire(step.op, step.args) as never);
            if ("error" in o && o.fault)
              return errored(`setup ${step.op}: ${o.error.code}: ${o.error.message}`);
          }
          const op = c.op as OpName;
          return compareOutcome(
            await ctx.adapter.call(op, argsFromWire(op, c.args as Record<string, unknown>) as never),
            c.expected as QueryEntry["expected"],
            op,
          );
        },
      };
    }
    if (entry.case.startsWith("set-")) {
      return {
        ...base,
        title: String(c.name),
        run: (ctx) =>
          runQueries(
            ctx.adapter,
            (c.members as string[]).map(bytes),
            c.queries as QueryEntry[],
            c.open_error as { code: string } | undefined,
          ),
      };
    }
    const file = c.file as string;
    switch (aspect) {
      case "decode":
        return {
          ...base,
          title,
          async run(ctx) {
            const o = await ctx.adapter.call("seg.decode", { bytes: bytes(file) });
            return compareOutcome(
              "ok" in o ? { ok: o.ok.segment } : o,
              { ok: c.decoded },
              `decoding ${file}`,
            );
          },
        };
      case "encode":
        return {
          ...base,
          title,
          async run(ctx) {
            const o = await ctx.adapter.call("seg.encode", { input: c.encode as never });
            const f = faultOf(o);
            if (f) return f;
            if ("error" in o)
              return fail(`encoding refused with ${o.error.code}: ${o.error.message}`, {
                actual: o.error.code,
              });
            const want = bytes(file);
            const at = firstByteDifference(want, o.ok.bytes);
            return at === undefined
              ? pass()
              : fail(
                  `the encoder's bytes differ from ${file} (${o.ok.bytes.length} bytes, expected ${want.length})`,
                  {
                    offset: at,
                    expected: want[at] ?? "end of segment",
                    actual: o.ok.bytes[at] ?? "end of segment",
                  },
                );
          },
        };
      case "query":
        return {
          ...base,
          title,
          run: (ctx) => runQueries(ctx.adapter, [bytes(file)], c.queries as QueryEntry[], undefined),
        };
      case "reject": {
        const exp = c.expected_error as { code: string; offset: number; field: string; step: string };
        return {
          ...base,
          title,
          async run(ctx) {
            const o = await ctx.adapter.call("seg.decode", { bytes: bytes(file) });
            const f = faultOf(o);
            if (f) return f;
            if (!("error" in o))
              return fail(
                `${file} has one defect (${exp.step}: ${exp.field}), but it was decoded without error`,
                { expected: exp.code, actual: "decoded", offset: exp.offset, field: exp.field },
              );
            if (o.error.code !== exp.code)
              return fail(
                `${file} refused with ${o.error.code}, expected ${exp.code} (the first failing check, ${exp.step}, DEC-027)`,
                { expected: exp.code, actual: o.error.code, offset: exp.offset, field: exp.field },
              );
            if (o.error.offset !== undefined && o.error.offset !== exp.offset)
              return fail(
                `${file} refused with the right code ${exp.code} but at byte offset ${o.error.offset}, expected ${exp.offset} (${exp.field})`,
                { expected: exp.offset, actual: o.error.offset, offset: exp.offset, field: exp.field },
              );
            return pass(o.error.offset === undefined ? "the implementation gave no byte offset" : undefined);
          },
        };
      }
      default:
        throw new Error(`vectors/index.json: unknown check ${entry.id}`);
    }
  });
  return { checks, indexed: index.checks.length };
}
