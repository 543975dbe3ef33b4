// implementations/<slug>.html: one implementation's run: who it is (name, version, language,
// capabilities, contract), its headline and counts, then every rule it fails (or warns, errs, fails as
// expected) with the rule's first message, anchored as rule-<id> for the matrix's links, and every check
// with a finding or a fault: each message, expected and actual values, and the command that replays it.
import type { CheckRecord, RuleVerdict } from "../../harness/verdict.ts";
import { type Html, html, join, safeHref } from "../html.ts";
import {
  byCodePoint,
  type CellState,
  type Implementation,
  LINKED,
  type RuleRow,
  reportedChecks,
  type SiteModel,
  STATES,
  selectionFlags,
} from "../model.ts";
import {
  facts,
  implName,
  inlineBadge,
  jsonValue,
  OUTCOME_STATE,
  OUTCOME_TEXT,
  page,
  plural,
  stateLabel,
} from "./layout.ts";

const FAILURE_ORDER: CellState[] = ["fail", "xpass", "error", "warn", "xfail"];

function ruleLink(rows: ReadonlyMap<string, RuleRow>, id: string, root: string): Html {
  const r = rows.get(id);
  return r ? html`<a href="${root}${r.page}">${id}</a>` : html`<code>${id}</code>`;
}

function expectation(e: { reason: string; link?: string } | undefined): Html {
  if (!e) return html``;
  const href = e.link === undefined ? undefined : safeHref(e.link);
  return html`<p>Expectation: ${e.reason}${
    e.link === undefined
      ? ""
      : href
        ? html` (<a href="${href}" rel="noopener noreferrer">${e.link}</a>)`
        : html` (${e.link})`
  }</p>`;
}

function failingRule(i: Implementation, v: RuleVerdict, rows: ReadonlyMap<string, RuleRow>): Html {
  const row = rows.get(v.id);
  const state = v.verdict;
  const checks = state === "error" ? i.report.checks.filter((c) => c.fault && v.checks.includes(c.id)) : [];
  const related = [...new Set([...v.failing, ...checks.map((c) => c.id)])].sort(byCodePoint);
  return html`<article class="finding s-${state}" id="rule-${row?.slug ?? v.id}">
<h3>${stateLabel(state)} ${ruleLink(rows, v.id, "../")} <span class="level">${v.level}, capability ${v.capability}</span></h3>
${row?.rule ? html`<p class="muted">${row.rule.statement}</p>` : ""}
${v.first ? html`<p class="message">${v.first.message}</p><p class="muted">first found by <a href="#${i.checkAnchor.get(v.first.check) ?? ""}">${v.first.check}</a></p>` : ""}
${v.reason ? html`<p class="message">${v.reason}</p>` : ""}
${state === "xpass" ? html`<p>Listed as an expected failure, but every check of it passed: remove it from the expectations.</p>` : ""}
${expectation(v.expectation)}
${
  related.length > 0
    ? html`<p>${plural(related.length, "check")} with a finding on it: ${join(
        related.map((c) => {
          const a = i.checkAnchor.get(c);
          return a ? html`<a href="#${a}">${c}</a>` : html`<code>${c}</code>`;
        }),
        ", ",
      )}</p>`
    : ""
}
</article>`;
}

function checkArticle(i: Implementation, c: CheckRecord, rows: ReadonlyMap<string, RuleRow>): Html {
  return html`<article class="finding s-${c.verdict}" id="${i.checkAnchor.get(c.id) ?? ""}">
<h3>${stateLabel(c.verdict, STATES[c.verdict].label)} <code>${c.id}</code></h3>
<p>${c.title}</p>
${facts([
  ["Kind", c.kind],
  [
    "Rules",
    join(
      c.rules.map((r) => ruleLink(rows, r, "../")),
      ", ",
    ),
  ],
  ["Context", c.context],
  ["Notes", c.notes.join("; ")],
])}
${expectation(c.expectation)}
${c.fault ? html`<p class="message">Interrupted by a fault of the implementation: ${c.fault.code}: ${c.fault.message}</p>` : ""}
${
  c.findings.length > 0
    ? html`<ol>${c.findings.map(
        (f) => html`<li><p class="message">${f.message}</p>
${facts([
  [
    "Rules",
    join(
      f.rules.map((r) => ruleLink(rows, r, "../")),
      ", ",
    ),
  ],
  ["Field", f.field],
  ["Byte offset", f.offset],
  ["Step", f.step],
])}
${"expected" in f ? html`<p>Expected:</p>${jsonValue(f.expected)}` : ""}
${"actual" in f ? html`<p>Actual:</p>${jsonValue(f.actual)}` : ""}</li>`,
      )}</ol>`
    : ""
}
${c.counterexample ? html`<p>Counterexample:</p><pre><code>${c.counterexample}</code></pre>` : ""}
${c.replay ? html`<p>Replay:</p><pre><code>${c.replay}</code></pre>` : ""}
</article>`;
}

