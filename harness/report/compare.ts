// `asl-conform compare BASE HEAD`: what changed between two runs (wpt.fyi's run comparison, the asked-for
// `bowtie diff`). Pure functions over judged reports: harness/verdict.ts made every verdict read here, and
// cli/compare.ts reads and validates the files (the ids ledger is read here, once). A check or rule has a
// state on each side: pass (pass, xpass), fail (fail, xfail), warn (a finding on a SHOULD or MAY rule),
// error (a fault or a timeout), or not observed (skip, not-verified, or left out by that side's selection);
// the pair of states gives its class (`classify`):
//
// - Presence first: only in HEAD is NEW_CHECK, only in BASE is REMOVED, whatever the verdict (a failing new
//   check is listed with its message). A check renamed between releases is one check: the old id is matched
//   to the new one, either way round, through spec/ids-ledger.json (resolveCheckIds). A check one side has
//   no record of because its selection (--rules, --capabilities, --check, --shard) left it out is not
//   observed there, neither new nor removed.
// - INCONCLUSIVE: a fault on either side (a fault or a timeout is never a regression, never a fix), or a
//   failure in BASE that HEAD did not observe (whether it is fixed is unknown).
// - NEW_FAIL: fails in HEAD and, in BASE, passed, warned or was not observed (a check now run because a
//   capability is now claimed fails HEAD's run as a regression does). STILL_FAIL: fails on both. FIXED:
//   failed or warned in BASE, passes in HEAD. A new check that fails is NEW_CHECK, but the existing rule it
//   makes fail is NEW_FAIL: exit 1 exactly when something BASE had, and did not fail, fails in HEAD.
// - Expectations (--expect) hide nothing: xfail is a failure, xpass a pass, and both verdicts are shown
//   (pass -> xfail). The two runs may have had different lists; a comparison that honoured them would let a
//   regression through for one added line, and catching that is what a regression gate is for.
// - SHOULD warnings are not failures, as in a run: NEW_WARN when a rule warns in HEAD and did not in BASE
//   (a failure turned warning too, BASE having run --strict), never exit 1; gone, the rule is FIXED.
// - Counted, not listed: PASS, SKIP (not observed on a side, failing on neither) and STILL_WARN.
// - Different contract or tool versions, seeds, run counts, claims, --strict, selections or expectations:
//   compared anyway, each said in a note line.
import { resolveCheckIds } from "../../catalog/ledger.ts";
import type { Level } from "../../catalog/load.ts";
import { rulePatternMatcher } from "../select.ts";
import type { CheckRecord, RuleVerdict, RunOutcome } from "../verdict.ts";
import type { Report, ReportSelection } from "./report.ts";
import { firstMessage } from "./text.ts";

export const COMPARE_SCHEMA = "asl-conformance/compare/1";

/** The classes, in the order they are printed; the last three are counted, never listed. */
export const CLASSES = [
  "NEW_FAIL",
  "NEW_WARN",
  "INCONCLUSIVE",
  "FIXED",
  "STILL_FAIL",
  "NEW_CHECK",
  "REMOVED",
  "STILL_WARN",
  "PASS",
  "SKIP",
] as const;
export type CompareClass = (typeof CLASSES)[number];
export const LISTED: readonly CompareClass[] = CLASSES.slice(0, 7);

/** What a check or rule was on one side of the comparison. */
export type CompareState = "pass" | "fail" | "warn" | "error" | "unobserved";

export interface CompareEntry {
  kind: "check" | "rule";
  /** The id in HEAD (in BASE for REMOVED); a renamed check has its newer id. */
  id: string;
  /** The check's other id, when it was renamed between the two runs (spec/ids-ledger.json). */
  old_id?: string;
  class: CompareClass;
  /** The verdict on each side ("absent", "not selected" when a side has no record of it). */
  base: string;
  head: string;
  /** A check: the rules its findings name (else the rules it checks). A rule: its level. */
  rules?: string[];
  level?: Level;
  /** The first line of why it did not pass: HEAD's, or BASE's when HEAD has nothing to say. */
  message?: string;
}

export type ClassCounts = Record<CompareClass, number>;

export interface RunSide {
  file: string;
  implementation: Report["implementation"];
  outcome: RunOutcome;
  contract: string;
  tool: string;
  seed: number;
  runs: number;
  strict: boolean;
}

