// The one place where observations become verdicts: check records -> check verdicts -> rule verdicts ->
// the run's verdict. `run`, `report merge`, `compare` and `site` all call `judge`, so a report, its
// shards merged, and the pages made from it can never disagree.
//
// - A check that did not run (a capability not claimed) is skip. A check interrupted by a transport fault
//   is error: inconclusive, never fail, and it marks no rule as failed or passed.
// - A finding fails the rules it names when their level is MUST or MUST NOT (SHOULD too under --strict);
//   on a SHOULD, SHOULD NOT or MAY rule it is a warning: listed, never a change of the exit code.
// - A rule gets a verdict only from checks that ran: fail or warn from findings naming it, pass from a
//   check that reached it (its `observed` rules) without a finding. A rule of an unclaimed capability is
//   skip; a rule of a claimed capability that no executed check reached is not-verified, and says why.
// - Expectations (--expect) turn failures they cover into xfail; a listed check or rule that passes is
//   xpass, which fails the run, so the list cannot rot.
// - The run conforms when no rule fails and nothing is xpass; with errored checks and no failure it is
//   inconclusive; otherwise it does not conform.
import type { Capability } from "../adapters/interface.ts";
import type { Level, Rule } from "../catalog/load.ts";
import type { CheckKind, Fault, Finding } from "./checks/types.ts";
import { type ExpectationEntry, ExpectationMatcher } from "./expectations.ts";

export type CheckVerdict = "pass" | "fail" | "error" | "skip" | "xfail" | "xpass";
export type RuleVerdictValue =
  | "pass"
  | "fail"
  | "warn"
  | "error"
  | "xfail"
  | "xpass"
  | "skip"
  | "not-verified";
export const RULE_VERDICTS: readonly RuleVerdictValue[] = [
  "pass",
  "fail",
  "warn",
  "error",
  "xfail",
  "xpass",
  "skip",
  "not-verified",
];

/** What a run observed of one check: the raw material every verdict is computed from. */
export interface CheckObservation {
  id: string;
  title: string;
  kind: CheckKind;
  rules: string[];
  capabilities: Capability[];
  /** False when the check was skipped (see skip_reason). */
  ran: boolean;
  skip_reason?: string;
  duration_ms: number;
  findings: (Finding & { rules: string[] })[];
  fault?: Fault;
  /** The rules the check reached without a fault. */
  observed: string[];
  complete: boolean;
  notes: string[];
  context?: string;
  replay?: string;
  counterexample?: string;
}

export interface CheckRecord extends CheckObservation {
  verdict: CheckVerdict;
  expectation?: { reason: string; link?: string };
}

export interface RuleVerdict {
  id: string;
  level: Level;
  capability: Capability;
  basis?: string;
  /** The decisions a profile rule rests on (spec/decisions.yaml): where its expected values come from. */
  decisions?: string[];
  verdict: RuleVerdictValue;
  /** Why a rule is skip or not-verified. */
  reason?: string;
  /** Checks that ran and name the rule. */
  checks: string[];
  /** Checks with a finding on the rule. */
  failing: string[];
  /** The rule's own first finding. */
  first?: { check: string; message: string };
  expectation?: { reason: string; link?: string };
}

export interface Counts {
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  xfail: number;
  xpass: number;
}

export type RunOutcome = "conforms" | "does-not-conform" | "inconclusive";

export interface Judgement {
  checks: CheckRecord[];
  rules: RuleVerdict[];
  counts: Counts;
  rule_counts: Record<RuleVerdictValue, number>;
  outcome: RunOutcome;
  conforms: boolean;
  /** MUST and MUST NOT rules of claimed capabilities that nothing reached. */
  not_verified: string[];
  /** Rules with a warning (a finding on a SHOULD, SHOULD NOT or MAY rule). */
  warnings: string[];
}

export interface JudgeInput {
  observations: CheckObservation[];
  rules: Pick<Rule, "id" | "level" | "capability" | "retired" | "basis" | "applies_with" | "decisions">[];
  claimed: readonly Capability[];
  /** The run took part of the suite: rules none of its checks name are skipped, not "not verified". */
  narrowed: boolean;
  expectations?: readonly ExpectationEntry[];
  /** SHOULD and SHOULD NOT count as MUST. */
  strict?: boolean;
}

