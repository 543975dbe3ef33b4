// The impact of a spec change (asl-conform diff BASE): rules added, changed (statement, level,
// capability) and retired between two spec trees; the vector checks and files added, changed and removed;
// and, given saved report.json files, which implementations would newly fail and on which rules.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Catalog, type Level, loadCatalog, type Rule } from "../catalog/load.ts";
import { REPORT_SCHEMA, type Report } from "../harness/report/report.ts";

export interface RuleChange {
  id: string;
  field: "statement" | "level" | "capability";
  before: string;
  after: string;
}

export interface SpecDiff {
  rules: { added: Rule[]; changed: RuleChange[]; retired: Rule[]; deleted: Rule[]; unretired: Rule[] };
  vectors: {
    checksAdded: string[];
    checksRemoved: string[];
    filesAdded: string[];
    filesChanged: string[];
    filesRemoved: string[];
  };
  impact: ImplementationImpact[];
}

export interface ImplementationImpact {
  implementation: string;
  report: string;
  /** Rules tightened to MUST/MUST NOT that this implementation already fails: its run would now fail. */
  newlyFailing: { rule: string; from: Level; to: Level; failing: string[] }[];
  /** Rules added or changed in a capability it claims: not yet run against the new text. */
  toRerun: string[];
}

interface VectorIndex {
  checks?: { id: string }[];
  files?: { path: string; sha256: string }[];
}

function readIndex(root: string): VectorIndex {
  const p = join(root, "vectors", "index.json");
  return existsSync(p) ? (JSON.parse(readFileSync(p, "utf8")) as VectorIndex) : {};
}

const STRICT: ReadonlySet<Level> = new Set(["MUST", "MUST NOT"]);

/** Compares two trees, each a directory holding spec/ (and vectors/). */
export function diffTrees(
  baseRoot: string,
  newRoot: string,
  reports: { file: string; report: Report }[] = [],
): SpecDiff {
  const before: Catalog = loadCatalog(join(baseRoot, "spec"), { olderRelease: true });
  const after: Catalog = loadCatalog(join(newRoot, "spec"));
  const old = new Map(before.rules.map((r) => [r.id, r]));
  const now = new Map(after.rules.map((r) => [r.id, r]));
  const added = after.rules.filter((r) => !old.has(r.id));
  const deleted = before.rules.filter((r) => !now.has(r.id));
  const retired = after.rules.filter((r) => r.retired && old.has(r.id) && !old.get(r.id)!.retired);
  const unretired = after.rules.filter((r) => !r.retired && old.get(r.id)?.retired);
  const changed: RuleChange[] = [];
  for (const r of after.rules) {
    const o = old.get(r.id);
    if (!o) continue;
    const norm = (s: string) => s.replace(/\s+/g, " ").trim();
    if (norm(o.statement) !== norm(r.statement))
      changed.push({ id: r.id, field: "statement", before: norm(o.statement), after: norm(r.statement) });
    if (o.level !== r.level) changed.push({ id: r.id, field: "level", before: o.level, after: r.level });
    if (o.capability !== r.capability)
      changed.push({ id: r.id, field: "capability", before: o.capability, after: r.capability });
  }
  const bi = readIndex(baseRoot);
  const ni = readIndex(newRoot);
  const bChecks = new Set((bi.checks ?? []).map((c) => c.id));
  const nChecks = new Set((ni.checks ?? []).map((c) => c.id));
  const bFiles = new Map((bi.files ?? []).map((f) => [f.path, f.sha256]));
  const nFiles = new Map((ni.files ?? []).map((f) => [f.path, f.sha256]));
  const vectors = {
    checksAdded: [...nChecks].filter((c) => !bChecks.has(c)).sort(),
    checksRemoved: [...bChecks].filter((c) => !nChecks.has(c)).sort(),
    filesAdded: [...nFiles.keys()].filter((p) => !bFiles.has(p)).sort(),
    filesChanged: [...nFiles]
      .filter(([p, h]) => bFiles.has(p) && bFiles.get(p) !== h)
      .map(([p]) => p)
      .sort(),
    filesRemoved: [...bFiles.keys()].filter((p) => !nFiles.has(p)).sort(),
  };
  const touched = new Set([...added.map((r) => r.id), ...changed.map((c) => c.id)]);
  const impact = reports.map(({ file, report }) => {
    const verdict = new Map(report.rules.map((r) => [r.id, r]));
    const newlyFailing = changed
      .filter((c) => c.field === "level" && STRICT.has(c.after as Level) && !STRICT.has(c.before as Level))
      .flatMap((c) => {
        const v = verdict.get(c.id);
        return v && (v.verdict === "fail" || v.verdict === "error")
          ? [{ rule: c.id, from: c.before as Level, to: c.after as Level, failing: v.failing }]
          : [];
      });
    const claimed = new Set(report.capabilities);
    const toRerun = [...touched].filter((id) => claimed.has(now.get(id)!.capability)).sort();
    return {
      implementation: `${report.implementation.name} ${report.implementation.version}`,
      report: file,
      newlyFailing,
      toRerun,
    };
  });
  return { rules: { added, changed, retired, deleted, unretired }, vectors, impact };
}