export interface PairComparison {
  implementation: string;
  base: RunSide;
  head: RunSide;
  notes: string[];
  renamed: { from: string; to: string }[];
  counts: { checks: ClassCounts; rules: ClassCounts };
  /** Listed classes only, in class order then by id. */
  checks: CompareEntry[];
  rules: CompareEntry[];
}

export interface Comparison {
  schema: typeof COMPARE_SCHEMA;
  pairs: PairComparison[];
  only_in_base: RunSide[];
  only_in_head: RunSide[];
  /** NEW_FAIL entries, checks and rules, over every pair: the exit code is 1 when this is not 0. */
  new_failures: number;
}

export interface LabelledReport {
  file: string;
  report: Report;
}

function checkState(c: CheckRecord): CompareState {
  if (!c.ran) return "unobserved";
  if (c.fault) return "error";
  return c.verdict === "fail" || c.verdict === "xfail" ? "fail" : "pass";
}

function ruleState(r: RuleVerdict): CompareState {
  switch (r.verdict) {
    case "pass":
    case "xpass":
      return "pass";
    case "fail":
    case "xfail":
      return "fail";
    case "warn":
      return "warn";
    case "error":
      return "error";
    default:
      return "unobserved";
  }
}

/** The class of one check or rule from its state in BASE and HEAD (undefined: not in that side's suite). */
export function classify(base: CompareState | undefined, head: CompareState | undefined): CompareClass {
  if (base === undefined) return "NEW_CHECK";
  if (head === undefined) return "REMOVED";
  if (base === "error" || head === "error") return "INCONCLUSIVE";
  if (head === "fail") return base === "fail" ? "STILL_FAIL" : "NEW_FAIL";
  if (base === "fail") return head === "pass" ? "FIXED" : head === "warn" ? "NEW_WARN" : "INCONCLUSIVE";
  if (head === "warn") return base === "warn" ? "STILL_WARN" : "NEW_WARN";
  if (base === "warn") return head === "pass" ? "FIXED" : "SKIP";
  return base === "pass" && head === "pass" ? "PASS" : "SKIP";
}

const firstLine = (s: string) => s.split("\n")[0]!;

function wholeSuite(shards: string[]): boolean {
  const parts = shards.map((x) => x.split("/").map(Number) as [number, number]);
  const n = parts[0]?.[1] ?? 1;
  return parts.every(([, c]) => c === n) && new Set(parts.map(([i]) => i)).size === n;
}

/**
 * Whether a run with this selection would have taken the check (judged from the other side's record of it):
 * false when its filters leave it out, undefined when it was one shard of several (which cannot be told).
 */
function selects(sel: ReportSelection, c: CheckRecord, ids: string[]): boolean | undefined {
  if (sel.checks && !ids.some((id) => sel.checks!.includes(id))) return false;
  if (sel.rules && !c.rules.some(rulePatternMatcher(sel.rules))) return false;
  if (sel.capabilities && !c.capabilities.every((x) => sel.capabilities!.includes(x))) return false;
  return wholeSuite(sel.shards) ? true : undefined;
}

/** A record that has something to say: a failure (expected or not) or a fault. */
const troubled = (c: CheckRecord | undefined): CheckRecord | undefined =>
  c && (c.fault || c.verdict === "fail" || c.verdict === "xfail") ? c : undefined;

function checkMessage(cls: CompareClass, b: CheckRecord | undefined, h: CheckRecord | undefined) {
  if (cls === "INCONCLUSIVE") {
    if (h?.fault) return `HEAD fault ${firstMessage(h)}`;
    if (b?.fault) return `BASE fault ${firstMessage(b)}`;
    const why = h ? (h.skip_reason ?? "skipped") : "not selected";
    return `failed in BASE (${b ? firstMessage(b) : "?"}); not run in HEAD: ${why}`;
  }
  if (troubled(h)) return firstMessage(h!);
  return (cls === "FIXED" || cls === "REMOVED") && troubled(b) ? `BASE: ${firstMessage(b!)}` : undefined;
}

