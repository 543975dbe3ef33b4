// --expect FILE: known failures of an implementation, by rule (pattern) or by check id, each with a reason
// and optionally a link. A listed failure that now passes is an "xpass" and fails the run, so the list
// cannot rot. Schema: spec/schemas/expectations.schema.json.
import { readValidated, SpecError, type SpecProblem } from "./catalog/load.ts";
import { rulePatternMatcher } from "./run.ts";

export interface ExpectationEntry {
  rule?: string;
  check?: string;
  reason: string;
  link?: string;
}

export interface Expectations {
  file: string;
  entries: (ExpectationEntry & { matchesRule: (id: string) => boolean })[];
}

export function loadExpectations(path: string): Expectations {
  const problems: SpecProblem[] = [];
  const data = readValidated<{ expected_failures: ExpectationEntry[] }>(
    path,
    "expectations.schema.json",
    problems,
  );
  if (!data) throw new SpecError(problems);
  return {
    file: path,
    entries: data.expected_failures.map((e) => ({
      ...e,
      matchesRule: e.rule ? rulePatternMatcher(e.rule) : () => false,
    })),
  };
}

export function matchExpectation(
  exp: Expectations,
  checkId: string,
  rules: string[],
): ExpectationEntry | undefined {
  return exp.entries.find(
    (e) => (e.check !== undefined && e.check === checkId) || rules.some((r) => e.matchesRule(r)),
  );
}

/** Entries that matched no check of the run (a typo, or a check that no longer exists). */
export function unusedExpectations(
  exp: Expectations,
  checks: { id: string; rules: string[] }[],
): ExpectationEntry[] {
  return exp.entries.filter(
    (e) => !checks.some((c) => matchExpectation({ ...exp, entries: [e] }, c.id, c.rules)),
  );
}
