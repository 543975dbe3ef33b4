// Checks from the golden vectors: each entry of vectors/index.json becomes one check that names the rules
// and capabilities the index gives, and runs the case its id names (the id is derived from the case's
// name: vec/seg/<name>/<aspect>, vec/set/<name>/query, vec/unit/<name>, vec/reg/<name>, trace/<id>).
import type { Capability } from "../../adapters/interface.ts";
import { argsFromWire } from "../../adapters/wire.ts";
import { VECTORS_DIR } from "../../catalog/paths.ts";
import { faultOf } from "../observe.ts";
import { compareAnswer, replaySteps } from "../traces/replay.ts";
import { SnapshotBinding } from "../traces/snapshots.ts";
import {
  type IndexEntry,
  type InvalidSegmentCase,
  readIndex,
  readManifest,
  readRegression,
  readSegmentBytes,
  readTrace,
  type SegmentCase,
  type SetCase,
  type UnitCase,
  type ValidSegmentCase,
  VectorFileError,
} from "../vectors/read.ts";
import { runQueries } from "./queries.ts";
import { decodeCheck, encodeCheck, rejectCheck, segmentQueryCheck } from "./segments.ts";
import type { Check, CheckContext, CheckOutcome } from "./types.ts";

export interface VectorSuite {
  checks: Check[];
  /** How many checks the index lists: a run proves it ran them all against this number. */
  indexed: number;
}

function unitCheck(c: UnitCase) {
  return async (ctx: CheckContext): Promise<CheckOutcome> => {
    for (const step of c.setup ?? []) {
      const o = await ctx.adapter.call(step.op, argsFromWire(step.op, step.args) as never);
      const fault = faultOf(o);
      if (fault) return { findings: [], fault: { ...fault, message: `setup ${step.op}: ${fault.message}` } };
    }
    // A unit of DEC-033 sends a malformed request on purpose: it goes as it is, --validate-protocol or not.
    const o = await ctx.adapter.call(c.op, argsFromWire(c.op, c.args) as never, { unchecked: true });
    const fault = faultOf(o);
    if (fault) return { findings: [], fault };
    return { findings: compareAnswer(c.expect, o, new SnapshotBinding(), c.op) };
  };
}

export function vectorChecks(dir = VECTORS_DIR): VectorSuite {
  const index = readIndex(dir);
  const cases = new Map<string, Map<string, unknown>>();
  const caseOf = <C>(entry: IndexEntry, manifest: Parameters<typeof readManifest>[1]): C => {
    if (!cases.has(manifest))
      cases.set(manifest, new Map(readManifest<{ id: string }>(dir, manifest).map((c) => [c.id, c])));
    const c = cases.get(manifest)!.get(entry.case);
    if (!c)
      throw new VectorFileError(
        entry.file,
        `has no case ${entry.case}, which index.json names (${entry.id})`,
      );
    return c as C;
  };
  const checks = index.checks.map((entry): Check => {
    const base = { id: entry.id, rules: entry.rules, capabilities: entry.capabilities as Capability[] };
    const [kind, group, , aspect] = entry.id.split("/");
    if (kind === "trace") {
      const trace = readTrace(dir, entry.file);
      return {
        ...base,
        kind: "trace",
        title: trace.title,
        run: async (ctx) => replaySteps(ctx.adapter, trace.steps, trace.rules, ctx.coverage),
      };
    }
    switch (group) {
      case "seg": {
        const c = caseOf<SegmentCase>(entry, "segments/manifest.json");
        const title = `${c.id} (${aspect})`;
        const run =
          aspect === "reject"
            ? rejectCheck(dir, c as InvalidSegmentCase)
            : aspect === "decode"
              ? decodeCheck(dir, c as ValidSegmentCase)
              : aspect === "encode"
                ? encodeCheck(dir, c as ValidSegmentCase)
                : aspect === "query"
                  ? segmentQueryCheck(dir, c as ValidSegmentCase)
                  : undefined;
        if (!run) throw new VectorFileError("index.json", `unknown check ${entry.id}`);
        return { ...base, kind: "vector", title, run };
      }
      case "set": {
        const c = caseOf<SetCase>(entry, "sets/manifest.json");
        return {
          ...base,
          kind: "vector",
          title: c.id,
          run: (ctx) =>
            runQueries(
              ctx.adapter,
              c.members.map((m) => readSegmentBytes(dir, m)),
              c.queries,
              c.open_error,
            ),
        };
      }
      case "unit": {
        const c = caseOf<UnitCase>(entry, "units/manifest.json");
        return {
          ...base,
          kind: "vector",
          title: `${c.op} ${c.id.slice(c.id.indexOf("/") + 1)}`,
          run: unitCheck(c),
        };
      }
      case "reg": {
        const reg = readRegression(dir, entry.file);
        return {
          ...base,
          kind: "vector",
          title: `regression of prop/${reg.property} (${reg.steps.length} operations)`,
          run: (ctx) => replaySteps(ctx.adapter, reg.steps, reg.rules),
        };
      }
      default:
        throw new VectorFileError("index.json", `unknown check ${entry.id}`);
    }
  });
  return { checks, indexed: index.checks.length };
}