function checkEntry(
  id: string,
  old: string | undefined,
  cls: CompareClass,
  b: CheckRecord | undefined,
  h: CheckRecord | undefined,
  absent: { base: string; head: string },
): CompareEntry {
  const label = (c: CheckRecord | undefined, none: string) =>
    c === undefined ? none : c.fault && c.verdict !== "error" ? `${c.verdict} (fault)` : c.verdict;
  const shown = troubled(h) ?? troubled(b) ?? (h ?? b)!;
  const named = [...new Set(shown.findings.flatMap((f) => f.rules))];
  const message = checkMessage(cls, b, h);
  return {
    kind: "check",
    id,
    ...(old !== undefined ? { old_id: old } : {}),
    class: cls,
    base: label(b, absent.base),
    head: label(h, absent.head),
    rules: (named.length > 0 ? named : [...shown.rules]).sort(),
    ...(message !== undefined ? { message } : {}),
  };
}

function ruleEntry(cls: CompareClass, b: RuleVerdict | undefined, h: RuleVerdict | undefined): CompareEntry {
  const why = (r: RuleVerdict | undefined) =>
    r?.first ? `${r.first.check}: ${firstLine(r.first.message)}` : r?.reason;
  const hState = h ? ruleState(h) : undefined;
  const bWhy = why(b);
  const message =
    b && ruleState(b) === "fail" && hState === "unobserved"
      ? `failed in BASE (${bWhy}); not observed in HEAD: ${h?.reason ?? h?.verdict}`
      : hState !== undefined && hState !== "pass"
        ? why(h)
        : bWhy !== undefined
          ? `BASE: ${bWhy}`
          : undefined;
  const rec = (h ?? b)!;
  return {
    kind: "rule",
    id: rec.id,
    class: cls,
    base: b?.verdict ?? "absent",
    head: h?.verdict ?? "absent",
    level: rec.level,
    ...(message !== undefined ? { message } : {}),
  };
}

const zero = (): ClassCounts => Object.fromEntries(CLASSES.map((c) => [c, 0])) as ClassCounts;
const order = (a: CompareEntry, b: CompareEntry) =>
  CLASSES.indexOf(a.class) - CLASSES.indexOf(b.class) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function side(l: LabelledReport): RunSide {
  const r = l.report;
  return {
    file: l.file,
    implementation: r.implementation,
    outcome: r.outcome,
    contract: r.contract.version,
    tool: r.tool.version,
    seed: r.seed,
    runs: r.runs,
    strict: r.strict,
  };
}

function selectionText(s: ReportSelection): string {
  const parts = [
    s.rules !== null ? `--rules ${s.rules}` : "",
    s.capabilities !== null ? `--capabilities ${s.capabilities.join(",")}` : "",
    s.checks !== null ? `--check ${s.checks.length === 1 ? s.checks[0] : `(${s.checks.length} ids)`}` : "",
    wholeSuite(s.shards) ? "" : `shard ${s.shards.join(", ")}`,
  ].filter(Boolean);
  return parts.length ? parts.join(" ") : "the whole suite";
}

/** What makes the two runs less than like for like, one line each. */
function notesOf(base: Report, head: Report, paired: boolean): string[] {
  const notes: string[] = [];
  const differ = (what: string, b: unknown, h: unknown, why: string) => {
    if (JSON.stringify(b) !== JSON.stringify(h)) notes.push(`${what} differ (BASE ${b}, HEAD ${h}): ${why}`);
  };
  if (paired && base.implementation.name !== head.implementation.name)
    notes.push(
      `the implementations differ (BASE ${base.implementation.name}, HEAD ${head.implementation.name}): compared because the two files were given`,
    );
  differ(
    "contract versions",
    base.contract.version,
    head.contract.version,
    "the suites differ; checks and rules of one side only are NEW_CHECK or REMOVED",
  );
  if (base.contract.version === head.contract.version && base.spec_digest !== head.spec_digest)
    notes.push("the spec trees differ (spec_digest): rules may have changed between the runs");
  differ("tool versions", base.tool.version, head.tool.version, "the suites may differ");
  differ(
    "seeds",
    base.seed,
    head.seed,
    "the properties drew different inputs; a property's change may come from its inputs",
  );
  differ(
    "run counts",
    base.runs,
    head.runs,
    "the properties tried different numbers of inputs; a property's change may come from that",
  );
  const added = head.capabilities.filter((c) => !base.capabilities.includes(c)).sort();
  const dropped = base.capabilities.filter((c) => !head.capabilities.includes(c)).sort();
  if (added.length + dropped.length > 0)
    notes.push(
      `the claimed capabilities differ (${[added.length ? `HEAD adds ${added.join(", ")}` : "", dropped.length ? `HEAD drops ${dropped.join(", ")}` : ""].filter(Boolean).join("; ")}): a check now run that fails is NEW_FAIL; a failure no longer run is INCONCLUSIVE`,
    );
  if (base.strict !== head.strict)
    notes.push(
      `${base.strict ? "BASE" : "HEAD"} was run with --strict and the other was not: a SHOULD finding fails one and warns in the other`,
    );
  const bs = selectionText(base.selection);
  const hs = selectionText(head.selection);
  if (bs !== hs)
    notes.push(
      `the selections differ (BASE ${bs}, HEAD ${hs}): what one side did not select is not observed there`,
    );
  if (JSON.stringify(base.expectations) !== JSON.stringify(head.expectations))
    notes.push(
      "the expectations (--expect) differ: compare ignores them (xfail counts as a failure, xpass as a pass)",
    );
  const verified = new Set(base.rules.filter((r) => ruleState(r) === "pass").map((r) => r.id));
  const lost = head.not_verified.filter((id) => verified.has(id)).sort();
  if (lost.length > 0)
    notes.push(
      `${lost.length} MUST rule${lost.length === 1 ? "" : "s"} BASE verified ${lost.length === 1 ? "is" : "are"} not verified in HEAD (${lost.join(", ")}): less coverage, not a failure`,
    );
  return notes;
}

