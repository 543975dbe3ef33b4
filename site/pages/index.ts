// index.html: the implementations (outcome, counts, badge), the legend, and the matrix of rules x
// implementations, one table per document (ASL/INDEXES/1, ASL-STORE-INDEX, ENC-ASL-TGK-INDEX) with a row
// group per capability. Rules are rows and implementations columns, as in Bowtie's report: the list of
// rules is long, the list of implementations short, so the page grows down and not sideways.
import { summaryLine } from "../../harness/verdict.ts";
import { type Html, html } from "../html.ts";
import { type CellState, cellState, LINKED, type SiteModel, STATES } from "../model.ts";
import {
  cell,
  implName,
  inlineBadge,
  legend,
  OUTCOME_STATE,
  OUTCOME_TEXT,
  page,
  plural,
  stateLabel,
} from "./layout.ts";

const LEGEND_ORDER: CellState[] = [
  "pass",
  "fail",
  "xfail",
  "warn",
  "xpass",
  "error",
  "not-verified",
  "skip",
  "absent",
];

function ruleCounts(m: SiteModel["implementations"][number]): Html {
  const c = m.report.rule_counts;
  const parts = LEGEND_ORDER.filter((k) => k !== "absent" && c[k as keyof typeof c] > 0).map(
    (k) => `${c[k as keyof typeof c]} ${STATES[k].label}`,
  );
  return html`${parts.join(", ")}`;
}

function implementationsTable(m: SiteModel): Html {
  return html`<div class="scroll"><table>
<caption>${plural(m.implementations.length, "implementation")}, sorted by name</caption>
<thead><tr><th scope="col">Implementation</th><th scope="col">Version</th><th scope="col">Language</th><th scope="col">Contract</th><th scope="col">Outcome</th><th scope="col">Rules</th><th scope="col">Checks</th><th scope="col">Badge</th></tr></thead>
<tbody>${m.implementations.map(
    (i) =>
      html`<tr><th scope="row"><a href="${i.page}">${i.report.implementation.name}</a></th><td>${i.report.implementation.version}</td><td>${i.report.implementation.language}</td><td>${i.report.contract.version}</td><td>${stateLabel(OUTCOME_STATE[i.report.outcome], OUTCOME_TEXT[i.report.outcome])}</td><td>${ruleCounts(i)}</td><td>${summaryLine(i.report.counts)}</td><td>${inlineBadge(i)}</td></tr>`,
  )}</tbody></table></div>`;
}

function matrix(m: SiteModel): Html {
  const impls = m.implementations;
  const head = html`<thead><tr><th scope="col">Rule</th>${impls.map(
    (i) =>
      html`<th scope="col"><a href="${i.page}">${i.report.implementation.name}</a> <span class="muted">${i.report.implementation.version}</span><br>${stateLabel(OUTCOME_STATE[i.report.outcome], OUTCOME_TEXT[i.report.outcome])}</th>`,
  )}</tr></thead>`;
  return html`${m.documents.map(
    (d) => html`<section aria-labelledby="${d.document.anchor}">
<h3 id="${d.document.anchor}">${d.document.title}${d.document.prefix ? html` <span class="muted">(${d.document.prefix}*)</span>` : ""}</h3>
<div class="scroll"><table class="matrix">
<caption>${d.document.title}: ${plural(
      d.groups.reduce((n, g) => n + g.rules.length, 0),
      "rule",
    )} by capability, one column per implementation</caption>
${head}
${d.groups.map(
  (g) => html`<tbody>
<tr><th scope="rowgroup" colspan="${impls.length + 1}">capability ${g.capability}</th></tr>
${g.rules.map(
  (r) =>
    html`<tr><th scope="row"><a href="${r.page}">${r.id}</a><span class="level">${r.level}</span></th>${impls.map(
      (i) => {
        const state = cellState(i, r.id);
        const v = i.verdicts.get(r.id);
        return cell({
          state,
          ruleId: r.id,
          impl: i,
          ...(LINKED.has(state) ? { href: `${i.page}#rule-${r.slug}` } : {}),
          title: `${r.id}, ${implName(i)}: ${STATES[state].label}${
            v?.first ? ` — ${v.first.message}` : v?.reason ? ` — ${v.reason}` : ""
          }`,
        });
      },
    )}</tr>\n`,
)}</tbody>`,
)}
</table></div>
</section>`,
  )}`;
}

export function indexPage(m: SiteModel): string {
  const tools = [...new Set(m.implementations.map((i) => `${i.report.tool.name} ${i.report.tool.version}`))];
  const notes = [...m.notes, ...m.implementations.flatMap((i) => i.notes.map((n) => `${implName(i)}: ${n}`))];
  const body = html`<h1>Conformance results of the ASL index family</h1>
<p>${plural(m.implementations.length, "implementation")} against ${plural(m.rules.length, "rule")} of ASL/INDEXES/1, ASL-STORE-INDEX and ENC-ASL-TGK-INDEX, as judged by ${tools.join(", ") || "asl-conform"}. A failing cell links to its message; a rule's id to its statement and to every implementation's result.</p>
${notes.length > 0 ? html`<ul class="notes">${notes.map((n) => html`<li>${n}</li>`)}</ul>` : ""}
<section aria-labelledby="implementations"><h2 id="implementations">Implementations</h2>
${implementationsTable(m)}
<p class="muted">Every implementation also has <a href="implementations.json">implementations.json</a> (machine-readable) and an SVG badge under badges/.</p>
</section>
<section aria-labelledby="legend"><h2 id="legend">Legend</h2>
${legend(LEGEND_ORDER)}
</section>
<section aria-labelledby="matrix"><h2 id="matrix">Rules x implementations</h2>
<ul class="toc">${m.documents.map(
    (d) => html`<li><a href="#${d.document.anchor}">${d.document.title}</a></li>`,
  )}</ul>
${matrix(m)}
</section>`;
  return page({ title: "Results", root: "", body });
}
