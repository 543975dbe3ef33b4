// The semantic trace generator: deterministic, valid against spec/schemas/trace.schema.json, replayed
// by the reference without a mismatch, and able to catch a broken engine.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { ContentIndex } from "../../../reference/content-index/index.ts";
import { createMemoryStore, openDiskStore } from "../../../reference/store/index.ts";
import { generateTraces, replayTrace, type Trace } from "../../../reference/traces/generate.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const traces = await generateTraces();
const factory = (target: string) => (target === "store" ? createMemoryStore() : new ContentIndex());

describe("semantic traces", () => {
  it("[IDX-CI-004][STO-CUR-003] generation is deterministic: the same JSON every time", async () => {
    expect(JSON.stringify(await generateTraces())).toBe(JSON.stringify(traces));
    expect(new Set(traces.map((t) => t.id)).size).toBe(traces.length);
  });

  it("[STO-CUR-005] every trace validates against trace.schema.json, and a malformed one does not", () => {
    const Ajv = Ajv2020 as unknown as typeof Ajv2020.default;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(
      JSON.parse(readFileSync(join(root, "spec/schemas/trace.schema.json"), "utf8")),
    );
    for (const t of traces)
      expect(validate(JSON.parse(JSON.stringify(t))), `${t.id}: ${JSON.stringify(validate.errors)}`).toBe(
        true,
      );
    const broken = JSON.parse(JSON.stringify(traces[0])) as Trace;
    (broken.steps[1] as unknown as Record<string, unknown>)["expect"] = { result: { position: 3 } };
    expect(validate(broken)).toBe(false);
  });

  it("[STO-CUR-005][IDX-CI-007][IDX-CI-006][STO-SNAP-007] the traces cover each CI_* error, tombstones of unknown keys, PUT after tombstone and install of an old snapshot", () => {
    const errors = new Set(
      traces.flatMap((t) => t.steps.flatMap((s) => ("error" in s.expect ? [s.expect.error] : []))),
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
    ]) {
      expect(errors.has(c), c).toBe(true);
    }
    expect(traces.map((t) => t.id)).toEqual(
      expect.arrayContaining(["ci-tombstone-unknown", "ci-put-after-tombstone", "ci-install-old-snapshot"]),
    );
  });

  it("[STO-CUR-001][STO-CUR-003][IDX-PUT-001][IDX-GET-001][IDX-GET-002] the reference replays every trace without a mismatch, on the in-memory and the disk store", async () => {
    for (const t of traces) expect(await replayTrace(t, factory), t.id).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "asl-trace-"));
    try {
      for (const t of traces.filter((x) => x.target === "store"))
        expect(await replayTrace(t, () => openDiskStore(join(dir, t.id)))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("[IDX-CI-006][STO-SNAP-005] replay catches a broken engine: tombstones ignored, or random snapshot ids", async () => {
    const noTombstones = () => {
      const ci = new ContentIndex();
      return Object.assign(ci, { tombstone: () => ci.current().position });
    };
    const mismatches = await replayTrace(
      traces.find((t) => t.id === "ci-put-after-tombstone")!,
      noTombstones,
    );
    expect(mismatches.length).toBeGreaterThan(0);
    let n = 0;
    const renamed = () => {
      const ci = new ContentIndex();
      const ids = new Map<string, string>();
      const out = (id: string): string => {
        if (!ids.has(id)) ids.set(id, (++n).toString(16).padStart(64, "f"));
        return ids.get(id)!;
      };
      const back = (id: string) => [...ids].find(([, v]) => v === id)?.[0] ?? id;
      return {
        ...ci,
        put: ci.put.bind(ci),
        tombstone: ci.tombstone.bind(ci),
        lookup: (k: string, at?: { snapshot: string; position: number | bigint }) =>
          ci.lookup(k, at && { ...at, snapshot: back(at.snapshot) }),
        digest: (at?: { snapshot: string; position: number | bigint }) =>
          ci.digest(at && { ...at, snapshot: back(at.snapshot) }),
        current: () => ({ ...ci.current(), snapshot: out(ci.current().snapshot) }),
        snapshot: () => {
          const s = ci.snapshot();
          return { ...s, snapshot: out(s.snapshot) };
        },
        install: (id: string) => {
          const s = ci.install(back(id));
          return { ...s, snapshot: out(s.snapshot) };
        },
        retire: (id: string) => ci.retire(back(id)),
      };
    };
    const m = await replayTrace(traces.find((t) => t.id === "ci-install-old-snapshot")!, renamed);
    expect(m.length).toBeGreaterThan(0);
    expect(m.every((x) => x.kind === "snapshot-id")).toBe(true);
  });
});
