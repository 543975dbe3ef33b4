// ASL/INDEXES/1 section 3 in the import graph of reference/: the content index imports nothing of the
// structural index or the materialization cache, and the structural index nothing that reads stored bytes.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importGraph, reach, sourceFiles } from "../../helpers/imports.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../reference");
const graph = () => importGraph(root, sourceFiles(root));

describe("import graph of reference/", () => {
  const g = graph();

  it("[IDX-DEP-001][IDX-DEP-003] the content index reaches neither the structural index nor the materialization cache", () => {
    expect(g.size).toBeGreaterThan(10);
    const reached = [...reach(g, "content-index")];
    expect(reached.some((f) => f.startsWith("content-index/"))).toBe(true);
    expect(
      reached.filter(
        (f) =>
          f.startsWith("structural-index/") ||
          f.startsWith("materialization-cache/") ||
          f.startsWith("store/"),
      ),
    ).toEqual([]);
  });

  it("[IDX-DEP-002] the structural index reaches no store module and no file system", () => {
    const reached = [...reach(g, "structural-index")];
    expect(reached.some((f) => f.startsWith("structural-index/"))).toBe(true);
    expect(
      reached.filter(
        (f) =>
          f.startsWith("store/") ||
          /^(node:)?fs(\/promises)?$/.test(f) ||
          f.startsWith("materialization-cache/"),
      ),
    ).toEqual([]);
  });

  it("[IDX-DEP-004] the materialization cache may read both indexes but not the store", () => {
    const reached = [...reach(g, "materialization-cache")];
    expect(reached.filter((f) => f.startsWith("store/") || /^(node:)?fs/.test(f))).toEqual([]);
  });

  it("[IDX-DEP-001] the walker sees transitive imports (self-check on a known edge)", () => {
    expect(reach(g, "store").has("content-index/line.ts")).toBe(true);
  });
});