/** Old check ids of one side matched to the newer ids of the other (spec/ids-ledger.json check_aliases). */
function renames(
  base: Report,
  head: Report,
): { baseToHead: Map<string, string>; headToBase: Map<string, string> } {
  const baseIds = new Set(base.checks.map((c) => c.id));
  const headIds = new Set(head.checks.map((c) => c.id));
  const headOnly = new Set([...headIds].filter((id) => !baseIds.has(id)));
  const baseOnly = new Set([...baseIds].filter((id) => !headIds.has(id)));
  const baseToHead = new Map<string, string>();
  const headToBase = new Map<string, string>();
  for (const id of [...baseOnly].sort()) {
    const to = resolveCheckIds([id], headOnly).ids[0];
    if (to === undefined) continue;
    baseToHead.set(id, to);
    headOnly.delete(to);
    baseOnly.delete(id);
  }
  // HEAD made with the older ids (a newer run given as BASE).
  for (const id of [...headOnly].sort()) {
    const to = resolveCheckIds([id], baseOnly).ids[0];
    if (to === undefined) continue;
    headToBase.set(id, to);
    baseOnly.delete(to);
  }
  return { baseToHead, headToBase };
}

/** Compares two runs of one implementation. */
export function comparePair(
  b: LabelledReport,
  h: LabelledReport,
  opts: { paired?: boolean } = {},
): PairComparison {
  const base = b.report;
  const head = h.report;
  const { baseToHead, headToBase } = renames(base, head);
  // Every check under its newer id: [id, its other id if renamed, BASE record, HEAD record].
  const rows = new Map<string, { old?: string; b?: CheckRecord; h?: CheckRecord }>();
  for (const c of base.checks) {
    const id = baseToHead.get(c.id) ?? c.id;
    rows.set(id, { ...rows.get(id), b: c, ...(baseToHead.has(c.id) ? { old: c.id } : {}) });
  }
  for (const c of head.checks) {
    const id = headToBase.get(c.id) ?? c.id;
    rows.set(id, { ...rows.get(id), h: c, ...(headToBase.has(c.id) ? { old: c.id } : {}) });
  }
  const counts = { checks: zero(), rules: zero() };
  const checks: CompareEntry[] = [];
  for (const [id, row] of rows) {
    const ids = row.old !== undefined ? [id, row.old] : [id];
    // A check one side has no record of: new or removed if that side would have run it, else not observed.
    const absent = (sel: ReportSelection, other: CheckRecord): [CompareState | undefined, string] =>
      selects(sel, other, ids) === true ? [undefined, "absent"] : ["unobserved", "not selected"];
    const [bs, bNone] = row.b ? [checkState(row.b), ""] : absent(base.selection, row.h!);
    const [hs, hNone] = row.h ? [checkState(row.h), ""] : absent(head.selection, row.b!);
    const cls = classify(bs, hs);
    counts.checks[cls]++;
    if (LISTED.includes(cls))
      checks.push(checkEntry(id, row.old, cls, row.b, row.h, { base: bNone, head: hNone }));
  }
  const baseRules = new Map(base.rules.map((r) => [r.id, r]));
  const headRules = new Map(head.rules.map((r) => [r.id, r]));
  const rules: CompareEntry[] = [];
  for (const id of new Set([...baseRules.keys(), ...headRules.keys()])) {
    const br = baseRules.get(id);
    const hr = headRules.get(id);
    const cls = classify(br && ruleState(br), hr && ruleState(hr));
    counts.rules[cls]++;
    if (LISTED.includes(cls)) rules.push(ruleEntry(cls, br, hr));
  }
  const renamed = [
    ...[...baseToHead].map(([from, to]) => ({ from, to })),
    ...[...headToBase].map(([to, from]) => ({ from, to })),
  ].sort((x, y) => (x.from < y.from ? -1 : 1));
  const notes = notesOf(base, head, opts.paired === true);
  if (renamed.length > 0)
    notes.push(
      `${renamed.length} check${renamed.length === 1 ? " was" : "s were"} renamed between the runs and matched through spec/ids-ledger.json (${renamed[0]!.from} is ${renamed[0]!.to}${renamed.length > 1 ? ", …" : ""})`,
    );
  return {
    implementation: head.implementation.name,
    base: side(b),
    head: side(h),
    notes,
    renamed,
    counts,
    checks: checks.sort(order),
    rules: rules.sort(order),
  };
}