const MUST: ReadonlySet<Level> = new Set(["MUST", "MUST NOT"]);
const SHOULD: ReadonlySet<Level> = new Set(["SHOULD", "SHOULD NOT"]);

const expectationOf = (e: ExpectationEntry | undefined) =>
  e ? { reason: e.reason, ...(e.link ? { link: e.link } : {}) } : undefined;

export function judge(input: JudgeInput): Judgement {
  const exp = new ExpectationMatcher(input.expectations ?? []);
  const claimed = new Set(input.claimed);
  const byId = new Map(input.rules.map((r) => [r.id, r]));
  /** Why a rule does not apply to this implementation, if it does not. */
  const notApplicable = (rule: JudgeInput["rules"][number]): string | undefined => {
    if (!claimed.has(rule.capability)) return `capability ${rule.capability} not claimed`;
    if (rule.applies_with && !rule.applies_with.some((c) => claimed.has(c)))
      return `applies only with ${rule.applies_with.join(" or ")}, not claimed`;
    return undefined;
  };
  /** A finding on this rule fails the check: it applies, and its level is MUST (or SHOULD under --strict). */
  const fails = (id: string) => {
    const r = byId.get(id);
    return (
      r !== undefined &&
      notApplicable(r) === undefined &&
      (MUST.has(r.level) || (input.strict === true && SHOULD.has(r.level)))
    );
  };

  const checks: CheckRecord[] = input.observations.map((o) => {
    if (!o.ran) return { ...o, verdict: "skip" };
    if (o.fault) {
      const e = exp.check(o.id) ?? o.rules.map((r) => exp.rule(r)).find((x) => x !== undefined);
      return e ? { ...o, verdict: "xfail", expectation: expectationOf(e)! } : { ...o, verdict: "error" };
    }
    const failing = o.findings.flatMap((f) => f.rules.filter(fails));
    if (failing.length > 0) {
      const covering = failing.map((r) => exp.covers(o.id, r));
      if (covering.every((e) => e !== undefined))
        return { ...o, verdict: "xfail", expectation: expectationOf(covering[0])! };
      return { ...o, verdict: "fail" };
    }
    const listed = exp.check(o.id);
    return listed
      ? { ...o, verdict: "xpass", expectation: expectationOf(listed)! }
      : { ...o, verdict: "pass" };
  });

  const ran = checks.filter((c) => c.ran);
  const named = new Set(checks.flatMap((c) => [...c.rules, ...c.findings.flatMap((f) => f.rules)]));
  const rules: RuleVerdict[] = input.rules
    .filter((r) => !r.retired)
    .map((rule): RuleVerdict => {
      const base = {
        id: rule.id,
        level: rule.level,
        capability: rule.capability,
        ...(rule.basis ? { basis: rule.basis } : {}),
        ...(rule.decisions?.length ? { decisions: rule.decisions } : {}),
      };
      const mine = ran.filter(
        (c) => c.rules.includes(rule.id) || c.findings.some((f) => f.rules.includes(rule.id)),
      );
      const findings = mine.flatMap((c) =>
        c.findings.filter((f) => f.rules.includes(rule.id)).map((f) => ({ check: c.id, finding: f })),
      );
      const tally = {
        checks: mine.map((c) => c.id),
        failing: [...new Set(findings.map((f) => f.check))],
      };
      const na = notApplicable(rule);
      if (na) return { ...base, ...tally, verdict: "skip", reason: na };
      if (input.narrowed && !named.has(rule.id))
        return { ...base, ...tally, verdict: "skip", reason: "not selected in this run" };
      if (findings.length > 0) {
        const first = { check: findings[0]!.check, message: findings[0]!.finding.message };
        const covering = findings.map((f) => exp.covers(f.check, rule.id));
        if (covering.every((e) => e !== undefined))
          return { ...base, ...tally, first, verdict: "xfail", expectation: expectationOf(covering[0])! };
        return {
          ...base,
          ...tally,
          first,
          verdict:
            MUST.has(rule.level) || (input.strict === true && SHOULD.has(rule.level)) ? "fail" : "warn",
        };
      }
      if (mine.some((c) => !c.fault && c.observed.includes(rule.id))) {
        const listed = exp.rule(rule.id);
        return listed
          ? { ...base, ...tally, verdict: "xpass", expectation: expectationOf(listed)! }
          : { ...base, ...tally, verdict: "pass" };
      }
      if (mine.some((c) => c.fault))
        return { ...base, ...tally, verdict: "error", reason: "its checks were interrupted by a fault" };
      const needing = checks.filter((c) => !c.ran && c.rules.includes(rule.id));
      const reason =
        mine.length > 0
          ? mine.every((c) => c.complete)
            ? "its checks ran to their end without observing it (a gap in the suite)"
            : "its checks ran but stopped before reaching it"
          : needing.length > 0
            ? `its checks need capabilities not claimed: ${[...new Set(needing.flatMap((c) => c.capabilities.filter((x) => !claimed.has(x))))].sort().join(", ")}`
            : "no check of the suite reaches it";
      return { ...base, ...tally, verdict: "not-verified", reason };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));

  const counts: Counts = { passed: 0, failed: 0, errored: 0, skipped: 0, xfail: 0, xpass: 0 };
  for (const c of checks) {
    if (c.verdict === "pass") counts.passed++;
    else if (c.verdict === "fail") counts.failed++;
    else if (c.verdict === "error") counts.errored++;
    else if (c.verdict === "skip") counts.skipped++;
    else if (c.verdict === "xfail") counts.xfail++;
    else counts.xpass++;
  }
  const rule_counts = Object.fromEntries(RULE_VERDICTS.map((v) => [v, 0])) as Record<
    RuleVerdictValue,
    number
  >;
  for (const r of rules) rule_counts[r.verdict]++;
  const broken = rules.some((r) => r.verdict === "fail" || r.verdict === "xpass") || counts.xpass > 0;
  const outcome: RunOutcome = broken ? "does-not-conform" : counts.errored > 0 ? "inconclusive" : "conforms";
  return {
    checks,
    rules,
    counts,
    rule_counts,
    outcome,
    conforms: outcome === "conforms",
    not_verified: rules.filter((r) => r.verdict === "not-verified" && MUST.has(r.level)).map((r) => r.id),
    warnings: rules.filter((r) => r.verdict === "warn").map((r) => r.id),
  };
}

