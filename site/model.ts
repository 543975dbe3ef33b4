// What the results site shows, computed once from the reports and the rule catalog: the implementations
// (sorted, each with a sanitized file name), the rules (grouped by document and capability, as the
// drafts draw them: ASL/INDEXES/1, ASL-STORE-INDEX, ENC-ASL-TGK-INDEX), and the state of every
// implementation x rule cell, which is the rule verdict the report holds (harness/verdict.ts computed it;
// the site never re-judges). Every order here is a code-point sort, so the same inputs give the same bytes.
import type { Catalog, Decision, DocId, Rule } from "../catalog/load.ts";
import type { Report } from "../harness/report/report.ts";
import type { CheckRecord, RuleVerdict, RuleVerdictValue } from "../harness/verdict.ts";

/** A report the site cannot use as given (two reports of one implementation). */
export class SiteInputError extends Error {}

export interface SiteInput {
  reports: readonly Report[];
  catalog: Pick<Catalog, "rules" | "decisions" | "capabilities">;
  /** The spec digest of the tool making the site: reports made against another spec are flagged. */
  specDigest?: string;
}

/** A cell's state: the report's rule verdict, or `absent` when the report has no verdict for the rule. */
export type CellState = RuleVerdictValue | "absent";

export interface StateInfo {
  /** Shown in the cell beside the symbol; colour is never the only signal. */
  symbol: string;
  short: string;
  label: string;
  meaning: string;
}

/** The legend, in the order it is shown. */
export const STATES: Record<CellState, StateInfo> = {
  pass: { symbol: "✓", short: "pass", label: "pass", meaning: "every check that reached the rule passed" },
  fail: {
    symbol: "✗",
    short: "fail",
    label: "fail",
    meaning: "a check found a violation of this MUST rule",
  },
  xfail: {
    symbol: "⊘",
    short: "xfail",
    label: "expected failure",
    meaning: "fails, as the implementation's expectations (--expect) say it does",
  },
  warn: {
    symbol: "△",
    short: "warn",
    label: "warning",
    meaning: "a finding on a SHOULD, SHOULD NOT or MAY rule: reported, does not fail the run",
  },
  xpass: {
    symbol: "‼",
    short: "xpass",
    label: "unexpected pass",
    meaning: "listed as an expected failure but passes: the run fails until the expectation is removed",
  },
  error: {
    symbol: "!",
    short: "error",
    label: "error",
    meaning: "its checks were interrupted by a fault of the implementation (inconclusive)",
  },
  "not-verified": {
    symbol: "?",
    short: "n/v",
    label: "not verified",
    meaning: "a rule of a claimed capability that no check of the run reached",
  },
  skip: {
    symbol: "–",
    short: "skip",
    label: "skip",
    meaning: "its capability is not claimed, or the run did not select it",
  },
  absent: {
    symbol: "·",
    short: "none",
    label: "not in the report",
    meaning: "the report has no verdict for this rule (made with another version of the rules)",
  },
};

/** States whose cell links to the failure on the implementation's page. */
export const LINKED: ReadonlySet<CellState> = new Set(["fail", "xfail", "warn", "xpass", "error"]);

export interface DocumentInfo {
  key: string;
  title: string;
  prefix: string;
  /** The id of its section on the index. */
  anchor: string;
}

export const DOCUMENTS: readonly DocumentInfo[] = [
  { key: "ASL/INDEXES/1", title: "ASL/INDEXES/1", prefix: "IDX-", anchor: "doc-IDX" },
  { key: "ASL-STORE-INDEX", title: "ASL-STORE-INDEX", prefix: "STO-", anchor: "doc-STO" },
  { key: "ENC-ASL-TGK-INDEX", title: "ENC-ASL-TGK-INDEX", prefix: "ATXI-", anchor: "doc-ATXI" },
];
const OTHER: DocumentInfo = {
  key: "other",
  title: "Rules not in this tool's catalog",
  prefix: "",
  anchor: "doc-other",
};

export interface Implementation {
  /** File-name-safe, unique (case-insensitively) among the implementations. */
  slug: string;
  report: Report;
  page: string;
  badge: string;
  verdicts: ReadonlyMap<string, RuleVerdict>;
  /** Anchor of each check (by check id) on the implementation's page. */
  checkAnchor: ReadonlyMap<string, string>;
  /** Why a reader should look twice (another spec, a narrowed run), one line each. */
  notes: string[];
}

export interface RuleRow {
  id: string;
  slug: string;
  page: string;
  document: DocumentInfo;
  capability: string;
  level: string;
  /** The catalog's entry, when this tool knows the rule. */
  rule?: Rule;
}

export interface CapabilityGroup {
  capability: string;
  rules: RuleRow[];
}

export interface DocumentGroup {
  document: DocumentInfo;
  groups: CapabilityGroup[];
}

export interface SiteModel {
  implementations: Implementation[];
  rules: RuleRow[];
  documents: DocumentGroup[];
  decisions: ReadonlyMap<string, Decision>;
  /** Notes about the inputs as a whole, shown on the index. */
  notes: string[];
}

/** Code-point order, the same on every machine and locale. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A name reduced to letters, digits, `.`, `_` and `-` (no path separator, no leading dot, no control
 * character), at most 64 characters; `fallback` when nothing is left.
 */
export function fileSafe(name: string, fallback: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+/, "")
    .slice(0, 64)
    .replace(/[-.]+$/, "");
  return s === "" ? fallback : s;
}