/**
 * Compares sets of runs, matched by implementation name (`paired`: exactly one report a side, given as
 * files, compared whatever their names). Names must be unique on each side (the caller checks).
 */
export function compareRuns(
  base: LabelledReport[],
  head: LabelledReport[],
  opts: { paired?: boolean } = {},
): Comparison {
  const byName = (ls: LabelledReport[]) => new Map(ls.map((l) => [l.report.implementation.name, l]));
  const byNameOf = (a: RunSide, b: RunSide) =>
    a.implementation.name < b.implementation.name
      ? -1
      : a.implementation.name > b.implementation.name
        ? 1
        : 0;
  let pairs: PairComparison[];
  let onlyBase: RunSide[] = [];
  let onlyHead: RunSide[] = [];
  if (opts.paired && base.length === 1 && head.length === 1) pairs = [comparePair(base[0]!, head[0]!, opts)];
  else {
    const b = byName(base);
    const h = byName(head);
    pairs = [...b.keys()]
      .filter((n) => h.has(n))
      .sort()
      .map((n) => comparePair(b.get(n)!, h.get(n)!));
    onlyBase = base
      .filter((l) => !h.has(l.report.implementation.name))
      .map(side)
      .sort(byNameOf);
    onlyHead = head
      .filter((l) => !b.has(l.report.implementation.name))
      .map(side)
      .sort(byNameOf);
  }
  const new_failures = pairs.reduce((n, p) => n + p.counts.checks.NEW_FAIL + p.counts.rules.NEW_FAIL, 0);
  return { schema: COMPARE_SCHEMA, pairs, only_in_base: onlyBase, only_in_head: onlyHead, new_failures };
}

// ---- Output: plain text (default), Markdown (a pull-request comment). --json prints the Comparison.

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

function sideText(s: RunSide): string {
  const i = s.implementation;
  return `${s.file}: ${i.name} ${i.version} (${i.language}), ${s.outcome}, contract ${s.contract}, tool ${s.tool}, seed ${s.seed}, ${s.runs} runs${s.strict ? ", strict" : ""}`;
}

function entryText(e: CompareEntry): string {
  const what =
    e.kind === "check"
      ? `check ${e.id}${e.old_id ? ` (was ${e.old_id})` : ""}${e.rules?.length ? ` [${e.rules.join(", ")}]` : ""}`
      : `rule ${e.id} (${e.level})`;
  return `${what}  ${e.base} -> ${e.head}${e.message ? `  ${e.message}` : ""}`;
}

function countsText(label: string, c: ClassCounts): string {
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  const parts = CLASSES.filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
  return `${label}: ${parts.join(", ") || "none"} (${total})`;
}

