// ASL/INDEXES/1 section 3 in the import graph of reference/: the content index imports nothing of the
// structural index or the materialization cache, and the structural index nothing that reads stored bytes.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../reference");
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** file (relative to reference/) -> what it imports: other files (relative) or bare specifiers. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of files(root)) {
    const text = readFileSync(f, "utf8").replace(/\/\/.*$/gm, "");
    const deps = [...text.matchAll(IMPORT)]
      .map((m) => m[1] ?? m[2]!)
      .map((s) => (s.startsWith(".") ? relative(root, resolve(dirname(f), s)) : s));
    g.set(relative(root, f), deps);
  }
  return g;
}

function reach(g: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...g.keys()].filter((f) => f.startsWith(`${from}/`));
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const d of g.get(f) ?? []) todo.push(d);
  }
  return seen;
}

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
