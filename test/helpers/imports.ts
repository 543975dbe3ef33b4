// The import graph of the project's sources, read from the text of every .ts/.js file (static imports,
// re-exports and import() of a literal): file -> the files it imports (paths relative to the root) and
// bare specifiers. Shared by the layering test and the ASL/INDEXES/1 section 3 test.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

export function sourceFiles(dir: string, skip: ReadonlySet<string> = new Set()): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (skip.has(f)) return [];
    return statSync(p).isDirectory() ? sourceFiles(p, skip) : /\.(ts|mts|js|mjs)$/.test(p) ? [p] : [];
  });
}

/** file (relative to `root`) -> what it imports: other files (relative to `root`) or bare specifiers. */
export function importGraph(root: string, files: string[]): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, "utf8").replace(/^\s*\/\/.*$/gm, "");
    const deps = [...text.matchAll(IMPORT)]
      .map((m) => m[1] ?? m[2]!)
      .map((s) => (s.startsWith(".") ? relative(root, resolve(dirname(f), s)) : s));
    g.set(relative(root, f), deps);
  }
  return g;
}

/** Every file reachable from the files whose path starts with `prefix`. */
export function reach(g: Map<string, string[]>, prefix: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...g.keys()].filter((f) => f === prefix || f.startsWith(`${prefix}/`));
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const d of g.get(f) ?? []) todo.push(d);
  }
  return seen;
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of (g.get(v) ?? []).filter((d) => g.has(d))) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}
