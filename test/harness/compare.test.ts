// `asl-conform compare BASE HEAD`: every class from hand-made reports judged by harness/verdict.ts, then
// real runs: the reference against a mutant that breaks ATXI-SHD-001 (NEW_FAIL, exit 1; FIXED the other
// way, exit 0), a report against itself (nothing listed), and a run that crashed once (INCONCLUSIVE).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Capability } from "../../adapters/interface.ts";
import { REPO_ROOT } from "../../catalog/load.ts";
import type { Fault } from "../../harness/checks/types.ts";
import type { ExpectationEntry } from "../../harness/expectations.ts";
import {
  type CompareEntry,
  classify,
  compareMarkdown,
  comparePair,
  compareRuns,
  compareText,
  type PairComparison,
} from "../../harness/report/compare.ts";
import { REPORT_SCHEMA, type Report, type ReportSelection } from "../../harness/report/report.ts";
import { type CheckObservation, headline, judge } from "../../harness/verdict.ts";
import { type CliResult, cli } from "../helpers/cli.ts";

// ---- Hand-made reports, judged by the real judge so their verdicts are ones a run could give.

const RULES = [
  { id: "ATXI-SHD-001", level: "MUST", capability: "sharding" },
  { id: "ATXI-SHD-002", level: "MUST", capability: "sharding" },
  { id: "ATXI-ENC-001", level: "MUST", capability: "segment-encode" },
  { id: "ATXI-HDR-004", level: "SHOULD", capability: "sharding" },
] as const;

interface Obs {
  id: string;
  rules?: string[];
  caps?: Capability[];
  /** "pass", "fail" (a finding on every rule), "fault", "skip", or "warn" (a finding on the SHOULD rule). */
  as: "pass" | "fail" | "fault" | "skip" | "warn";
  message?: string;
}

function observation(o: Obs): CheckObservation {
  const rules = o.rules ?? ["ATXI-SHD-001"];
  const fault: Fault | undefined =
    o.as === "fault" ? { code: "PROTO_TIMEOUT", message: "no answer in 10000 ms\nmore" } : undefined;
  const findingRules = o.as === "warn" ? ["ATXI-HDR-004"] : rules;
  return {
    id: o.id,
    title: o.id,
    kind: "vector",
    rules: o.as === "warn" ? [...rules, "ATXI-HDR-004"] : rules,
    capabilities: o.caps ?? ["sharding"],
    ran: o.as !== "skip",
    ...(o.as === "skip" ? { skip_reason: "needs segment-encode, not claimed" } : {}),
    duration_ms: 1,
    findings:
      o.as === "fail" || o.as === "warn"
        ? [{ rules: findingRules, message: `${o.message ?? "the answer differs at .shard"}\nsecond line` }]
        : [],
    ...(fault ? { fault } : {}),
    observed:
      o.as === "fault" || o.as === "skip" ? [] : [...rules, ...(o.as === "warn" ? ["ATXI-HDR-004"] : [])],
    complete: true,
    notes: [],
  };
}

function report(
  checks: Obs[],
  opts: {
    name?: string;
    seed?: number;
    runs?: number;
    contract?: string;
    strict?: boolean;
    expectations?: ExpectationEntry[];
    selection?: Partial<ReportSelection>;
    claimed?: Capability[];
    duration?: number;
  } = {},
): Report {
  const selection: ReportSelection = {
    rules: null,
    capabilities: null,
    checks: null,
    shards: ["1/1"],
    ...opts.selection,
  };
  const claimed = opts.claimed ?? ["sharding", "segment-decode"];
  const j = judge({
    observations: checks.map(observation),
    rules: RULES.map((r) => ({ ...r })),
    claimed,
    narrowed: selection.rules !== null || selection.capabilities !== null || selection.checks !== null,
    expectations: opts.expectations ?? [],
    strict: opts.strict ?? false,
  });
  return {
    schema: REPORT_SCHEMA,
    tool: { name: "asl-conform", version: "0.2.0" },
    contract: { version: opts.contract ?? "1.0", source: "built-in" },
    protocol: "asl-conform/1",
    profile: "asl-conformance-profile-1",
    spec_digest: "0".repeat(64),
    implementation: { name: opts.name ?? "impl", version: "1.0", language: "rust" },
    capabilities: claimed,
    seed: opts.seed ?? 1,
    runs: opts.runs ?? 40,
    strict: opts.strict ?? false,
    selection,
    expectations: opts.expectations ?? [],
    outcome: j.outcome,
    conforms: j.conforms,
    headline: headline(j),
    counts: j.counts,
    rule_counts: j.rule_counts,
    not_verified: j.not_verified,
    warnings: j.warnings,
    vectors: { expected: checks.length, ran: checks.length },
    duration_ms: opts.duration ?? 5,
    rules: j.rules,
    checks: j.checks,
  };
}

