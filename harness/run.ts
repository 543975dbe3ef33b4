// Runs checks through an adapter and turns per-check verdicts into per-rule verdicts.
// A rule passes when every check naming it passes; it is skipped when none of its checks could run
// because a capability was not claimed; it is unchecked when nothing names it. The run conforms when no
// check naming a MUST or MUST NOT rule failed or errored (expected failures aside) and no expected failure
// passed (so an expectations file cannot rot).
import type { Adapter, Capability } from "../adapters/interface.ts";
import type { Catalog, Level } from "./catalog/load.ts";
import type { Check, CheckContext, CheckFailure } from "./checks/types.ts";
import { type ExpectationEntry, type Expectations, matchExpectation } from "./expectations.ts";

export type CheckVerdict = "pass" | "fail" | "error" | "skip" | "xfail" | "xpass";

export interface CheckRecord {
  id: string;
  title: string;
  kind: Check["kind"];
  rules: string[];
  capabilities: Capability[];
  verdict: CheckVerdict;
  duration_ms: number;
  failure?: CheckFailure;
  skip_reason?: string;
  expectation?: { reason: string; link?: string };
}

export type RuleVerdictValue = "pass" | "fail" | "error" | "skip" | "unchecked" | "xfail";

export interface RuleVerdict {
  id: string;
  level: Level;
  capability: Capability;
  verdict: RuleVerdictValue;
  checks: string[];
  failing: string[];
}

export interface Counts {
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  xfail: number;
  xpass: number;
}

export interface RunSelection {
  rules?: string;
  capabilities?: Capability[];
  shard?: { index: number; count: number };
}

export interface RunOptions {
  adapter: Adapter;
  reference: Adapter;
  checks: Check[];
  catalog: Catalog;
  seed: number;
  runs: number;
  selection?: RunSelection;
  expectations?: Expectations;
  saveRegressionsDir?: string;
  replayCommand: CheckContext["replayCommand"];
  /** The caller already narrowed `checks` (e.g. --check): rules without checks in it are skipped. */
  narrowed?: boolean;
  onCheckStart?: (check: Check, index: number, total: number) => void;
  onCheckEnd?: (record: CheckRecord, index: number, total: number) => void;
}

export interface RunResult {
  checks: CheckRecord[];
  rules: RuleVerdict[];
  counts: Counts;
  conforms: boolean;
  /** Checks the selection kept (before capability skips), for the "ran them all" proof. */
  selected: number;
  /** Expectations by rule that no failure matched although the rule's checks ran. */
  stale: ExpectationEntry[];
}

/** "ATXI-VIS-*" style patterns, comma-separated; a plain id matches itself. */
export function rulePatternMatcher(pattern: string): (id: string) => boolean {
  const parts = pattern
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
  return (id) => parts.some((re) => re.test(id));
}