/** Unique safe names for keys, in the order given; a clash (case-insensitive) gets -2, -3, … */
export function allocateNames(keys: readonly string[], name: (k: string) => string): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const k of keys) {
    if (out.has(k)) continue;
    const base = name(k);
    let s = base;
    for (let n = 2; used.has(s.toLowerCase()); n++) s = `${base}-${n}`;
    used.add(s.toLowerCase());
    out.set(k, s);
  }
  return out;
}

export function documentOf(ruleId: string, rule: Rule | undefined): DocumentInfo {
  const doc: DocId | undefined = rule?.source.doc;
  return DOCUMENTS.find((d) => d.key === doc) ?? DOCUMENTS.find((d) => ruleId.startsWith(d.prefix)) ?? OTHER;
}

const implKey = (r: Report) => `${r.implementation.name}\u0000${r.implementation.version}`;

/** Checks the implementation page describes: those with a finding, a fault or an expectation. */
export function reportedChecks(r: Report): CheckRecord[] {
  return r.checks
    .filter((c) => c.findings.length > 0 || c.fault !== undefined || c.verdict === "xpass")
    .sort((a, b) => byCodePoint(a.id, b.id));
}

/** The flags that narrowed a run, as it was run ("" for the whole suite; shards are not a narrowing). */
export function selectionFlags(r: Report): string {
  const sel = r.selection;
  return [
    sel.rules === null ? "" : `--rules ${sel.rules}`,
    sel.capabilities === null ? "" : `--capabilities ${sel.capabilities.join(",")}`,
    sel.checks === null ? "" : `--check ${sel.checks.join(",")}`,
  ]
    .filter(Boolean)
    .join(" ");
}

export function buildModel(input: SiteInput): SiteModel {
  const reports = [...input.reports].sort(
    (a, b) =>
      byCodePoint(a.implementation.name, b.implementation.name) ||
      byCodePoint(a.implementation.version, b.implementation.version) ||
      byCodePoint(a.implementation.language, b.implementation.language),
  );
  for (let i = 1; i < reports.length; i++)
    if (implKey(reports[i]!) === implKey(reports[i - 1]!)) {
      const { name, version } = reports[i]!.implementation;
      throw new SiteInputError(
        `two reports of ${name} ${version}: give one report per implementation (join the shards of one run with \`asl-conform report merge\` first)`,
      );
    }

  const slugs = allocateNames(reports.map(implKey), (k) =>
    fileSafe(k.replace("\u0000", "-").toLowerCase(), "implementation"),
  );
  const implementations = reports.map((report): Implementation => {
    const slug = slugs.get(implKey(report))!;
    const anchors = allocateNames(
      reportedChecks(report).map((c) => c.id),
      (id) => `check-${fileSafe(id, "x")}`,
    );
    const notes: string[] = [];
    if (input.specDigest !== undefined && report.spec_digest !== input.specDigest)
      notes.push(
        "made against another version of the spec than this site's tool: rule statements shown here may differ from the ones it was judged by",
      );
    const flags = selectionFlags(report);
    if (flags !== "")
      notes.push(`a narrowed run (${flags}): the rules it did not select are skip, not a verdict`);
    return {
      slug,
      report,
      page: `implementations/${slug}.html`,
      badge: `badges/${slug}.svg`,
      verdicts: new Map(report.rules.map((v) => [v.id, v])),
      checkAnchor: anchors,
      notes,
    };
  });

  const catalogRules = new Map(input.catalog.rules.map((r) => [r.id, r]));
  const ids = new Set(input.catalog.rules.filter((r) => !r.retired).map((r) => r.id));
  for (const r of reports) for (const v of r.rules) ids.add(v.id);
  const sortedIds = [...ids].sort(byCodePoint);
  const ruleSlugs = allocateNames(sortedIds, (id) => fileSafe(id, "rule"));
  const rules = sortedIds.map((id): RuleRow => {
    const rule = catalogRules.get(id);
    const seen = implementations.map((i) => i.verdicts.get(id)).find((v) => v !== undefined);
    const slug = ruleSlugs.get(id)!;
    return {
      id,
      slug,
      page: `rules/${slug}.html`,
      document: documentOf(id, rule),
      capability: rule?.capability ?? seen?.capability ?? "unknown",
      level: rule?.level ?? seen?.level ?? "?",
      ...(rule ? { rule } : {}),
    };
  });

  const capOrder = input.catalog.capabilities.map((c) => c.name as string);
  const capRank = (c: string) => {
    const i = capOrder.indexOf(c);
    return i < 0 ? capOrder.length : i;
  };
  const documents: DocumentGroup[] = [...DOCUMENTS, OTHER]
    .map((document) => {
      const mine = rules.filter((r) => r.document === document);
      const caps = [...new Set(mine.map((r) => r.capability))].sort(
        (a, b) => capRank(a) - capRank(b) || byCodePoint(a, b),
      );
      return {
        document,
        groups: caps.map((capability) => ({
          capability,
          rules: mine.filter((r) => r.capability === capability),
        })),
      };
    })
    .filter((d) => d.groups.length > 0);

  const notes: string[] = [];
  const contracts = [...new Set(reports.map((r) => r.contract.version))].sort(byCodePoint);
  if (contracts.length > 1)
    notes.push(
      `the reports were judged against different contract versions (${contracts.join(", ")}): compare their cells with care`,
    );
  return {
    implementations,
    rules,
    documents,
    decisions: new Map(input.catalog.decisions.map((d) => [d.id, d])),
    notes,
  };
}

export function cellState(impl: Implementation, ruleId: string): CellState {
  return impl.verdicts.get(ruleId)?.verdict ?? "absent";
}
