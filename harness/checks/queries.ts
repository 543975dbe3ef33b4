// Queries over a set of segments (seg.query), as the segment and set vectors give them: the same queries
// are sent twice, with filters used and ignored, and every answer must equal the expected one (filters
// are advisory: ATXI-FLT-003). A set the reference refuses must be refused with the same code.
import type { Adapter, Outcome } from "../../adapters/interface.ts";
import { faultOf } from "../observe.ts";
import { compareAnswer } from "../traces/replay.ts";
import { SnapshotBinding } from "../traces/snapshots.ts";
import type { QueryCase } from "../vectors/read.ts";
import type { CheckOutcome, Finding } from "./types.ts";

export async function runQueries(
  adapter: Adapter,
  segments: Uint8Array[],
  queries: QueryCase[],
  openError: { code: string } | undefined,
): Promise<CheckOutcome> {
  const findings: Finding[] = [];
  for (const useFilters of [true, false]) {
    const o = await adapter.call("seg.query", {
      segments,
      use_filters: useFilters,
      queries: queries.map((q) => q.query),
    });
    const fault = faultOf(o);
    if (fault) return { findings, fault, complete: false };
    const mode = `with filters ${useFilters ? "used" : "ignored"}`;
    if (openError) {
      if (!("error" in o && o.error.code === openError.code))
        findings.push({
          message: `the set must be refused with ${openError.code} (${mode})`,
          expected: openError.code,
          actual: "error" in o ? o.error.code : "answers",
        });
      continue;
    }
    if ("error" in o) {
      findings.push({
        message: `the set was refused with ${o.error.code}: ${o.error.message} (${mode})`,
        actual: o.error.code,
      });
      continue;
    }
    const answers = o.ok.answers;
    if (!Array.isArray(answers) || answers.length !== queries.length) {
      findings.push({
        message: `expected ${queries.length} answers, got ${Array.isArray(answers) ? answers.length : "none"} (${mode})`,
      });
      continue;
    }
    for (const [i, q] of queries.entries()) {
      const a = answers[i] as Outcome<unknown>;
      if (!q.expect) throw new Error(`query ${i} of a set that opens has no expected answer`);
      const got = compareAnswer(
        q.expect,
        "error" in a ? { error: a.error } : { ok: a.ok },
        new SnapshotBinding(),
        `query ${i} ${JSON.stringify(q.query)} (${mode})`,
      );
      findings.push(
        ...got.map((f) => ({
          ...f,
          field: `answers[${i}]${f.field && f.field !== "(value)" ? f.field : ""}`,
        })),
      );
    }
  }
  return { findings };
}
