// What every page of the results site shares: the document shell (with a Content-Security-Policy that
// allows the one inlined style sheet and nothing else: no script, no fetch, no font, so a page is
// complete from file:// and an escaping mistake could not run code), the state of a cell (symbol, word
// and colour), the legend, and the display of a finding's values.
import type { RunOutcome } from "../../harness/verdict.ts";
import { badgeSvg } from "../badge.ts";
import { type Html, html, type Value } from "../html.ts";
import { type CellState, type Implementation, STATES } from "../model.ts";
import { CSS, CSS_HASH } from "../style.ts";

const CSP = `default-src 'none'; style-src ${CSS_HASH}; img-src 'none'; base-uri 'none'; form-action 'none'`;

export interface PageOptions {
  title: string;
  /** The path from this page to the site's root: "" or "../". */
  root: string;
  body: Html;
}

export function page(o: PageOptions): string {
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<title>${o.title} · asl-conform results</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to the content</a>
<header class="site"><a href="${o.root}index.html">asl-conform results</a>
<nav aria-label="Site"><a href="${o.root}index.html#matrix">Matrix</a><a href="${o.root}index.html#implementations">Implementations</a><a href="${o.root}index.html#legend">Legend</a></nav></header>
<main id="main">
${o.body}
</main>
</body>
</html>`}\n`;
}

/** A state as a small inline label: symbol (hidden from screen readers) and word, coloured. */
export function stateLabel(state: CellState, text?: string): Html {
  const s = STATES[state];
  return html`<span class="state s-${state}"><span class="sym" aria-hidden="true">${s.symbol}</span>${text ?? s.label}</span>`;
}

export const OUTCOME_STATE: Record<RunOutcome, CellState> = {
  conforms: "pass",
  "does-not-conform": "fail",
  inconclusive: "error",
};

export const OUTCOME_TEXT: Record<RunOutcome, string> = {
  conforms: "conforms",
  "does-not-conform": "does not conform",
  inconclusive: "inconclusive",
};

export function implName(i: Implementation): string {
  return `${i.report.implementation.name} ${i.report.implementation.version}`;
}

/** The implementation's badge, inline (ids made unique by its slug). */
export function inlineBadge(i: Implementation): Html {
  return html`<span class="badge">${badgeSvg(i.report.outcome, i.report.rule_counts.pass, `b-${i.slug}`)}</span>`;
}

/**
 * One matrix (or results table) cell: the data attributes say which rule, which implementation and which
 * state, the text says the state in a word beside its symbol, and a failing state links to its failure.
 */
export function cell(o: {
  state: CellState;
  ruleId: string;
  impl: Implementation;
  href?: string;
  title?: string;
}): Html {
  const s = STATES[o.state];
  const name = `${o.ruleId}, ${implName(o.impl)}: ${s.label}`;
  const inner = html`<span class="sym" aria-hidden="true">${s.symbol}</span>${s.short}`;
  return html`<td class="cell s-${o.state}" data-rule="${o.ruleId}" data-impl="${o.impl.slug}" data-state="${o.state}" aria-label="${name}" title="${o.title ?? name}">${
    o.href
      ? html`<a href="${o.href}" aria-label="${name}: see the failure and its message">${inner}</a>`
      : inner
  }</td>`;
}

export function legend(states: readonly CellState[]): Html {
  return html`<table class="legend">
<caption>What a cell says (each state has a symbol and a word, not only a colour)</caption>
<thead><tr><th scope="col">Cell</th><th scope="col">State</th><th scope="col">Meaning</th></tr></thead>
<tbody>${states.map(
    (k) =>
      html`<tr><td class="cell s-${k}"><span class="sym" aria-hidden="true">${STATES[k].symbol}</span>${STATES[k].short}</td><th scope="row">${STATES[k].label}</th><td>${STATES[k].meaning}</td></tr>`,
  )}</tbody></table>`;
}

const MAX_VALUE = 4000;

/** A finding's expected or actual value as it appears in report.json, cut at MAX_VALUE characters. */
export function jsonValue(v: unknown): Html {
  const text = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v, null, 2) ?? String(v));
  const cut =
    text.length > MAX_VALUE
      ? `${text.slice(0, MAX_VALUE)}… (${text.length - MAX_VALUE} more characters in report.json)`
      : text;
  return html`<pre><code>${cut}</code></pre>`;
}

/** A definition list of facts; an entry with no value is left out. */
export function facts(entries: readonly [string, Value][]): Html {
  return html`<dl class="facts">${entries
    .filter(([, v]) => v !== undefined && v !== null && v !== false && v !== "")
    .map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