export function compareText(cmp: Comparison): string {
  const out: string[] = [];
  const many = cmp.pairs.length + cmp.only_in_base.length + cmp.only_in_head.length > 1;
  for (const p of cmp.pairs) {
    if (many) out.push(`== ${p.implementation}`);
    out.push(`BASE  ${sideText(p.base)}`, `HEAD  ${sideText(p.head)}`);
    for (const n of p.notes) out.push(`note: ${n}`);
    for (const cls of LISTED) {
      const cs = p.checks.filter((e) => e.class === cls);
      const rs = p.rules.filter((e) => e.class === cls);
      if (cs.length + rs.length === 0) continue;
      out.push("", `${cls}: ${plural(cs.length, "check")}, ${plural(rs.length, "rule")}`);
      for (const e of [...cs, ...rs]) out.push(`  ${entryText(e)}`);
    }
    out.push("", countsText("checks", p.counts.checks), countsText("rules", p.counts.rules), "");
  }
  for (const s of cmp.only_in_base) out.push(`only in BASE: ${sideText(s)}`);
  for (const s of cmp.only_in_head) out.push(`only in HEAD: ${sideText(s)}`);
  if (cmp.only_in_base.length + cmp.only_in_head.length > 0) out.push("");
  out.push(
    cmp.new_failures > 0
      ? `compare: ${plural(cmp.new_failures, "new failure")} (NEW_FAIL above)`
      : `compare: no new failures`,
  );
  return out.join("\n");
}

function cell(s: string | undefined): string {
  return (s ?? "").replace(/\|/g, "\\|").replace(/\s+/g, " ").trim().slice(0, 300);
}

/** More rows than this in one list are folded into a <details>; past MAX_ROWS, --json has the rest. */
const OPEN_ROWS = 10;
const MAX_ROWS = 200;

function entryTable(es: CompareEntry[]): string[] {
  const checks = es[0]?.kind === "check";
  const rows = es
    .slice(0, MAX_ROWS)
    .map((e) =>
      checks
        ? `| \`${e.id}\`${e.old_id ? ` (was \`${e.old_id}\`)` : ""} | ${e.base} → ${e.head} | ${cell(e.rules?.join(", "))} | ${cell(e.message)} |`
        : `| ${e.id} | ${e.level} | ${e.base} → ${e.head} | ${cell(e.message)} |`,
    );
  const head = checks
    ? ["| check | BASE → HEAD | rules | message |", "|---|---|---|---|"]
    : ["| rule | level | BASE → HEAD | message |", "|---|---|---|---|"];
  const more = es.length > MAX_ROWS ? ["", `… and ${es.length - MAX_ROWS} more (--json lists them all)`] : [];
  return [...head, ...rows, ...more];
}

export function compareMarkdown(cmp: Comparison): string {
  const out: string[] = ["## asl-conform compare", ""];
  for (const p of cmp.pairs) {
    if (cmp.pairs.length > 1 || cmp.only_in_base.length + cmp.only_in_head.length > 0)
      out.push(`### ${p.implementation}`, "");
    const who = (s: RunSide) =>
      `\`${cell(s.file)}\`: ${s.implementation.name} ${s.implementation.version}, ${s.outcome}, contract ${s.contract}, seed ${s.seed}`;
    out.push(`- BASE ${who(p.base)}`, `- HEAD ${who(p.head)}`, "");
    for (const n of p.notes) out.push(`- note: ${n}`);
    if (p.notes.length) out.push("");
    out.push("| class | checks | rules |", "|---|---|---|");
    for (const cls of CLASSES)
      if (p.counts.checks[cls] + p.counts.rules[cls] > 0)
        out.push(`| ${cls} | ${p.counts.checks[cls]} | ${p.counts.rules[cls]} |`);
    out.push("");
    for (const cls of LISTED) {
      for (const kind of ["check", "rule"] as const) {
        const es = (kind === "check" ? p.checks : p.rules).filter((e) => e.class === cls);
        if (es.length === 0) continue;
        const title = `${cls}: ${plural(es.length, kind)}`;
        if (es.length > OPEN_ROWS)
          out.push(`<details><summary>${title}</summary>`, "", ...entryTable(es), "", "</details>", "");
        else out.push(`**${title}**`, "", ...entryTable(es), "");
      }
    }
  }
  for (const s of cmp.only_in_base)
    out.push(`- only in BASE: ${s.implementation.name} ${s.implementation.version} (\`${cell(s.file)}\`)`);
  for (const s of cmp.only_in_head)
    out.push(`- only in HEAD: ${s.implementation.name} ${s.implementation.version} (\`${cell(s.file)}\`)`);
  if (cmp.only_in_base.length + cmp.only_in_head.length > 0) out.push("");
  out.push(
    cmp.new_failures > 0 ? `**${plural(cmp.new_failures, "new failure")}** (NEW_FAIL).` : "No new failures.",
    "",
  );
  return out.join("\n");
}
