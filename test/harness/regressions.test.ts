// A property failure's shrunk counterexample, saved with --save-regressions, is a vector case: the
// generator takes it from spec/regressions/, recomputes what the reference answers, and the case then
// fails the broken implementation and passes the reference.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InProcessAdapter, loadModuleImplementation } from "../../adapters/in-process.ts";
import { createReferenceImplementation } from "../../adapters/reference/index.ts";
import { generateVectors } from "../../authoring/generate/index.ts";
import { schemaId, schemaValidator } from "../../catalog/load.ts";
import { replaySteps } from "../../harness/traces/replay.ts";
import { cli } from "../helpers/cli.ts";

describe("--save-regressions", () => {
  it("[ATXI-SHD-001] writes the shrunk counterexample as a regression case that becomes a vector", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asl-reg-"));
    const r = cli([
      "run",
      "--adapter",
      "test/fixtures/broken-shard.ts",
      "--check",
      "prop/edges-and-shards",
      "--save-regressions",
      dir,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/saved as a regression case: .*edges-and-shards-\d+\.json/);
    const [name] = readdirSync(dir);
    const saved = JSON.parse(readFileSync(join(dir, name!), "utf8"));
    const v = schemaValidator().getSchema(`${schemaId("vectors.schema.json")}#/$defs/regression`)!;
    expect(v(saved), JSON.stringify(v.errors)).toBe(true);
    expect(saved.steps.some((c: { op: string }) => c.op === "shard.assign")).toBe(true);

    const files = await generateVectors({ regressionsDir: dir });
    const index = JSON.parse(new TextDecoder().decode(files.find((f) => f.path === "index.json")!.bytes));
    const entry = index.checks.find((c: { id: string }) => c.id.startsWith("vec/reg/"));
    expect(entry.rules).toContain("ATXI-SHD-001");
    const body = JSON.parse(new TextDecoder().decode(files.find((f) => f.path === entry.file)!.bytes));
    // Replaying the case: the reference answers as recorded, the broken implementation does not.
    const replay = async (impl: Awaited<ReturnType<typeof loadModuleImplementation>>) => {
      const a = new InProcessAdapter(impl);
      await a.reset();
      const o = await replaySteps(a, body.steps, body.rules);
      return o.findings.length === 0 && o.complete !== false;
    };
    expect(await replay(createReferenceImplementation())).toBe(true);
    expect(await replay(await loadModuleImplementation("test/fixtures/broken-shard.ts"))).toBe(false);
  });
});
