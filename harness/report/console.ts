// What a run prints: failures grouped by rule (each rule with its own first finding), then every failing,
// errored or warning check explained, expectation notes, the rule tally, the headline and the summary line.
import { summaryLine } from "../verdict.ts";
import type { Report } from "./report.ts";
import { explain } from "./text.ts";

export function consoleLines(r: Report, opts: { quiet?: boolean; expectFile?: string } = {}): string[] {
  const out: string[] = [];
  const failing = r.rules.filter((x) => x.verdict === "fail");
  if (failing.length > 0) {
    out.push("", "Failures, by rule:");
    for (const rule of failing) {
      out.push(
        `${rule.id} (${rule.level}, ${rule.capability}${rule.basis ? `, ${rule.basis}` : ""}): ${rule.failing.length} check${rule.failing.length === 1 ? "" : "s"}; first: ${rule.first?.check}: ${rule.first?.message.split("\n")[0]}`,
      );
      if (rule.basis === "profile" && rule.decisions?.length)
        out.push(
          `  a profile rule: no draft states it; the expected values are the reference's, made as ${rule.decisions.join(", ")} (spec/decisions.yaml) gives`,
        );
    }
  }
  const shown = r.checks.filter((c) => c.verdict === "fail" || c.verdict === "error");
  if (shown.length > 0) out.push("");
  for (const c of shown) {
    out.push(
      `  ${c.verdict === "error" ? "ERROR" : "FAIL"} ${c.id}  ${c.title}`,
      `    rules: ${c.rules.join(", ")}`,
    );
    out.push(...explain(c).map((l) => `    ${l}`));
  }
  for (const rule of r.rules.filter((x) => x.verdict === "xpass"))
    out.push(
      `  XPASS rule ${rule.id}: expected to fail (${rule.expectation?.reason}) but every check of it passed: remove it from ${opts.expectFile}`,
    );
  for (const c of r.checks.filter((x) => x.verdict === "xpass"))
    out.push(
      `  XPASS ${c.id}: expected to fail (${c.expectation?.reason}) but passed: remove it from ${opts.expectFile}`,
    );
  const warned = r.rules.filter((x) => x.verdict === "warn");
  if (warned.length > 0 && !opts.quiet) {
    out.push(
      "",
      "Warnings (SHOULD and MAY rules: reported, the exit code does not change; --strict makes SHOULD a MUST):",
    );
    for (const rule of warned)
      out.push(
        `  WARN ${rule.id} (${rule.level}): ${rule.failing.length} check${rule.failing.length === 1 ? "" : "s"}; first: ${rule.first?.check}: ${rule.first?.message.split("\n")[0]}`,
      );
  }
  if (!opts.quiet) {
    const nv = r.rules.filter((x) => x.verdict === "not-verified");
    if (nv.length > 0) {
      out.push("", "Not verified (a capability you claim, but no check that ran reached the rule):");
      for (const rule of nv) out.push(`  ${rule.id} (${rule.level}, ${rule.capability}): ${rule.reason}`);
    }
    const notes = r.checks.filter((c) => c.verdict === "pass" && c.notes.length > 0 && c.kind !== "property");
    if (notes.length > 0) {
      out.push("", "Notes:");
      const grouped = new Map<string, string[]>();
      for (const c of notes) for (const n of c.notes) grouped.set(n, [...(grouped.get(n) ?? []), c.id]);
      for (const [n, ids] of grouped)
        out.push(
          `  ${n}: ${ids.length} check${ids.length === 1 ? "" : "s"} (${ids.slice(0, 3).join(", ")}${ids.length > 3 ? ", …" : ""})`,
        );
    }
    const c = r.rule_counts;
    out.push(
      "",
      `rules: ${c.pass} pass, ${c.fail} fail, ${c.warn} warn, ${c.error} error, ${c.xfail} xfail, ${c.xpass} xpass, ${c.skip} skipped, ${c["not-verified"]} not verified (${r.rules.length} rules); vector cases run: ${r.vectors.ran} of ${r.vectors.expected}`,
      `verdict: ${r.headline}`,
    );
  }
  out.push(summaryLine(r.counts));
  return out;
}