const pair = (b: Report, h: Report) =>
  comparePair({ file: "base.json", report: b }, { file: "head.json", report: h });
const entry = (es: CompareEntry[], id: string) => es.find((e) => e.id === id);
const classOf = (p: PairComparison, id: string) => entry([...p.checks, ...p.rules], id)?.class;

describe("compare: the classes", () => {
  it("the table of states: presence first, a fault on either side inconclusive, a failure in HEAD new unless it failed in BASE", () => {
    expect(classify(undefined, "fail")).toBe("NEW_CHECK");
    expect(classify("fail", undefined)).toBe("REMOVED");
    expect(classify("pass", "fail")).toBe("NEW_FAIL");
    expect(classify("unobserved", "fail")).toBe("NEW_FAIL");
    expect(classify("warn", "fail")).toBe("NEW_FAIL");
    expect(classify("fail", "fail")).toBe("STILL_FAIL");
    expect(classify("fail", "pass")).toBe("FIXED");
    expect(classify("warn", "pass")).toBe("FIXED");
    for (const [b, h] of [
      ["pass", "error"],
      ["error", "fail"],
      ["fail", "error"],
      ["error", "error"],
      ["fail", "unobserved"],
    ] as const)
      expect(classify(b, h), `${b} -> ${h}`).toBe("INCONCLUSIVE");
    expect(classify("pass", "warn")).toBe("NEW_WARN");
    expect(classify("fail", "warn")).toBe("NEW_WARN");
    expect(classify("warn", "warn")).toBe("STILL_WARN");
    expect(classify("pass", "pass")).toBe("PASS");
    expect(classify("pass", "unobserved")).toBe("SKIP");
    expect(classify("unobserved", "pass")).toBe("SKIP");
    expect(classify("warn", "unobserved")).toBe("SKIP");
  });

  it("NEW_FAIL: passed in BASE, fails in HEAD; the check names its rules and HEAD's first message line", () => {
    const p = pair(
      report([{ id: "vec/a", as: "pass" }]),
      report([{ id: "vec/a", as: "fail", message: "item 3: the answer differs at .shard" }]),
    );
    expect(entry(p.checks, "vec/a")).toEqual({
      kind: "check",
      id: "vec/a",
      class: "NEW_FAIL",
      base: "pass",
      head: "fail",
      rules: ["ATXI-SHD-001"],
      message: "item 3: the answer differs at .shard",
    });
    expect(entry(p.rules, "ATXI-SHD-001")).toMatchObject({
      class: "NEW_FAIL",
      level: "MUST",
      base: "pass",
      head: "fail",
      message: "vec/a: item 3: the answer differs at .shard",
    });
    expect(
      compareRuns(
        [{ file: "b", report: report([{ id: "vec/a", as: "pass" }]) }],
        [{ file: "h", report: report([{ id: "vec/a", as: "fail" }]) }],
      ).new_failures,
    ).toBe(2);
  });

  it("FIXED (with BASE's message), STILL_FAIL, and unchanged passes counted but not listed", () => {
    const p = pair(
      report([
        { id: "vec/fixed", as: "fail", rules: ["ATXI-SHD-002"], message: "was wrong" },
        { id: "vec/still", as: "fail" },
        { id: "vec/same", as: "pass" },
      ]),
      report([
        { id: "vec/fixed", as: "pass", rules: ["ATXI-SHD-002"] },
        { id: "vec/still", as: "fail" },
        { id: "vec/same", as: "pass" },
      ]),
    );
    expect(entry(p.checks, "vec/fixed")).toMatchObject({ class: "FIXED", message: "BASE: was wrong" });
    expect(classOf(p, "ATXI-SHD-002")).toBe("FIXED");
    expect(classOf(p, "vec/still")).toBe("STILL_FAIL");
    expect(classOf(p, "ATXI-SHD-001")).toBe("STILL_FAIL");
    expect(entry(p.checks, "vec/same")).toBeUndefined();
    expect(p.counts.checks).toMatchObject({ FIXED: 1, STILL_FAIL: 1, PASS: 1, NEW_FAIL: 0 });
  });

  it("NEW_CHECK and REMOVED: only on one side (a failing new check is listed with its message; the existing rule it now fails is NEW_FAIL)", () => {
    const p = pair(
      report([
        { id: "vec/old", as: "pass", rules: ["ATXI-SHD-002"] },
        { id: "vec/kept", as: "pass" },
      ]),
      report([
        { id: "vec/kept", as: "pass" },
        { id: "vec/new", as: "fail", message: "a new check catches it" },
      ]),
    );
    expect(entry(p.checks, "vec/new")).toMatchObject({
      class: "NEW_CHECK",
      base: "absent",
      head: "fail",
      message: "a new check catches it",
    });
    expect(entry(p.checks, "vec/old")).toMatchObject({ class: "REMOVED", base: "pass", head: "absent" });
    expect(classOf(p, "ATXI-SHD-001")).toBe("NEW_FAIL");
    expect(p.counts.checks.NEW_FAIL).toBe(0);
  });

  it("INCONCLUSIVE: a fault or timeout on either side is never a regression nor a fix; a BASE failure HEAD did not run is not a fix", () => {
    const p = pair(
      report(
        [
          { id: "vec/1", as: "pass" },
          { id: "vec/2", as: "fault", rules: ["ATXI-SHD-002"] },
          { id: "vec/3", as: "fail", rules: ["ATXI-SHD-002"] },
          { id: "vec/4", as: "fail", rules: ["ATXI-ENC-001"], caps: ["segment-encode"] },
        ],
        { claimed: ["sharding", "segment-encode"] },
      ),
      report([
        { id: "vec/1", as: "fault" },
        { id: "vec/2", as: "fail", rules: ["ATXI-SHD-002"] },
        { id: "vec/3", as: "fault", rules: ["ATXI-SHD-002"] },
        { id: "vec/4", as: "skip", rules: ["ATXI-ENC-001"], caps: ["segment-encode"] },
      ]),
    );
    expect(entry(p.checks, "vec/1")).toMatchObject({
      class: "INCONCLUSIVE",
      base: "pass",
      head: "error",
      message: "HEAD fault PROTO_TIMEOUT: no answer in 10000 ms",
    });
    expect(entry(p.checks, "vec/2")).toMatchObject({ class: "INCONCLUSIVE", base: "error", head: "fail" });
    expect(entry(p.checks, "vec/3")).toMatchObject({ class: "INCONCLUSIVE", base: "fail", head: "error" });
    expect(entry(p.checks, "vec/4")).toMatchObject({
      class: "INCONCLUSIVE",
      base: "fail",
      head: "skip",
      message:
        "failed in BASE (the answer differs at .shard); not run in HEAD: needs segment-encode, not claimed",
    });
    expect(entry(p.rules, "ATXI-ENC-001")).toMatchObject({
      class: "INCONCLUSIVE",
      base: "fail",
      head: "skip",
    });
    expect(p.counts.checks.NEW_FAIL).toBe(0);
    // A rule whose only check faulted in HEAD is error there: inconclusive too.
    const q = pair(report([{ id: "vec/1", as: "pass" }]), report([{ id: "vec/1", as: "fault" }]));
    expect(classOf(q, "ATXI-SHD-001")).toBe("INCONCLUSIVE");
    expect(q.counts.rules.NEW_FAIL + q.counts.checks.NEW_FAIL).toBe(0);
  });

  it("skips: a check now run that fails is NEW_FAIL (it was in BASE's suite); skip and not-verified otherwise count as SKIP", () => {
    const enc = { rules: ["ATXI-ENC-001"], caps: ["segment-encode"] as Capability[] };
    const p = pair(
      report([
        { id: "vec/enc", as: "skip", ...enc },
        { id: "vec/shd", as: "pass" },
      ]),
      report(
        [
          { id: "vec/enc", as: "fail", ...enc },
          { id: "vec/shd", as: "skip" },
        ],
        { claimed: ["segment-encode", "segment-decode"] },
      ),
    );
    expect(entry(p.checks, "vec/enc")).toMatchObject({ class: "NEW_FAIL", base: "skip", head: "fail" });
    expect(classOf(p, "ATXI-ENC-001")).toBe("NEW_FAIL");
    expect(entry(p.checks, "vec/shd")).toBeUndefined();
    expect(p.counts.checks.SKIP).toBe(1);
    expect(p.counts.rules.SKIP).toBeGreaterThan(0);
  });

  it("not verified: a MUST rule BASE verified and HEAD no longer reaches is SKIP, with a note on the lost coverage", () => {
    // HEAD's only check of ATXI-SHD-002 was dropped: the rule of a claimed capability is not verified.
    const p = pair(
      report([
        { id: "vec/a", as: "pass" },
        { id: "vec/b", as: "pass", rules: ["ATXI-SHD-002"] },
      ]),
      report([{ id: "vec/a", as: "pass" }]),
    );
    const hr = p.rules.find((r) => r.id === "ATXI-SHD-002");
    expect(hr).toBeUndefined();
    expect(p.counts.rules.SKIP).toBeGreaterThan(0);
    expect(p.notes).toContain(
      "1 MUST rule BASE verified is not verified in HEAD (ATXI-SHD-002): less coverage, not a failure",
    );
  });

  it("expectations hide nothing: pass -> xfail is NEW_FAIL, xfail -> xfail STILL_FAIL, fail -> xpass FIXED, pass -> xpass unchanged", () => {
    const exp: ExpectationEntry[] = [
      { check: "vec/now-expected", reason: "known" },
      { check: "vec/still-expected", reason: "known" },
      { check: "vec/fixed", reason: "known" },
      { check: "vec/was-fine", reason: "stale" },
    ];
    const p = pair(
      report(
        [
          { id: "vec/now-expected", as: "pass" },
          { id: "vec/still-expected", as: "fail" },
          { id: "vec/fixed", as: "fail" },
          { id: "vec/was-fine", as: "pass" },
        ],
        { expectations: [{ check: "vec/still-expected", reason: "known" }] },
      ),
      report(
        [
          { id: "vec/now-expected", as: "fail" },
          { id: "vec/still-expected", as: "fail" },
          { id: "vec/fixed", as: "pass" },
          { id: "vec/was-fine", as: "pass" },
        ],
        { expectations: exp },
      ),
    );
    expect(entry(p.checks, "vec/now-expected")).toMatchObject({
      class: "NEW_FAIL",
      base: "pass",
      head: "xfail",
    });
    expect(entry(p.checks, "vec/still-expected")).toMatchObject({
      class: "STILL_FAIL",
      base: "xfail",
      head: "xfail",
    });
    expect(entry(p.checks, "vec/fixed")).toMatchObject({ class: "FIXED", base: "fail", head: "xpass" });
    expect(entry(p.checks, "vec/was-fine")).toBeUndefined();
    expect(p.notes.some((n) => n.startsWith("the expectations (--expect) differ"))).toBe(true);
  });

  it("SHOULD warnings: NEW_WARN (never a new failure), FIXED when gone, STILL_WARN counted; --strict on one side is a note", () => {
    const p = pair(
      report([
        { id: "vec/a", as: "pass" },
        { id: "vec/b", as: "pass", rules: ["ATXI-SHD-002"] },
      ]),
      report([
        { id: "vec/a", as: "warn" },
        { id: "vec/b", as: "pass", rules: ["ATXI-SHD-002"] },
      ]),
    );
    expect(entry(p.rules, "ATXI-HDR-004")).toMatchObject({
      class: "NEW_WARN",
      base: "not-verified",
      head: "warn",
    });
    expect(entry(p.checks, "vec/a")).toBeUndefined(); // a check with only a warning passes
    expect(p.counts.rules.NEW_FAIL + p.counts.checks.NEW_FAIL).toBe(0);
    const back = pair(
      report([{ id: "vec/a", as: "warn" }]),
      report([{ id: "vec/a", as: "pass", rules: ["ATXI-SHD-001", "ATXI-HDR-004"] }]),
    );
    expect(classOf(back, "ATXI-HDR-004")).toBe("FIXED");
    const same = pair(report([{ id: "vec/a", as: "warn" }]), report([{ id: "vec/a", as: "warn" }]));
    expect(same.counts.rules.STILL_WARN).toBe(1);
    expect([...same.checks, ...same.rules]).toEqual([]);
    const strict = pair(
      report([{ id: "vec/a", as: "warn" }]),
      report([{ id: "vec/a", as: "warn" }], { strict: true }),
    );
    expect(classOf(strict, "ATXI-HDR-004")).toBe("NEW_FAIL");
    expect(strict.notes).toContain(
      "HEAD was run with --strict and the other was not: a SHOULD finding fails one and warns in the other",
    );
    const relaxed = pair(
      report([{ id: "vec/a", as: "warn" }], { strict: true }),
      report([{ id: "vec/a", as: "warn" }]),
    );
    expect(classOf(relaxed, "ATXI-HDR-004")).toBe("NEW_WARN");
  });

  it("a check renamed between releases (spec/ids-ledger.json) is matched, not REMOVED + NEW_CHECK, both ways", () => {
    const old = report([{ id: "vec/seg-0001/decode", as: "pass" }]);
    const now = report([{ id: "vec/seg/empty/decode", as: "fail" }]);
    const p = pair(old, now);
    expect(p.checks).toEqual([
      expect.objectContaining({
        id: "vec/seg/empty/decode",
        old_id: "vec/seg-0001/decode",
        class: "NEW_FAIL",
      }),
    ]);
    expect(p.renamed).toEqual([{ from: "vec/seg-0001/decode", to: "vec/seg/empty/decode" }]);
    expect(p.notes.some((n) => n.includes("renamed between the runs"))).toBe(true);
    const back = pair(now, old);
    expect(back.checks).toEqual([
      expect.objectContaining({ id: "vec/seg/empty/decode", old_id: "vec/seg-0001/decode", class: "FIXED" }),
    ]);
    expect(compareText(compareRuns([{ file: "b", report: old }], [{ file: "h", report: now }]))).toContain(
      "check vec/seg/empty/decode (was vec/seg-0001/decode) [ATXI-SHD-001]  pass -> fail",
    );
  });

  it("a check one side's selection left out is not observed there, not new or removed", () => {
    const enc = { rules: ["ATXI-ENC-001"], caps: ["segment-encode"] as Capability[] };
    const claimed: Capability[] = ["sharding", "segment-encode"];
    const narrow = report([{ id: "vec/shd", as: "pass" }], {
      claimed,
      selection: { capabilities: ["sharding"] },
    });
    const whole = report(
      [
        { id: "vec/shd", as: "pass" },
        { id: "vec/enc", as: "pass", ...enc },
        { id: "vec/shd-2", as: "pass", rules: ["ATXI-SHD-002"] },
      ],
      { claimed },
    );
    const p = pair(narrow, whole);
    expect(entry(p.checks, "vec/enc")).toBeUndefined();
    expect(p.counts.checks.SKIP).toBe(1);
    // BASE's selection would have taken vec/shd-2: it is new in HEAD.
    expect(entry(p.checks, "vec/shd-2")).toMatchObject({ class: "NEW_CHECK", base: "absent" });
    expect(p.notes).toContain(
      "the selections differ (BASE --capabilities sharding, HEAD the whole suite): what one side did not select is not observed there",
    );
    const reverse = pair(
      whole,
      report([{ id: "vec/shd", as: "fail" }], { claimed, selection: { capabilities: ["sharding"] } }),
    );
    expect(entry(reverse.checks, "vec/enc")).toBeUndefined();
    expect(entry(reverse.checks, "vec/shd-2")).toMatchObject({ class: "REMOVED" });
    expect(entry(reverse.checks, "vec/shd")).toMatchObject({ class: "NEW_FAIL" });
  });

  it("different contract versions, seeds and run counts: compared anyway, each said in a note", () => {
    const p = pair(
      report([{ id: "vec/a", as: "pass" }], { contract: "1.0", seed: 1, runs: 40 }),
      report([{ id: "vec/a", as: "pass" }], { contract: "1.1", seed: 2, runs: 500 }),
    );
    expect(p.notes).toEqual([
      "contract versions differ (BASE 1.0, HEAD 1.1): the suites differ; checks and rules of one side only are NEW_CHECK or REMOVED",
      "seeds differ (BASE 1, HEAD 2): the properties drew different inputs; a property's change may come from its inputs",
      "run counts differ (BASE 40, HEAD 500): the properties tried different numbers of inputs; a property's change may come from that",
    ]);
    expect(
      compareText(
        compareRuns([{ file: "b", report: report([]) }], [{ file: "h", report: report([], { seed: 9 }) }]),
      ),
    ).toMatch(/^note: seeds differ/m);
  });

  it("sets of runs are matched by implementation name; one side only is listed as such; output is sorted and has no timestamps", () => {
    const a1 = report(
      [
        { id: "vec/b", as: "pass" },
        { id: "vec/a", as: "pass" },
      ],
      { name: "alpha", duration: 1 },
    );
    const a2 = report(
      [
        { id: "vec/a", as: "fail" },
        { id: "vec/b", as: "fail" },
      ],
      { name: "alpha", duration: 99 },
    );
    const z1 = report([{ id: "vec/a", as: "pass" }], { name: "zeta" });
    const z2 = report([{ id: "vec/a", as: "pass" }], { name: "zeta" });
    const gone = report([], { name: "gone" });
    const fresh = report([], { name: "fresh" });
    const cmp = compareRuns(
      [
        { file: "b/zeta/report.json", report: z1 },
        { file: "b/gone/report.json", report: gone },
        { file: "b/alpha/report.json", report: a1 },
      ],
      [
        { file: "h/fresh/report.json", report: fresh },
        { file: "h/alpha/report.json", report: a2 },
        { file: "h/zeta/report.json", report: z2 },
      ],
    );
    expect(cmp.pairs.map((p) => p.implementation)).toEqual(["alpha", "zeta"]);
    expect(cmp.only_in_base.map((s) => s.implementation.name)).toEqual(["gone"]);
    expect(cmp.only_in_head.map((s) => s.implementation.name)).toEqual(["fresh"]);
    expect(cmp.pairs[0]!.checks.map((e) => e.id)).toEqual(["vec/a", "vec/b"]);
    expect(cmp.new_failures).toBe(3);
    const text = compareText(cmp);
    expect(text).toMatch(/^== alpha$/m);
    expect(text).toContain("only in BASE: b/gone/report.json: gone 1.0 (rust)");
    expect(text).toContain("only in HEAD: h/fresh/report.json: fresh 1.0 (rust)");
    expect(text).not.toMatch(/duration|\d{4}-\d\d-\d\dT/);
    // The same runs given in another order, with other durations: the same bytes.
    const again = compareRuns(
      [
        { file: "b/alpha/report.json", report: { ...a1, duration_ms: 7 } },
        { file: "b/gone/report.json", report: gone },
        { file: "b/zeta/report.json", report: z1 },
      ],
      [
        { file: "h/zeta/report.json", report: z2 },
        { file: "h/alpha/report.json", report: { ...a2, checks: [...a2.checks].reverse() } },
        { file: "h/fresh/report.json", report: fresh },
      ],
    );
    expect(compareText(again)).toBe(text);
    expect(JSON.stringify(again)).toBe(JSON.stringify(cmp));
  });

  it("text lists NEW_FAIL first; Markdown has a summary table of counts, then details, long lists folded", () => {
    const n = 12;
    const ids = Array.from({ length: n }, (_, i) => `vec/k${String(i).padStart(2, "0")}`);
    const cmp = compareRuns(
      [
        {
          file: "b.json",
          report: report([...ids.map((id) => ({ id, as: "pass" as const })), { id: "vec/z", as: "fail" }]),
        },
      ],
      [
        {
          file: "h.json",
          report: report([...ids.map((id) => ({ id, as: "fail" as const })), { id: "vec/z", as: "pass" }]),
        },
      ],
    );
    const text = compareText(cmp);
    const at = (s: string) => text.indexOf(s);
    expect(at("NEW_FAIL: 12 checks, 0 rules")).toBeGreaterThan(0);
    expect(at("NEW_FAIL: 12 checks, 0 rules")).toBeLessThan(at("FIXED: 1 check"));
    expect(text).toContain("  check vec/k00 [ATXI-SHD-001]  pass -> fail  the answer differs at .shard");
    expect(text).not.toContain("second line");
    expect(text.trimEnd().split("\n").at(-1)).toBe("compare: 12 new failures (NEW_FAIL above)");
    const md = compareMarkdown(cmp);
    expect(md).toMatch(/^## asl-conform compare/);
    expect(md).toContain(
      "| class | checks | rules |\n|---|---|---|\n| NEW_FAIL | 12 | 0 |\n| FIXED | 1 | 0 |",
    );
    expect(md).toContain("<details><summary>NEW_FAIL: 12 checks</summary>");
    expect(md).toContain("| `vec/k00` | pass → fail | ATXI-SHD-001 | the answer differs at .shard |");
    expect(md).toContain("**FIXED: 1 check**");
    expect(md.indexOf("| class |")).toBeLessThan(md.indexOf("<details>"));
  });
});

// ---- The command, on real runs.

function cliAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(REPO_ROOT, "bin/asl-conform.js"), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, FORCE_COLOR: "0", ...env },
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => {
      stdout += d;
    });
    p.stderr.on("data", (d) => {
      stderr += d;
    });
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("asl-conform compare on real runs", () => {
  const dir = mkdtempSync(join(tmpdir(), "asl-compare-"));
  const ref = join(dir, "ref");
  const mutant = join(dir, "mutant");
  const crashed = join(dir, "crashed");
  const refReport = join(ref, "report.json");
  const mutantReport = join(mutant, "report.json");
  const SEL = ["--capabilities", "sharding", "--quiet"];

  beforeAll(async () => {
    // The three runs are independent: side by side, the slowest sets the time (about 10 s).
    const runs = await Promise.all([
      cliAsync(["run", ...SEL, "--report-dir", ref]),
      cliAsync(["run", "--mutant", "blind-shard-mix-mod-n", ...SEL, "--report-dir", mutant]),
      cliAsync(
        [
          "run",
          "--adapter-cmd",
          "node adapters/misbehaving/proxy.js crash 3 -- node bin/asl-conform.js serve",
          ...SEL,
          "--report-dir",
          crashed,
        ],
        { ASL_MISBEHAVE_ONCE: join(dir, "once") },
      ),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 1, 2]);
  }, 120_000);

  it("reference -> mutant: exit 1, naming each new failure (checks and the rule)", () => {
    const r = cli(["compare", refReport, mutantReport]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^NEW_FAIL: \d+ checks, 1 rule$/m);
    expect(r.stdout).toMatch(
      /^ {2}check vec\/batch\/sharding \[ATXI-SHD-001\] {2}pass -> fail {2}item \d+ \(shard\.assign, .*\): the answer differs at \.shard$/m,
    );
    expect(r.stdout).toMatch(/^ {2}rule ATXI-SHD-001 \(MUST\) {2}pass -> fail {2}vec\/batch\/sharding: /m);
    const failing = JSON.parse(readFileSync(mutantReport, "utf8")).checks.filter(
      (c: { verdict: string }) => c.verdict === "fail",
    );
    for (const c of failing) expect(r.stdout).toContain(`check ${c.id} [`);
    expect(r.stdout).toContain(`compare: ${failing.length + 1} new failures (NEW_FAIL above)`);
    const json = JSON.parse(cli(["compare", refReport, mutantReport, "--json"]).stdout);
    expect(json.new_failures).toBe(failing.length + 1);
    expect(json.pairs[0].counts.checks.NEW_FAIL).toBe(failing.length);
  });

  it("mutant -> reference: the same checks FIXED, exit 0", () => {
    const r = cli(["compare", mutantReport, refReport]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^FIXED: \d+ checks, 1 rule$/m);
    // (a note may name the class: the reference claims durability, which a shard mutant does not)
    expect(r.stdout).not.toMatch(/^NEW_FAIL/m);
    expect(r.stdout).not.toMatch(/NEW_FAIL: \d/);
    expect(r.stdout).toMatch(/^compare: no new failures$/m);
  });

  it("a report against itself lists nothing, exit 0", () => {
    const r = cli(["compare", refReport, refReport]);
    expect(r.code).toBe(0);
    for (const cls of ["NEW_FAIL", "NEW_WARN", "INCONCLUSIVE", "FIXED", "STILL_FAIL", "NEW_CHECK", "REMOVED"])
      expect(r.stdout).not.toContain(cls);
    expect(r.stdout).toMatch(/^checks: \d+ PASS \(\d+\)$/m);
    expect(r.stdout).not.toContain("note:");
  });

  it("a run that crashed once against the reference's report: INCONCLUSIVE, not NEW_FAIL, exit 0", () => {
    const r = cli(["compare", refReport, join(crashed, "report.json")]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^INCONCLUSIVE: 1 check, 0 rules$/m);
    expect(r.stdout).toMatch(/^ {2}check \S+ \[ATXI-SHD-001\] {2}pass -> error {2}HEAD fault PROTO_CRASH: /m);
    expect(r.stdout).not.toContain("NEW_FAIL");
  });

  it("folders: reports found recursively and matched by implementation name; Markdown for a pull request", () => {
    const base = join(dir, "base");
    const head = join(dir, "head");
    for (const [d, from] of [
      [join(base, "x", "reference"), refReport],
      [join(base, "mutant"), mutantReport],
      [join(head, "reference"), mutantReport],
      [join(head, "y", "mutant"), mutantReport],
    ] as const) {
      mkdirSync(d, { recursive: true });
      const rep = JSON.parse(readFileSync(from, "utf8"));
      if (d.endsWith("reference")) rep.implementation.name = "asl-conformance-reference";
      writeFileSync(join(d, "report.json"), JSON.stringify(rep));
    }
    const r = cli(["compare", base, head, "--markdown"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^### asl-conformance-reference$/m);
    expect(r.stdout).toMatch(/^### mutant:blind-shard-mix-mod-n$/m);
    expect(r.stdout).toMatch(/^\| NEW_FAIL \| \d+ \| 1 \|$/m);
    expect(r.stdout).toMatch(/^\| STILL_FAIL \| \d+ \| 1 \|$/m);
    expect(r.stdout).toContain("<details><summary>NEW_FAIL:");
  });

  it("cannot run (exit 2, one line naming the file): not JSON, another report format, a schema violation, nothing to compare", () => {
    const bad = join(dir, "bad");
    mkdirSync(bad, { recursive: true });
    const rep = JSON.parse(readFileSync(refReport, "utf8"));
    writeFileSync(join(bad, "cut.json"), "{");
    writeFileSync(join(bad, "old.json"), JSON.stringify({ ...rep, schema: "asl-conformance/report/2" }));
    writeFileSync(join(bad, "enum.json"), JSON.stringify({ ...rep, outcome: "fine" }));
    const cases: [string, RegExp][] = [
      ["cut.json", /cut\.json: not JSON/],
      ["old.json", /old\.json: not a report\.json this version reads \(schema "asl-conformance\/report\/2"/],
      [
        "enum.json",
        /enum\.json: breaks spec\/schemas\/report\.schema\.json at \/outcome: must be equal to one of/,
      ],
      ["missing.json", /cannot read HEAD .*missing\.json: no such file or folder/],
    ];
    for (const [f, re] of cases) {
      const r = cli(["compare", refReport, join(bad, f)]);
      expect(r.code, f).toBe(2);
      expect(r.stderr.trim().split("\n"), f).toHaveLength(1);
      expect(r.stderr, f).toMatch(re);
    }
    const none = cli(["compare", ref, mutant]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no implementation is in both BASE \(asl-conformance-reference\) and HEAD/);
  });
});
