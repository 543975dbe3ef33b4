// The report of one run, as report.json holds it (schema: spec/schemas/report.schema.json), built from
// the raw check observations and judged by harness/verdict.ts; and its merge: the reports of the shards of
// one suite (--shard K/N) join into the report of the whole run, judged again by the same module from the
// same raw material, so the merged verdict is the unsharded run's.
import type { Capability, HelloResult } from "../../adapters/interface.ts";
import type { Rule } from "../../catalog/load.ts";
import type { ExpectationEntry } from "../expectations.ts";
import type { RunSelection } from "../select.ts";
import {
  type CheckObservation,
  type CheckRecord,
  type Counts,
  headline,
  judge,
  type RuleVerdict,
  type RuleVerdictValue,
  type RunOutcome,
} from "../verdict.ts";

export const REPORT_SCHEMA = "asl-conformance/report/3";

export interface ReportSelection {
  rules: string | null;
  capabilities: Capability[] | null;
  checks: string[] | null;
  /** "K/N" of each shard this report covers ("1/1" for a whole run). */
  shards: string[];
}

/** The contract a run was judged against: the tool's own, or a release given with `run --vectors`. */
export interface ReportContract {
  version: string;
  source: "built-in" | "release";
  /** SHA-256 of the release's manifest.json, when the vectors came from a release. */
  release_manifest?: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: string; version: string };
  contract: ReportContract;
  protocol: string;
  profile: string;
  spec_digest: string;
  implementation: HelloResult["implementation"];
  capabilities: Capability[];
  seed: number;
  runs: number;
  strict: boolean;
  selection: ReportSelection;
  expectations: ExpectationEntry[];
  outcome: RunOutcome;
  conforms: boolean;
  headline: string;
  counts: Counts;
  rule_counts: Record<RuleVerdictValue, number>;
  not_verified: string[];
  warnings: string[];
  vectors: { expected: number; ran: number };
  duration_ms: number;
  rules: RuleVerdict[];
  checks: CheckRecord[];
}

export interface ReportInput {
  tool: Report["tool"];
  contract: ReportContract;
  protocol: string;
  profile: string;
  spec_digest: string;
  hello: HelloResult;
  seed: number;
  runs: number;
  strict: boolean;
  selection: RunSelection;
  expectations: ExpectationEntry[];
  observations: CheckObservation[];
  rules: Rule[];
  vectorCount: number;
  duration_ms: number;
}

function selectionOf(sel: RunSelection): ReportSelection {
  return {
    rules: sel.rules ?? null,
    capabilities: sel.capabilities ?? null,
    checks: sel.checks ?? null,
    shards: [sel.shard ? `${sel.shard.index}/${sel.shard.count}` : "1/1"],
  };
}

/** Whether a selection leaves part of the suite out (shards that together cover 1..N do not). */
function narrowed(s: ReportSelection): boolean {
  if (s.rules !== null || s.capabilities !== null || s.checks !== null) return true;
  const parts = s.shards.map((x) => x.split("/").map(Number) as [number, number]);
  const n = parts[0]?.[1] ?? 1;
  const covered = new Set(parts.filter(([, c]) => c === n).map(([i]) => i));
  return !(parts.every(([, c]) => c === n) && covered.size === n);
}

function judged(
  base: Omit<
    Report,
    | "outcome"
    | "conforms"
    | "headline"
    | "counts"
    | "rule_counts"
    | "not_verified"
    | "warnings"
    | "rules"
    | "checks"
  >,
  observations: CheckObservation[],
  rules: Rule[],
): Report {
  const j = judge({
    observations,
    rules,
    claimed: base.capabilities,
    narrowed: narrowed(base.selection),
    expectations: base.expectations,
    strict: base.strict,
  });
  return {
    ...base,
    outcome: j.outcome,
    conforms: j.conforms,
    headline: headline(j),
    counts: j.counts,
    rule_counts: j.rule_counts,
    not_verified: j.not_verified,
    warnings: j.warnings,
    rules: j.rules,
    checks: j.checks,
  };
}

export function buildReport(i: ReportInput): Report {
  return judged(
    {
      schema: REPORT_SCHEMA,
      tool: i.tool,
      contract: i.contract,
      protocol: i.protocol,
      profile: i.profile,
      spec_digest: i.spec_digest,
      implementation: i.hello.implementation,
      capabilities: i.hello.capabilities,
      seed: i.seed,
      runs: i.runs,
      strict: i.strict,
      selection: selectionOf(i.selection),
      expectations: i.expectations,
      vectors: {
        expected: i.vectorCount,
        ran: i.observations.filter((c) => (c.kind === "vector" || c.kind === "trace") && c.ran).length,
      },
      duration_ms: i.duration_ms,
    },
    i.observations,
    i.rules,
  );
}

/** The raw observation of a judged record (what merge re-judges). */
function observationOf(c: CheckRecord): CheckObservation {
  const { verdict: _v, expectation: _e, ...o } = c;
  return o;
}

export function mergeReports(reports: Report[], rules: Rule[]): Report {
  const first = reports[0];
  if (!first) throw new Error("no report to merge");
  for (const r of reports) {
    if (
      r.implementation.name !== first.implementation.name ||
      r.implementation.version !== first.implementation.version
    )
      throw new Error(
        `reports of different implementations: ${first.implementation.name} ${first.implementation.version} and ${r.implementation.name} ${r.implementation.version}`,
      );
    if (JSON.stringify(r.contract) !== JSON.stringify(first.contract))
      throw new Error(
        `reports were judged against different contracts (${first.contract.version}, ${r.contract.version})`,
      );
    if (r.spec_digest !== first.spec_digest)
      throw new Error("reports were made against different spec versions (spec_digest differs)");
    if (r.seed !== first.seed)
      throw new Error(`reports were made with different seeds (${first.seed} and ${r.seed})`);
    if (r.strict !== first.strict) throw new Error("some reports were made with --strict and some without");
    if (JSON.stringify(r.capabilities) !== JSON.stringify(first.capabilities))
      throw new Error("reports claim different capabilities");
    for (const k of ["rules", "capabilities", "checks"] as const)
      if (JSON.stringify(r.selection[k]) !== JSON.stringify(first.selection[k]))
        throw new Error(`reports were made with different selections (--${k})`);
    if (JSON.stringify(r.expectations) !== JSON.stringify(first.expectations))
      throw new Error("reports were made with different expectations (--expect)");
  }
  const byId = new Map<string, CheckObservation>();
  for (const r of reports)
    for (const c of r.checks) {
      if (byId.has(c.id)) throw new Error(`check ${c.id} appears in two reports: shards overlap`);
      byId.set(c.id, observationOf(c));
    }
  const observations = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const shards = [...new Set(reports.flatMap((r) => r.selection.shards))].sort();
  return judged(
    {
      schema: REPORT_SCHEMA,
      tool: first.tool,
      contract: first.contract,
      protocol: first.protocol,
      profile: first.profile,
      spec_digest: first.spec_digest,
      implementation: first.implementation,
      capabilities: first.capabilities,
      seed: first.seed,
      runs: first.runs,
      strict: first.strict,
      selection: { ...first.selection, shards },
      expectations: first.expectations,
      vectors: { expected: first.vectors.expected, ran: reports.reduce((n, r) => n + r.vectors.ran, 0) },
      duration_ms: reports.reduce((n, r) => n + r.duration_ms, 0),
    },
    observations,
    rules,
  );
}