export function selectChecks(checks: Check[], sel: RunSelection = {}): Check[] {
  let out = [...checks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (sel.rules) {
    const m = rulePatternMatcher(sel.rules);
    out = out.filter((c) => c.rules.some(m));
  }
  if (sel.capabilities) {
    const allowed = new Set(sel.capabilities);
    out = out.filter((c) => c.capabilities.every((cap) => allowed.has(cap)));
  }
  if (sel.shard) {
    const { index, count } = sel.shard;
    out = out.filter((_, i) => i % count === index - 1);
  }
  return out;
}

const STRICT: ReadonlySet<Level> = new Set(["MUST", "MUST NOT"]);

export async function runChecks(opts: RunOptions): Promise<RunResult> {
  const claimed = new Set(opts.adapter.hello.capabilities);
  const selected = selectChecks(opts.checks, opts.selection);
  const ctx: CheckContext = {
    adapter: opts.adapter,
    reference: opts.reference,
    seed: opts.seed,
    runs: opts.runs,
    replayCommand: opts.replayCommand,
    ...(opts.saveRegressionsDir ? { saveRegressionsDir: opts.saveRegressionsDir } : {}),
  };
  const records: CheckRecord[] = [];
  for (let i = 0; i < selected.length; i++) {
    const check = selected[i]!;
    opts.onCheckStart?.(check, i, selected.length);
    const base = {
      id: check.id,
      title: check.title,
      kind: check.kind,
      rules: check.rules,
      capabilities: check.capabilities,
    };
    const missing = check.capabilities.filter((c) => !claimed.has(c));
    let record: CheckRecord;
    if (missing.length > 0) {
      record = {
        ...base,
        verdict: "skip",
        duration_ms: 0,
        skip_reason: `capability not claimed: ${missing.join(", ")}`,
      };
    } else {
      const start = performance.now();
      let outcome: Awaited<ReturnType<Check["run"]>>;
      const reset = await opts.adapter.reset();
      if ("error" in reset) {
        outcome = { verdict: "error", message: `reset failed: ${reset.error.code}: ${reset.error.message}` };
      } else {
        await opts.reference.reset();
        try {
          outcome = await check.run(ctx);
        } catch (e) {
          outcome = { verdict: "error", message: `the check itself failed: ${(e as Error).message}` };
        }
      }
      const duration_ms = Math.round((performance.now() - start) * 100) / 100;
      if (outcome.verdict === "pass") record = { ...base, verdict: "pass", duration_ms };
      else {
        const { verdict, ...failure } = outcome;
        failure.replay ??= opts.replayCommand(check.id);
        if (verdict === "error") {
          await opts.adapter.flushDiagnostics?.();
          const tail = opts.adapter.stderrTail().trim();
          if (tail) failure.message += `\n--- implementation stderr (last lines) ---\n${tail}`;
        }
        record = { ...base, verdict, duration_ms, failure };
      }
    }
    records.push(applyExpectation(record, opts.expectations));
    opts.onCheckEnd?.(records[records.length - 1]!, i, selected.length);
  }
  const stale = staleRuleExpectations(records, opts.expectations);
  const s = summarize(records, opts.catalog, claimed);
  // A narrowed run says nothing of the rules it left out: they are skipped, not unchecked.
  const sel = opts.selection ?? {};
  if (opts.narrowed || sel.rules || sel.capabilities || sel.shard) {
    s.rules = s.rules.map((r) => (r.verdict === "unchecked" ? { ...r, verdict: "skip" } : r));
  }
  return {
    ...s,
    counts: { ...s.counts, xpass: s.counts.xpass + stale.length },
    conforms: s.conforms && stale.length === 0,
    stale,
    selected: selected.length,
  };
}

/**
 * A failing check that an expectation names (by check id or by one of its rules) is an expected failure.
 * A passing check is an unexpected pass only when the expectation names that check; an expectation by
 * rule is stale when the rule's checks ran and none failed (see staleRuleExpectations).
 */
function applyExpectation(r: CheckRecord, exp: Expectations | undefined): CheckRecord {
  if (!exp || r.verdict === "skip") return r;
  const m = matchExpectation(exp, r.id, r.rules);
  if (!m) return r;
  const expectation = { reason: m.reason, ...(m.link ? { link: m.link } : {}) };
  if (r.verdict === "fail" || r.verdict === "error") return { ...r, verdict: "xfail", expectation };
  return m.check === r.id ? { ...r, verdict: "xpass", expectation } : r;
}

/** Expectations by rule whose rules' checks all ran and passed: the list has rotted. */
export function staleRuleExpectations(
  records: CheckRecord[],
  exp: Expectations | undefined,
): ExpectationEntry[] {
  if (!exp) return [];
  return exp.entries.filter((e) => {
    if (!e.rule) return false;
    const mine = records.filter((r) => r.verdict !== "skip" && r.rules.some((id) => e.matchesRule(id)));
    return mine.length > 0 && mine.every((r) => r.verdict === "pass");
  });
}

/** Per-rule verdicts and counts from check records: a pure function, so merged shards give the same answer. */
export function summarize(
  records: CheckRecord[],
  catalog: Catalog,
  claimed: ReadonlySet<Capability>,
): Omit<RunResult, "selected" | "stale"> {
  const byRule = new Map<string, CheckRecord[]>();
  for (const r of records) for (const id of r.rules) byRule.set(id, [...(byRule.get(id) ?? []), r]);
  const level = new Map(catalog.rules.map((r) => [r.id, r.level]));
  const rules: RuleVerdict[] = catalog.rules
    .filter((r) => !r.retired)
    .map((rule) => {
      const rs = byRule.get(rule.id) ?? [];
      const failing = rs
        .filter((r) => r.verdict === "fail" || r.verdict === "error" || r.verdict === "xpass")
        .map((r) => r.id);
      let verdict: RuleVerdictValue;
      if (rs.length === 0) verdict = claimed.has(rule.capability) ? "unchecked" : "skip";
      else if (rs.some((r) => r.verdict === "fail" || r.verdict === "xpass")) verdict = "fail";
      else if (rs.some((r) => r.verdict === "error")) verdict = "error";
      else if (rs.some((r) => r.verdict === "xfail")) verdict = "xfail";
      else if (rs.every((r) => r.verdict === "skip")) verdict = "skip";
      else verdict = "pass";
      return {
        id: rule.id,
        level: rule.level,
        capability: rule.capability,
        verdict,
        checks: rs.map((r) => r.id),
        failing,
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const counts: Counts = { passed: 0, failed: 0, errored: 0, skipped: 0, xfail: 0, xpass: 0 };
  for (const r of records) {
    if (r.verdict === "pass") counts.passed++;
    else if (r.verdict === "fail") counts.failed++;
    else if (r.verdict === "error") counts.errored++;
    else if (r.verdict === "skip") counts.skipped++;
    else if (r.verdict === "xfail") counts.xfail++;
    else counts.xpass++;
  }
  const strictFailure = records.some(
    (r) =>
      (r.verdict === "fail" || r.verdict === "error") &&
      r.rules.some((id) => STRICT.has(level.get(id) ?? "MAY")),
  );
  return { checks: records, rules, counts, conforms: !strictFailure && counts.xpass === 0 };
}
