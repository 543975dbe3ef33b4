// The semantic trace generator: deterministic, valid against spec/schemas/trace.schema.json, replayed by the
// reference without a finding, able to catch a broken engine, and fair to one whose SnapshotIDs are its
// own (ids need only be stable and never name two states; deriving them is a SHOULD).
import { describe, expect, it } from "vitest";
import { InProcessAdapter } from "../../adapters/in-process.ts";
import type { Implementation } from "../../adapters/interface.ts";
import { createReferenceImplementation } from "../../adapters/reference/index.ts";
import { generateTraces } from "../../authoring/cases/traces.ts";
import { schemaId, schemaValidator } from "../../catalog/load.ts";
import { replaySteps } from "../../harness/traces/replay.ts";

const traces = await generateTraces();

async function replay(impl: Implementation, id: string) {
  const t = traces.find((x) => x.id === id)!;
  const a = new InProcessAdapter(impl);
  await a.reset();
  try {
    return await replaySteps(a, t.steps, t.rules);
  } finally {
    await a.close();
  }
}

/** The reference with some operations replaced. */
function altered(
  handlers: (ref: Implementation) => Partial<Record<string, (args: never) => unknown>>,
): Implementation {
  const ref = createReferenceImplementation();
  const over = handlers(ref);
  return {
    ...ref,
    handle: ((op: string, args: never) =>
      over[op] ? over[op]!(args) : ref.handle(op as never, args)) as never,
  };
}

describe("semantic traces", () => {
  it("[IDX-CI-004][STO-CUR-003] generation is deterministic: the same JSON every time", async () => {
    expect(JSON.stringify(await generateTraces())).toBe(JSON.stringify(traces));
    expect(new Set(traces.map((t) => t.id)).size).toBe(traces.length);
  });

  it("[STO-CUR-005] every trace validates against trace.schema.json, and a malformed one does not", () => {
    const validate = schemaValidator().getSchema(schemaId("trace.schema.json"))!;
    for (const t of traces)
      expect(validate(JSON.parse(JSON.stringify(t))), `${t.id}: ${JSON.stringify(validate.errors)}`).toBe(
        true,
      );
    const broken = JSON.parse(JSON.stringify(traces[0]));
    broken.steps[1].expect = { result: { position: 3 } };
    expect(validate(broken)).toBe(false);
  });

  it("[STO-CUR-005][IDX-CI-007][IDX-CI-006][STO-SNAP-007] the traces cover each CI_* error, tombstones of unknown keys, PUT after tombstone and install of an old snapshot", () => {
    const errors = new Set(
      traces.flatMap((t) =>
        t.steps.flatMap((s) => (s.expect && "error" in s.expect ? [s.expect.error] : [])),
      ),
    );
    for (const c of [
      "CI_UNKNOWN_SNAPSHOT",
      "CI_SNAPSHOT_RETIRED",
      "CI_SNAPSHOT_IN_USE",
      "CI_POSITION_BEYOND_CURRENT",
      "CI_POSITION_BEFORE_SNAPSHOT",
      "CI_STATE_NOT_RETAINED",
      "CI_INVALID_ARGUMENT",
      "STORE_NOT_FOUND",
    ])
      expect(errors.has(c), c).toBe(true);
    expect(traces.map((t) => t.id)).toEqual(
      expect.arrayContaining(["ci-tombstone-unknown", "ci-put-after-tombstone", "ci-install-old-snapshot"]),
    );
  });

  it("[STO-CUR-001][STO-CUR-003][IDX-PUT-001][IDX-GET-001][IDX-GET-002] the reference replays every trace without a finding, to the end", async () => {
    for (const t of traces) {
      const o = await replay(createReferenceImplementation(), t.id);
      expect(o.findings, t.id).toEqual([]);
      expect(o.complete, t.id).toBe(true);
    }
  });

  it("[IDX-CI-006] replay catches an engine that ignores tombstones, and names the step", async () => {
    const o = await replay(
      altered((ref) => ({
        "ci.tombstone": () => ref.handle("ci.current", {} as never) as never,
      })),
      "ci-put-after-tombstone",
    );
    expect(o.findings.length).toBeGreaterThan(0);
    expect(o.findings[0]!.step).toBeTypeOf("number");
  });

  it("[STO-SNAP-005][STO-SNAP-001] ids of the implementation's own making are bound by observation: only the SHOULD is reported", async () => {
    // Every state the reference names gets a fresh id here on each answer, as the drafts' sketch does
    // (uuid4 per snapshot): stable and never naming two states, but not derived from the state.
    let n = 0;
    const toRef = new Map<string, string>();
    const fresh = (id: string) => {
      const mine = (++n).toString(16).padStart(64, "f");
      toRef.set(mine, id);
      return mine;
    };
    const back = (v: unknown): unknown =>
      typeof v === "string" && toRef.has(v)
        ? toRef.get(v)
        : Array.isArray(v)
          ? v.map(back)
          : v && typeof v === "object"
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, back(x)]))
            : v;
    const ref = createReferenceImplementation();
    const impl: Implementation = {
      ...ref,
      async handle(op, args) {
        const r = (await ref.handle(op, back(args) as never)) as { snapshot?: string };
        return (typeof r?.snapshot === "string" ? { ...r, snapshot: fresh(r.snapshot) } : r) as never;
      },
    };
    const o = await replay(impl, "ci-install-old-snapshot");
    expect(o.findings.length).toBeGreaterThan(0);
    expect(o.findings.every((f) => f.rules!.every((r) => r === "STO-SNAP-005"))).toBe(true);
    expect(o.complete).toBe(true);
  });
});
