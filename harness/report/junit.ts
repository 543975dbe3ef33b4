// junit.xml: one test case per check, grouped in one test suite per rule (a check naming several rules
// appears under each), so CI systems show failures by rule. Built with xmlbuilder2, which escapes
// everything, control characters included.
import { create } from "xmlbuilder2";
import type { Report } from "./report.ts";
import { explain, firstMessage } from "./text.ts";

export function junitXml(r: Report): string {
  const byId = new Map(r.checks.map((c) => [c.id, c]));
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele("testsuites", {
    name: `asl-conform ${r.implementation.name} ${r.implementation.version}`,
    tests: String(r.checks.length),
    failures: String(r.counts.failed + r.counts.xpass),
    errors: String(r.counts.errored),
    skipped: String(r.counts.skipped),
  });
  for (const rule of r.rules) {
    const cases = [
      ...new Set([
        ...rule.checks,
        ...r.checks.filter((c) => !c.ran && c.rules.includes(rule.id)).map((c) => c.id),
      ]),
    ]
      .map((id) => byId.get(id))
      .filter((c) => c !== undefined);
    if (cases.length === 0) continue;
    const failing = new Set(rule.failing);
    const suite = root.ele("testsuite", {
      name: `${rule.id} (${rule.level}, ${rule.capability}): ${rule.verdict}`,
      tests: String(cases.length),
      failures: String(cases.filter((c) => failing.has(c.id) && rule.verdict === "fail").length),
      errors: String(cases.filter((c) => c.verdict === "error").length),
      skipped: String(cases.filter((c) => c.verdict === "skip" || c.verdict === "xfail").length),
    });
    for (const c of cases) {
      const tc = suite.ele("testcase", {
        classname: rule.id,
        name: `${c.id}: ${c.title}`,
        time: (c.duration_ms / 1000).toFixed(3),
      });
      const details = explain(c).join("\n");
      if (c.verdict === "error") tc.ele("error", { message: firstMessage(c) }).txt(details);
      else if (failing.has(c.id) && rule.verdict === "fail")
        tc.ele("failure", { message: firstMessage(c) }).txt(details);
      else if (c.verdict === "xpass")
        tc.ele("failure", {
          message: `expected to fail (${c.expectation?.reason}) but passed: remove it from the expectations`,
        });
      else if (c.verdict === "skip") tc.ele("skipped", { message: c.skip_reason ?? "skipped" });
      else if (c.verdict === "xfail")
        tc.ele("skipped", { message: `expected failure: ${c.expectation?.reason}` });
      else if (failing.has(c.id)) tc.ele("system-out").txt(`warning: ${details}`);
    }
  }
  return root.end({ prettyPrint: true });
}
