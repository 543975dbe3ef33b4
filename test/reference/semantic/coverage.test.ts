// Every rule of ASL/INDEXES/1 and ASL-STORE-INDEX is named by at least one test of this directory.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");

describe("rule coverage of the semantic tests", () => {
  it("[IDX-CI-001][STO-CUR-001] every rule of asl-indexes-1.yaml and asl-store-index.yaml is named by an it() title here", () => {
    const rules = ["asl-indexes-1.yaml", "asl-store-index.yaml"].flatMap((f) =>
      (
        parse(readFileSync(join(root, "spec/rules", f), "utf8")) as { rules: Array<{ id: string }> }
      ).rules.map((r) => r.id),
    );
    const named = new Set<string>();
    for (const f of readdirSync(here).filter((x) => x.endsWith(".test.ts"))) {
      for (const m of readFileSync(join(here, f), "utf8").matchAll(/\bit\(\s*"((?:\[[A-Z0-9-]+\])+)/g)) {
        for (const id of m[1]!.matchAll(/\[([A-Z0-9-]+)\]/g)) named.add(id[1]!);
      }
    }
    expect(rules.filter((r) => !named.has(r))).toEqual([]);
  });
});
