// summary.md: what a CI step summary shows: the verdict, the counts, the failing rules with their first
// failing check, and the rules skipped for want of a capability.
import type { Report } from "./report.ts";
import { summaryLine } from "./report.ts";

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim().slice(0, 300);
}

export function summaryMarkdown(r: Report): string {
  const out: string[] = [
    `# asl-conform: ${r.implementation.name} ${r.implementation.version} (${r.implementation.language})`,
    "",
    `**${r.conforms ? "Conforms" : "Does not conform"}** to profile \`${r.profile}\` · protocol \`${r.protocol}\` · seed ${r.seed}`,
    "",
    `${summaryLine(r.counts)} · vectors run: ${r.vectors.ran} of ${r.vectors.expected}`,
    "",
  ];
  const byId = new Map(r.checks.map((c) => [c.id, c]));
  const failing = r.rules.filter((x) => x.verdict === "fail" || x.verdict === "error");
  if (failing.length > 0) {
    out.push(
      "## Failing rules",
      "",
      "| rule | level | capability | failing checks | first failure |",
      "|---|---|---|---|---|",
    );
    for (const rule of failing) {
      const first = byId.get(rule.failing[0] ?? "");
      out.push(
        `| ${rule.id} | ${rule.level} | ${rule.capability} | ${rule.failing.length} | ${cell(first ? `${first.id}: ${first.failure?.message ?? first.verdict}` : "")} |`,
      );
    }
    out.push("");
  }
  const tally = (v: string) => r.rules.filter((x) => x.verdict === v).length;
  out.push("## Rules", "", "| verdict | rules |", "|---|---|");
  for (const v of ["pass", "fail", "error", "xfail", "skip", "unchecked"]) out.push(`| ${v} | ${tally(v)} |`);
  const skipped = [
    ...new Set(
      r.checks
        .filter((c) => c.verdict === "skip")
        .flatMap((c) => c.capabilities.filter((cap) => !r.capabilities.includes(cap))),
    ),
  ];
  if (skipped.length > 0) out.push("", `Skipped for capabilities not claimed: ${skipped.sort().join(", ")}.`);
  out.push("");
  return out.join("\n");
}