export function readReports(dir: string): { file: string; report: Report }[] {
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".json"))
    .sort();
  return files.flatMap((f) => {
    try {
      const report = JSON.parse(readFileSync(join(dir, f), "utf8")) as Report;
      return report.schema === REPORT_SCHEMA ? [{ file: join(dir, f), report }] : [];
    } catch {
      return [];
    }
  });
}

/** Problems a spec change must not have (the spec gate uses these too). */
export function diffProblems(d: SpecDiff): string[] {
  return [
    ...d.rules.deleted.map(
      (r) => `rule ${r.id} disappeared: mark it retired (retired: {since, reason}) instead of deleting it`,
    ),
    ...d.rules.unretired.map(
      (r) =>
        `rule ${r.id} was retired and is live again: a retired id is never reused; give the rule a new id`,
    ),
  ];
}

export function diffText(d: SpecDiff, markdown: boolean): string {
  const h = (s: string) => (markdown ? `### ${s}` : `${s}:`);
  const li = (s: string) => (markdown ? `- ${s}` : `  ${s}`);
  const out: string[] = [markdown ? "## Spec change impact" : "Spec change impact", ""];
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    out.push(h(`${title} (${items.length})`), ...items.map(li), "");
  };
  section(
    "Rules added",
    d.rules.added.map(
      (r) => `${r.id} (${r.level}, ${r.capability}): ${r.statement.replace(/\s+/g, " ").slice(0, 140)}`,
    ),
  );
  section(
    "Rules changed",
    d.rules.changed.map((c) =>
      c.field === "statement" ? `${c.id} statement changed` : `${c.id} ${c.field}: ${c.before} -> ${c.after}`,
    ),
  );
  section(
    "Rules retired",
    d.rules.retired.map((r) => `${r.id}: ${r.retired?.reason ?? ""}`),
  );
  section("Problems", diffProblems(d));
  section("Vector checks added", d.vectors.checksAdded);
  section("Vector checks removed", d.vectors.checksRemoved);
  section("Vector files changed", [
    ...d.vectors.filesAdded.map((f) => `+ ${f}`),
    ...d.vectors.filesChanged.map((f) => `~ ${f}`),
    ...d.vectors.filesRemoved.map((f) => `- ${f}`),
  ]);
  for (const i of d.impact) {
    const items = [
      ...i.newlyFailing.map(
        (n) =>
          `newly fails ${n.rule} (${n.from} -> ${n.to}), failing checks: ${n.failing.slice(0, 3).join(", ")}${n.failing.length > 3 ? ", ..." : ""}`,
      ),
      ...(i.toRerun.length
        ? [
            `re-run needed for ${i.toRerun.length} added or changed rules: ${i.toRerun.slice(0, 8).join(", ")}${i.toRerun.length > 8 ? ", ..." : ""}`,
          ]
        : []),
    ];
    section(`Impact on ${i.implementation} (${i.report})`, items.length ? items : ["no change in verdict"]);
  }
  if (out.length === 2) out.push(li("no change"));
  return out.join("\n");
}
