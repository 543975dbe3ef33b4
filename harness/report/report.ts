// The report of one run, as report.json holds it (schema: spec/schemas/report.schema.json), and its
// merge: reports of the shards of one suite (--shard K/N) join into the report of the whole run.
import type { Capability, HelloResult } from "../../adapters/interface.ts";
import type { Catalog } from "../catalog/load.ts";
import { type CheckRecord, type Counts, type RuleVerdict, summarize } from "../run.ts";

export const REPORT_SCHEMA = "asl-conformance/report/1";

export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: string; version: string };
  protocol: string;
  profile: string;
  spec_digest: string;
  implementation: HelloResult["implementation"];
  capabilities: Capability[];
  seed: number;
  runs: number;
  selection: { rules: string | null; capabilities: Capability[] | null; shards: string[] };
  conforms: boolean;
  counts: Counts;
  vectors: { expected: number; ran: number };
  duration_ms: number;
  rules: RuleVerdict[];
  checks: CheckRecord[];
}

export function mergeReports(reports: Report[], catalog: Catalog): Report {
  const first = reports[0];
  if (!first) throw new Error("no report to merge");
  for (const r of reports) {
    if (
      r.implementation.name !== first.implementation.name ||
      r.implementation.version !== first.implementation.version
    ) {
      throw new Error(
        `reports of different implementations: ${first.implementation.name} ${first.implementation.version} and ${r.implementation.name} ${r.implementation.version}`,
      );
    }
    if (r.spec_digest !== first.spec_digest)
      throw new Error("reports were made against different spec versions (spec_digest differs)");
    if (r.seed !== first.seed)
      throw new Error(`reports were made with different seeds (${first.seed} and ${r.seed})`);
  }
  const byId = new Map<string, CheckRecord>();
  for (const r of reports) {
    for (const c of r.checks) {
      if (byId.has(c.id)) throw new Error(`check ${c.id} appears in two reports: shards overlap`);
      byId.set(c.id, c);
    }
  }
  const checks = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const s = summarize(checks, catalog, new Set(first.capabilities));
  return {
    ...first,
    selection: { ...first.selection, shards: reports.flatMap((r) => r.selection.shards) },
    conforms: s.conforms,
    counts: s.counts,
    vectors: {
      expected: first.vectors.expected,
      ran: reports.reduce((n, r) => n + r.vectors.ran, 0),
    },
    duration_ms: reports.reduce((n, r) => n + r.duration_ms, 0),
    rules: s.rules,
    checks,
  };
}

/** The closing line CI and people read: "N passed, N failed, N skipped". */
export function summaryLine(c: Counts): string {
  const extra = [
    c.errored ? `${c.errored} errored` : "",
    c.xfail ? `${c.xfail} expected failures` : "",
    c.xpass ? `${c.xpass} unexpectedly passed` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return `${c.passed} passed, ${c.failed + c.errored + c.xpass} failed, ${c.skipped} skipped${extra ? ` (${extra})` : ""}`;
}
