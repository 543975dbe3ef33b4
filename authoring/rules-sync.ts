// Which checks test which rule: the `checks` lists of spec/rules/*.yaml are derived, never typed by hand.
// Two sources: the suite's checks (vectors/index.json and the differential properties, which run
// against any implementation) and the project's own tests (test/**/*.test.ts whose titles name rule
// ids in brackets, which check the reference itself: import graphs, crash recovery, the .ksy). A test
// keeps the YAML equal to what this computes; `asl-conform rules sync` rewrites it.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { isMap, isSeq, parseDocument } from "yaml";
import { REPO_ROOT, SPEC_DIR } from "../catalog/load.ts";
import { loadSuite } from "../harness/suite.ts";

const RULE_ID = /\[((?:IDX|STO|ATXI)-[A-Z]{2,4}-\d{3})\]/g;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
    )
    .sort();
}

/** rule id -> sorted check ids (suite checks, then `test:<file>` for project tests naming the rule). */
export async function computeRuleChecks(vectorsDir?: string): Promise<Map<string, string[]>> {
  const out = new Map<string, Set<string>>();
  const add = (rule: string, check: string) => {
    if (!out.has(rule)) out.set(rule, new Set());
    out.get(rule)!.add(check);
  };
  for (const c of (await loadSuite(vectorsDir)).checks) for (const r of c.rules) add(r, c.id);
  for (const f of testFiles(join(REPO_ROOT, "test"))) {
    const text = readFileSync(f, "utf8");
    for (const m of text.matchAll(RULE_ID)) add(m[1]!, `test:${relative(REPO_ROOT, f)}`);
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

/** Rewrites the `checks` of every rule file; returns the ids of the rules whose list changed. */
export async function syncRuleChecks(
  write: boolean,
  specDir = SPEC_DIR,
  vectorsDir?: string,
): Promise<string[]> {
  const computed = await computeRuleChecks(vectorsDir);
  const changed: string[] = [];
  const dir = join(specDir, "rules");
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith(".yaml"))
    .sort()) {
    const path = join(dir, f);
    const doc = parseDocument(readFileSync(path, "utf8"));
    const before = changed.length;
    const rules = doc.get("rules");
    if (!isSeq(rules)) continue;
    for (const node of rules.items) {
      if (!isMap(node)) continue;
      const id = String(node.get("id"));
      const want = computed.get(id) ?? [];
      const have = node.get("checks");
      const current = isSeq(have) ? have.items.map((x) => String((x as { value?: unknown }).value ?? x)) : [];
      if (current.join("\n") !== want.join("\n")) {
        changed.push(id);
        const seq = doc.createNode(want);
        if (want.length <= 3) seq.flow = true;
        node.set("checks", seq);
      }
    }
    if (write && changed.length > before) writeFileSync(path, doc.toString({ lineWidth: 110 }));
  }
  return changed;
}
