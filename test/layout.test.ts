// The layout is the architecture (ARCHITECTURE.md): each folder may import only the folders below it
// (cli > tools > bench > site > authoring > harness > adapters > reference > catalog), no file takes part
// in an import cycle, and the runner never loads the vector generator. A failure names the offending
// import.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cycles, importGraph, reach, sourceFiles } from "./helpers/imports.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LAYERS = [
  "catalog",
  "reference",
  "adapters",
  "harness",
  "authoring",
  "site",
  "bench",
  "tools",
  "cli",
  "bin",
] as const;
const rank = (file: string) => LAYERS.indexOf(file.split("/")[0] as (typeof LAYERS)[number]);
const files = LAYERS.flatMap((l) => sourceFiles(resolve(root, l), new Set(["examples", "node_modules"])));
const g = importGraph(root, files);

describe("the layout", () => {
  it("reads every layer", () => {
    for (const l of LAYERS)
      expect(
        [...g.keys()].some((f) => f.startsWith(`${l}/`)),
        l,
      ).toBe(true);
  });

  it("has no import from a lower folder into a higher one", () => {
    const upward: string[] = [];
    for (const [f, deps] of g)
      for (const d of deps)
        if (g.has(d) && rank(d) > rank(f))
          upward.push(`${f} imports ${d} (${d.split("/")[0]} is above ${f.split("/")[0]})`);
    expect(upward).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(cycles(g).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("keeps the engine a plain library: reference/ imports only reference/, catalog/ and packages", () => {
    const bad = [...g].flatMap(([f, deps]) =>
      f.startsWith("reference/")
        ? deps.filter((d) => g.has(d) && !/^(reference|catalog)\//.test(d)).map((d) => `${f} imports ${d}`)
        : [],
    );
    expect(bad).toEqual([]);
  });

  it("never loads the vector generator or the gate when running the suite (cli/run.ts reaches no authoring/ file)", () => {
    expect([...reach(g, "cli/run.ts")].filter((f) => f.startsWith("authoring/"))).toEqual([]);
  });

  it("finds a known upward import and a known cycle in a made-up graph (the walker can fail)", () => {
    const fake = new Map([
      ["reference/a.ts", ["harness/b.ts"]],
      ["harness/b.ts", ["reference/a.ts"]],
    ]);
    expect(cycles(fake)).toEqual([["harness/b.ts", "reference/a.ts"]]);
    expect(rank("reference/a.ts") < rank("harness/b.ts")).toBe(true);
  });
});
