// vectors/regressions: saved counterexamples (spec/regressions/*.json, written by `run --save-regressions`)
// replayed on a fresh reference implementation, so their expectations are always the reference's own.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createReferenceImplementation } from "../../adapters/reference/index.ts";
import { argsFromWire } from "../../adapters/wire.ts";
import { SPEC_DIR } from "../../catalog/paths.ts";
import type { Step } from "../../harness/traces/form.ts";
import { StepRecorder } from "../../harness/traces/record.ts";
import { type IndexEntry, type Regression, readRegression } from "../../harness/vectors/read.ts";
import { type GeneratedPart, jsonFile } from "./canonical.ts";

/** Where shrunk counterexamples saved by `run --save-regressions` are kept to become vectors. */
export const REGRESSIONS_DIR = join(SPEC_DIR, "regressions");

/** Replays steps on a fresh reference, recording its answers (ids bound to the sequence's own references). */
async function rerecord(steps: Step[]): Promise<Step[]> {
  const impl = createReferenceImplementation();
  await impl.reset();
  const rec = new StepRecorder({ derivedIds: false });
  const idOf = new Map<string, string>();
  const resolve = (v: unknown): unknown => {
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "ref" in v)
      return idOf.get((v as { ref: string }).ref) ?? (v as { ref: string }).ref;
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    return v;
  };
  try {
    for (const s of steps) {
      const args = resolve(s.args) as Record<string, unknown>;
      let outcome: { ok: unknown } | { error: { code: string; message: string } };
      try {
        outcome = { ok: await impl.handle(s.op, argsFromWire(s.op, args) as never) };
      } catch (e) {
        const code = (e as { code?: unknown } | null)?.code;
        if (typeof code !== "string") throw e;
        outcome = { error: { code, message: "" } };
      }
      const step = rec.record(s.op, args, outcome, s.expect === undefined ? { compare: false } : {});
      const ok = "ok" in outcome ? (outcome.ok as { snapshot?: unknown }) : undefined;
      const ref = (
        s.expect && "ok" in s.expect ? (s.expect.ok as { snapshot?: { ref?: string } }) : undefined
      )?.snapshot?.ref;
      if (ref && typeof ok?.snapshot === "string") idOf.set(ref, ok.snapshot);
      void step;
    }
  } finally {
    await impl.close?.();
  }
  return rec.steps;
}

export async function regressionFiles(dir = REGRESSIONS_DIR): Promise<GeneratedPart> {
  const files: GeneratedPart["files"] = [];
  const entries: IndexEntry[] = [];
  const names = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];
  for (const name of names) {
    const source = readRegression(dir, name);
    const body: Regression = { ...source, steps: await rerecord(source.steps) };
    const file = jsonFile(`regressions/${name}`, body);
    files.push(file);
    const id = name.replace(/\.json$/, "");
    entries.push({
      id: `vec/reg/${id}`,
      file: file.path,
      case: id,
      rules: [...source.rules].sort(),
      capabilities: source.capabilities,
    });
  }
  return { files, entries };
}