export function implementationPage(m: SiteModel, i: Implementation): string {
  const rows = new Map(m.rules.map((r) => [r.id, r]));
  const r = i.report;
  const failing = r.rules
    .filter((v) => LINKED.has(v.verdict))
    .sort(
      (a, b) =>
        FAILURE_ORDER.indexOf(a.verdict) - FAILURE_ORDER.indexOf(b.verdict) || byCodePoint(a.id, b.id),
    );
  const checks = reportedChecks(r);
  const notVerified = r.rules.filter((v) => v.verdict === "not-verified");
  const ruleStates = (Object.keys(r.rule_counts) as (keyof typeof r.rule_counts)[]).filter(
    (k) => r.rule_counts[k] > 0,
  );
  const narrowed = selectionFlags(r);
  const body = html`<p><a href="../index.html">← All implementations</a></p>
<h1>${r.implementation.name} <span class="muted">${r.implementation.version}</span></h1>
<p>${inlineBadge(i)}</p>
<p class="headline ${r.outcome}">${stateLabel(OUTCOME_STATE[r.outcome], OUTCOME_TEXT[r.outcome])} ${r.headline}</p>
${i.notes.length > 0 ? html`<ul class="notes">${i.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ""}
${facts([
  ["Name", r.implementation.name],
  ["Version", r.implementation.version],
  ["Language", r.implementation.language],
  [
    "Capabilities",
    r.capabilities.length > 0
      ? join(
          [...r.capabilities].sort(byCodePoint).map((c) => html`<code>${c}</code>`),
          ", ",
        )
      : "none",
  ],
  [
    "Contract",
    `${r.contract.version} (${r.contract.source === "built-in" ? "the tool's own" : "a release"}${r.contract.release_manifest ? `, manifest sha256 ${r.contract.release_manifest}` : ""})`,
  ],
  ["Protocol", r.protocol],
  ["Profile", r.profile],
  ["Tool", `${r.tool.name} ${r.tool.version}`],
  ["Seed and runs", `seed ${r.seed}, ${plural(r.runs, "run")} per property${r.strict ? ", --strict" : ""}`],
  ["Selection", narrowed !== "" ? narrowed : "the whole suite"],
  ["Shards", r.selection.shards.join(", ")],
  ["Vectors", `${r.vectors.ran} of ${r.vectors.expected} ran`],
  ["Expectations", r.expectations.length > 0 ? plural(r.expectations.length, "entry", "entries") : ""],
  ["Spec digest", html`<code>${r.spec_digest}</code>`],
])}
<section aria-labelledby="counts"><h2 id="counts">Counts</h2>
<div class="counts"><table>
<caption>Rules, by verdict</caption>
<thead><tr><th scope="col">Verdict</th><th scope="col">Rules</th></tr></thead>
<tbody>${ruleStates.map((k) => html`<tr><th scope="row">${stateLabel(k)}</th><td>${r.rule_counts[k]}</td></tr>`)}</tbody>
</table>
<table>
<caption>Checks, by verdict</caption>
<thead><tr><th scope="col">Verdict</th><th scope="col">Checks</th></tr></thead>
<tbody>${(
    [
      ["passed", r.counts.passed],
      ["failed", r.counts.failed],
      ["errored", r.counts.errored],
      ["skipped", r.counts.skipped],
      ["expected failures", r.counts.xfail],
      ["unexpectedly passed", r.counts.xpass],
    ] as const
  ).map(([k, n]) => html`<tr><th scope="row">${k}</th><td>${n}</td></tr>`)}</tbody>
</table></div>
</section>
<section aria-labelledby="failures"><h2 id="failures">Rules it fails</h2>
${
  failing.length > 0
    ? html`<p>${plural(failing.length, "rule")} with a failure, a warning, an error or an expectation, each with its first message; the checks below have every finding.</p>${failing.map(
        (v) => failingRule(i, v, rows),
      )}`
    : html`<p>None: no rule failed, warned or erred.</p>`
}
</section>
${
  notVerified.length > 0
    ? html`<section aria-labelledby="not-verified"><h2 id="not-verified">Not verified</h2><ul>${notVerified.map(
        (v) => html`<li>${ruleLink(rows, v.id, "../")} (${v.level}): ${v.reason ?? ""}</li>`,
      )}</ul></section>`
    : ""
}
<section aria-labelledby="checks"><h2 id="checks">Checks with findings</h2>
${
  checks.length > 0
    ? html`<p>${plural(checks.length, "check")}, each with its messages, expected and actual values, and the command that replays it.</p>${checks.map(
        (c) => checkArticle(i, c, rows),
      )}`
    : html`<p>None.</p>`
}
</section>
<section aria-labelledby="all-rules"><h2 id="all-rules">Every rule</h2>
<details><summary>${plural(r.rules.length, "rule verdict")}</summary>
<div class="scroll"><table>
<caption>Every rule's verdict for ${implName(i)}</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Level</th><th scope="col">Verdict</th><th scope="col">Why</th></tr></thead>
<tbody>${r.rules.map(
    (v) =>
      html`<tr><th scope="row">${ruleLink(rows, v.id, "../")}</th><td>${v.level}</td><td>${stateLabel(v.verdict)}</td><td>${v.first?.message ?? v.reason ?? (v.checks.length > 0 ? plural(v.checks.length, "check") : "")}</td></tr>`,
  )}</tbody></table></div></details>
</section>`;
  return page({ title: implName(i), root: "../", body });
}
