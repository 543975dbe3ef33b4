// --expect FILE: known failures of an implementation, by rule (pattern) or by check id, each with a reason
// and optionally a link. A listed failure that now passes is an "xpass" and fails the run, so the list
// cannot rot (harness/verdict.ts decides). Schema: spec/schemas/expectations.schema.json.
import { readValidated, SpecError, type SpecProblem } from "../catalog/load.ts";
import { rulePatternMatcher } from "./select.ts";

export interface ExpectationEntry {
  rule?: string;
  check?: string;
  reason: string;
  link?: string;
}

export interface Expectations {
  file: string;
  entries: ExpectationEntry[];
}

export function loadExpectations(path: string): Expectations {
  const problems: SpecProblem[] = [];
  const data = readValidated<{ expected_failures: ExpectationEntry[] }>(
    path,
    "expectations.schema.json",
    problems,
  );
  if (!data) throw new SpecError(problems);
  return { file: path, entries: data.expected_failures };
}

/** Matches (check, rule) pairs against the entries. */
export class ExpectationMatcher {
  private readonly byRule: { entry: ExpectationEntry; match: (id: string) => boolean }[];
  constructor(readonly entries: readonly ExpectationEntry[]) {
    this.byRule = entries
      .filter((e) => e.rule)
      .map((entry) => ({ entry, match: rulePatternMatcher(entry.rule!) }));
  }
  /** The entry naming this check by id. */
  check(checkId: string): ExpectationEntry | undefined {
    return this.entries.find((e) => e.check === checkId);
  }
  /** The entry naming this rule by pattern. */
  rule(ruleId: string): ExpectationEntry | undefined {
    return this.byRule.find((x) => x.match(ruleId))?.entry;
  }
  /** The entry that makes a failure of `ruleId` in `checkId` expected. */
  covers(checkId: string, ruleId: string): ExpectationEntry | undefined {
    return this.check(checkId) ?? this.rule(ruleId);
  }
}

/** Entries that match no check of the suite (a typo, or a check that no longer exists). */
export function unusedExpectations(
  exp: Expectations,
  checks: { id: string; rules: string[] }[],
): ExpectationEntry[] {
  return exp.entries.filter((e) => {
    const m = new ExpectationMatcher([e]);
    return !checks.some((c) => m.check(c.id) !== undefined || c.rules.some((r) => m.rule(r) !== undefined));
  });
}
