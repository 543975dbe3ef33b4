// summary.md: what a CI step summary shows: the headline, the counts, every failing rule with its own first
// failure, the warnings, the MUST rules not verified and why, and the capabilities not claimed.
import { summaryLine } from "../verdict.ts";
import type { Report } from "./report.ts";

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim().slice(0, 300);
}

export function summaryMarkdown(r: Report): string {
  const title =
    r.outcome === "conforms"
      ? "Conforms"
      : r.outcome === "inconclusive"
        ? "Inconclusive"
        : "Does not conform";
  const out: string[] = [
    `# asl-conform: ${r.implementation.name} ${r.implementation.version} (${r.implementation.language})`,
    "",
    `**${title}**: ${r.headline} · profile \`${r.profile}\` · protocol \`${r.protocol}\` · seed ${r.seed}${r.strict ? " · strict" : ""}`,
    "",
    `${summaryLine(r.counts)} · vectors run: ${r.vectors.ran} of ${r.vectors.expected}`,
    "",
  ];
  const table = (heading: string, verdicts: string[]) => {
    const rows = r.rules.filter((x) => verdicts.includes(x.verdict));
    if (rows.length === 0) return;
    out.push(
      `## ${heading}`,
      "",
      "| rule | level | capability | checks with findings | its first finding |",
      "|---|---|---|---|---|",
    );
    for (const rule of rows)
      out.push(
        `| ${rule.id} | ${rule.level} | ${rule.capability} | ${rule.failing.length} | ${cell(rule.first ? `${rule.first.check}: ${rule.first.message}` : "")} |`,
      );
    out.push("");
  };
  table("Failing rules", ["fail", "xpass"]);
  table("Warnings (SHOULD and MAY rules; the exit code does not change)", ["warn"]);
  const nv = r.rules.filter((x) => x.verdict === "not-verified");
  if (nv.length > 0) {
    out.push("## Not verified", "", "| rule | level | capability | why |", "|---|---|---|---|");
    for (const rule of nv)
      out.push(`| ${rule.id} | ${rule.level} | ${rule.capability} | ${cell(rule.reason ?? "")} |`);
    out.push("");
  }
  const errored = r.checks.filter((c) => c.verdict === "error");
  if (errored.length > 0) {
    out.push(
      "## Errored checks (faults: inconclusive, no rule failed by them)",
      "",
      "| check | fault |",
      "|---|---|",
    );
    for (const c of errored) out.push(`| ${c.id} | ${cell(`${c.fault?.code}: ${c.fault?.message ?? ""}`)} |`);
    out.push("");
  }
  out.push("## Rules", "", "| verdict | rules |", "|---|---|");
  for (const [v, n] of Object.entries(r.rule_counts)) out.push(`| ${v} | ${n} |`);
  const unclaimed = [
    ...new Set(
      r.rules
        .filter((x) => x.verdict === "skip" && !r.capabilities.includes(x.capability))
        .map((x) => x.capability),
    ),
  ];
  if (unclaimed.length > 0)
    out.push("", `Skipped for capabilities not claimed: ${unclaimed.sort().join(", ")}.`);
  out.push("");
  return out.join("\n");
}