/** The headline a person reads first: the verdict, with what it leaves unverified and warned about. */
export function headline(
  j: Pick<Judgement, "outcome" | "not_verified" | "warnings" | "counts" | "rules">,
): string {
  const parts: string[] = [];
  if (j.outcome === "conforms") parts.push("conforms");
  else if (j.outcome === "does-not-conform") {
    const failing = j.rules.filter((r) => r.verdict === "fail").map((r) => r.id);
    const stale = j.rules.filter((r) => r.verdict === "xpass").length + j.counts.xpass;
    const why = [
      failing.length
        ? `${failing.length} rule${failing.length === 1 ? "" : "s"} failed (${failing.slice(0, 8).join(", ")}${failing.length > 8 ? ", …" : ""})`
        : "",
      stale
        ? `${stale} expected failure${stale === 1 ? "" : "s"} now pass (XPASS: remove them from the expectations)`
        : "",
    ].filter(Boolean);
    parts.push(`does not conform: ${why.join("; ")}`);
  }
  if (j.outcome === "inconclusive")
    parts.push(
      `inconclusive: ${j.counts.errored} check${j.counts.errored === 1 ? "" : "s"} interrupted by faults of the implementation, no rule failed`,
    );
  if (j.not_verified.length > 0)
    parts.push(
      `${j.not_verified.length} MUST rule${j.not_verified.length === 1 ? "" : "s"} not verified: ${j.not_verified.join(", ")}`,
    );
  if (j.warnings.length > 0)
    parts.push(
      `${j.warnings.length} warning${j.warnings.length === 1 ? "" : "s"} (${j.warnings.join(", ")})`,
    );
  return parts.join("; ");
}

/** The closing line CI reads; every check is counted once. */
export function summaryLine(c: Counts): string {
  const total = c.passed + c.failed + c.errored + c.skipped + c.xfail + c.xpass;
  const parts = [`${c.passed} passed`, `${c.failed} failed`, `${c.skipped} skipped`];
  if (c.errored) parts.push(`${c.errored} errored`);
  if (c.xfail) parts.push(`${c.xfail} expected failures`);
  if (c.xpass) parts.push(`${c.xpass} unexpectedly passed`);
  return `${parts.join(", ")} (${total} check${total === 1 ? "" : "s"})`;
}
