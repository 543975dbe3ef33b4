// Renders the rule catalog for people: a console table (asl-conform rules) and the Markdown view
// spec/RULES.md, which a test keeps equal to what this renders (regenerate: npm run rules:view).
import type { Catalog, Rule } from "../catalog/load.ts";

const DOC_ORDER = ["ASL/INDEXES/1", "ASL-STORE-INDEX", "ENC-ASL-TGK-INDEX"] as const;

export function sortedRules(c: Catalog): Rule[] {
  return [...c.rules].sort(
    (a, b) => DOC_ORDER.indexOf(a.source.doc) - DOC_ORDER.indexOf(b.source.doc) || a.id.localeCompare(b.id),
  );
}

/** The JSON form of `asl-conform rules --json`: stable field order, no file paths beyond the spec file. */
export function rulesJson(c: Catalog): object[] {
  return sortedRules(c).map((r) => ({
    id: r.id,
    level: r.level,
    source: { doc: r.source.doc, section: r.source.section, quote: r.source.quote },
    capability: r.capability,
    basis: r.basis,
    ...(r.applies_with ? { applies_with: r.applies_with } : {}),
    statement: r.statement,
    decisions: r.decisions ?? [],
    checks: r.checks,
    ...(r.retired ? { retired: r.retired } : {}),
    ...(r.waiver ? { waiver: r.waiver } : {}),
    file: r.file,
  }));
}

export function rulesTable(c: Catalog): string {
  const rows = sortedRules(c).map((r) => [
    r.id,
    r.level,
    `${r.source.doc} §${r.source.section}`,
    r.capability,
    r.basis ?? "",
    String(r.checks.filter((x) => !x.startsWith("test:")).length),
    r.retired ? "retired" : "",
  ]);
  const head = ["id", "level", "source", "capability", "basis", "suite checks", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const live = c.rules.filter((r) => !r.retired);
  const onlyTests = live.filter((r) => !r.checks.some((x) => !x.startsWith("test:")));
  const basis = (b: string) => live.filter((r) => r.basis === b).length;
  return [
    line(head),
    ...rows.map(line),
    "",
    `${c.rules.length} rules (${live.length} live: ${basis("draft")} stated by a draft, ${basis("implied")} implied, ${basis("profile")} profile decisions); ${onlyTests.length} without a check of the suite${onlyTests.length ? ` (${onlyTests.map((r) => r.id).join(", ")}: only the project's own tests, so \`run\` reports them "not verified")` : ""}; ${c.capabilities.length} capabilities; ${c.errors.length} error codes; ${c.decisions.length} decisions; ${c.informative.length} statements judged informative.`,
  ].join("\n");
}

function md(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
}

export function rulesMarkdown(c: Catalog): string {
  const out: string[] = [
    "# The rule catalog",
    "",
    "Generated from `spec/rules/*.yaml` by `npm run rules:view`; do not edit by hand (a test fails when it is stale).",
    `Profile: \`${c.profile}\`. ${c.rules.length} rules, ${c.errors.length} error codes, ${c.decisions.length} decisions.`,
    "",
  ];
  for (const doc of DOC_ORDER) {
    const rules = sortedRules(c).filter((r) => r.source.doc === doc);
    out.push(
      `## ${doc}`,
      "",
      "| id | level | § | capability | basis | statement | decisions | suite checks |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const r of rules) {
      const id = r.retired ? `~~${r.id}~~ (retired)` : r.id;
      out.push(
        `| ${id} | ${r.level} | ${md(r.source.section)} | ${r.capability}${r.applies_with ? ` (with ${r.applies_with.join(" or ")})` : ""} | ${r.basis ?? ""} | ${md(r.statement)} | ${(r.decisions ?? []).join(", ")} | ${r.checks.filter((x) => !x.startsWith("test:")).length} |`,
      );
    }
    out.push("");
  }
  out.push(
    "## Capabilities",
    "",
    "| capability | kind | operations | requires | decisions |",
    "|---|---|---|---|---|",
  );
  for (const x of c.capabilities)
    out.push(
      `| ${x.name} | ${x.kind} | ${x.operations.join(", ")} | ${x.requires.join(", ")} | ${(x.decisions ?? []).join(", ")} |`,
    );
  out.push("", "## Error codes", "", "| code | stage | rules | description |", "|---|---|---|---|");
  for (const e of c.errors)
    out.push(`| ${e.code} | ${e.stage} | ${e.rules.join(", ")} | ${md(e.description)} |`);
  out.push("", "## Reader check order (DEC-027)", "", "| # | step | code | what |", "|---|---|---|---|");
  c.checkOrder.forEach((s, i) => {
    out.push(`| ${i + 1} | ${s.step} | ${s.code} | ${md(s.what)} |`);
  });
  out.push("", "## Decisions", "", "| id | title | rules |", "|---|---|---|");
  for (const d of c.decisions) out.push(`| ${d.id} | ${md(d.title)} | ${d.rules.join(", ")} |`);
  out.push("", "## Statements judged informative", "", "| doc | § | quote | reason |", "|---|---|---|---|");
  for (const s of c.informative)
    out.push(`| ${s.doc} | ${md(s.section)} | ${md(s.quote)} | ${md(s.reason)} |`);
  out.push("");
  return out.join("\n");
}
