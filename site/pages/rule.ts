// rules/<id>.html: one rule as the catalog states it (statement, level, basis, source section and
// quote, the decisions it rests on with their titles, the checks that check it), each implementation's
// verdict on it, and the messages of those that fail it.
import { type Html, html, join } from "../html.ts";
import { cellState, LINKED, type RuleRow, type SiteModel } from "../model.ts";
import { cell, facts, implName, page, plural, stateLabel } from "./layout.ts";

const BASIS: Record<string, string> = {
  draft: "stated by a draft",
  implied: "implied by the drafts",
  profile: "a profile decision",
};

function decisions(m: SiteModel, ids: readonly string[]): Html {
  return html`<ul>${ids.map((id) => {
    const d = m.decisions.get(id);
    return d
      ? html`<li><strong>${d.id}</strong>: ${d.title}<br><span class="muted">${d.choice}</span></li>`
      : html`<li><strong>${id}</strong> (not in this tool's decisions)</li>`;
  })}</ul>`;
}

export function rulePage(m: SiteModel, row: RuleRow): string {
  const rule = row.rule;
  const verdicts = m.implementations.map((i) => ({ i, v: i.verdicts.get(row.id) }));
  const failing = verdicts.filter(({ v }) => v !== undefined && LINKED.has(v.verdict));
  const decisionIds = rule?.decisions ?? verdicts.find(({ v }) => v?.decisions)?.v?.decisions ?? [];
  const suiteChecks = (rule?.checks ?? []).filter((c) => !c.startsWith("test:"));
  const projectTests = (rule?.checks ?? []).filter((c) => c.startsWith("test:"));
  const body = html`<p><a href="../index.html#${row.document.anchor}">← ${row.document.title} rules</a></p>
<h1>${row.id} <span class="level">${row.level}</span></h1>
${rule ? html`<blockquote><p>${rule.statement}</p></blockquote>` : html`<p>This rule is not in the catalog of the tool that made this site; the reports name it.</p>`}
${facts([
  ["Level", row.level],
  ["Basis", rule?.basis ? `${rule.basis}: ${BASIS[rule.basis] ?? ""}` : ""],
  ["Capability", html`<code>${row.capability}</code>`],
  [
    "Applies with",
    rule?.applies_with
      ? join(
          rule.applies_with.map((c) => html`<code>${c}</code>`),
          " or ",
        )
      : "",
  ],
  ["Source", rule ? `${rule.source.doc}, section ${rule.source.section}` : row.document.title],
  ["Quote", rule?.source.quote ? html`<q>${rule.source.quote}</q>` : ""],
  ["Retired", rule?.retired ? `since ${rule.retired.since}: ${rule.retired.reason}` : ""],
  ["Waiver", rule?.waiver],
  ["Defined in", rule?.file ? html`<code>${rule.file}</code>` : ""],
])}
<section aria-labelledby="decisions"><h2 id="decisions">Decisions</h2>
${decisionIds.length > 0 ? decisions(m, decisionIds) : html`<p>None: the drafts settle it.</p>`}
</section>
<section aria-labelledby="results"><h2 id="results">Results</h2>
<div class="scroll"><table>
<caption>${row.id} for each implementation</caption>
<thead><tr><th scope="col">Implementation</th><th scope="col">Verdict</th><th scope="col">Message or reason</th></tr></thead>
<tbody>${verdicts.map(({ i, v }) => {
    const state = cellState(i, row.id);
    return html`<tr><th scope="row"><a href="../${i.page}">${implName(i)}</a></th>${cell({
      state,
      ruleId: row.id,
      impl: i,
      ...(LINKED.has(state) ? { href: `../${i.page}#rule-${row.slug}` } : {}),
    })}<td>${v?.first?.message ?? v?.reason ?? ""}</td></tr>`;
  })}</tbody></table></div>
</section>
<section aria-labelledby="failing"><h2 id="failing">Implementations that fail it</h2>
${
  failing.length > 0
    ? failing.map(({ i, v }) => {
        const findings = i.report.checks.flatMap((c) =>
          c.findings.filter((f) => f.rules.includes(row.id)).map((f) => ({ c, f })),
        );
        return html`<article class="finding s-${v!.verdict}">
<h3>${stateLabel(v!.verdict)} <a href="../${i.page}#rule-${row.slug}">${implName(i)}</a></h3>
${v!.reason ? html`<p class="message">${v!.reason}</p>` : ""}
${
  findings.length > 0
    ? html`<ul>${findings.map(
        ({ c, f }) =>
          html`<li><a href="../${i.page}#${i.checkAnchor.get(c.id) ?? ""}"><code>${c.id}</code></a>: <span class="message">${f.message}</span></li>`,
      )}</ul>`
    : ""
}
</article>`;
      })
    : html`<p>None.</p>`
}
</section>
<section aria-labelledby="checks"><h2 id="checks">Checks</h2>
${
  suiteChecks.length > 0
    ? html`<p>${plural(suiteChecks.length, "check")} of the suite name this rule:</p><ul class="ids">${suiteChecks.map((c) => html`<li><code>${c}</code></li>`)}</ul>`
    : html`<p>No check of the suite names it.</p>`
}
${
  projectTests.length > 0
    ? html`<p>Project tests of the reference engine that name it:</p><ul class="ids">${projectTests.map((c) => html`<li><code>${c.slice("test:".length)}</code></li>`)}</ul>`
    : ""
}
</section>`;
  return page({ title: row.id, root: "../", body });
}
