// How a check's result reads as text, in one place for the console, junit.xml, summary.md and the site:
// every finding with the rules it fails, expected versus actual, the JSON path or byte offset, and the
// command that replays it. Values are printed whole in report.json and cut here so a 2 kB payload does not
// bury the message.
import type { CheckRecord } from "../verdict.ts";

/** A value for people: JSON, long ones cut. */
export function brief(v: unknown, max = 160): string {
  let t: string;
  try {
    t = JSON.stringify(v) ?? String(v);
  } catch {
    t = String(v);
  }
  return t.length > max ? `${t.slice(0, 120)}… (${t.length} characters; report.json has it whole)` : t;
}

/** The first line that says why a check did not pass. */
export function firstMessage(c: CheckRecord): string {
  if (c.fault) return `${c.fault.code}: ${c.fault.message.split("\n")[0]}`;
  const f = c.findings[0];
  return f ? f.message.split("\n")[0]! : c.verdict;
}

/** Every line that explains a check's result (indented by the caller). */
export function explain(c: CheckRecord, opts: { maxFindings?: number } = {}): string[] {
  const lines: string[] = [];
  if (c.fault) {
    lines.push(`fault ${c.fault.code} (inconclusive: no rule is failed by it):`);
    lines.push(...c.fault.message.split("\n").map((l) => `  ${l}`));
  }
  if (c.context) lines.push(c.context);
  if (c.counterexample !== undefined) lines.push(`counterexample: ${c.counterexample}`);
  const max = opts.maxFindings ?? 10;
  for (const f of c.findings.slice(0, max)) {
    lines.push(`[${f.rules.join(", ")}] ${f.message.split("\n")[0]}`);
    for (const more of f.message.split("\n").slice(1)) lines.push(`  ${more}`);
    if (f.field !== undefined) lines.push(`  field: ${f.field}`);
    if (f.offset !== undefined) lines.push(`  byte offset: ${f.offset}`);
    if (f.expected !== undefined) lines.push(`  expected: ${brief(f.expected)}`);
    if (f.actual !== undefined) lines.push(`  actual:   ${brief(f.actual)}`);
  }
  if (c.findings.length > max)
    lines.push(`… and ${c.findings.length - max} more findings (report.json lists them all)`);
  for (const n of c.notes) lines.push(`note: ${n}`);
  if (c.replay && c.verdict !== "pass" && c.verdict !== "skip") lines.push(`replay: ${c.replay}`);
  return lines;
}
