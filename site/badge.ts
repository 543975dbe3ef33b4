// A shields.io-style "flat" badge per implementation: "asl-conform | conforms (N rules)", "does not
// conform" or "inconclusive", N being the rules that passed. Widths come from a table of Verdana 11px
// advance widths (the font shields.io measures with), so the bytes do not depend on the fonts of the
// machine that made them. The same markup is a standalone .svg file and inline in the pages (with ids
// made unique per implementation, since one page shows several badges).
import type { RunOutcome } from "../harness/verdict.ts";
import { type Html, html } from "./html.ts";

/** Verdana 11px advance widths in px (measured glyph advances, rounded to 0.1). */
const WIDTH: Record<string, number> = {
  " ": 3.9,
  "(": 4.9,
  ")": 4.9,
  "-": 4.9,
  a: 6.7,
  b: 6.9,
  c: 5.8,
  d: 6.9,
  e: 6.6,
  f: 3.9,
  g: 6.9,
  h: 7.0,
  i: 3.0,
  j: 3.8,
  k: 6.5,
  l: 3.0,
  m: 10.7,
  n: 7.0,
  o: 6.7,
  p: 6.9,
  q: 6.9,
  r: 4.7,
  s: 5.7,
  t: 4.3,
  u: 7.0,
  v: 6.5,
  w: 9.0,
  x: 6.5,
  y: 6.5,
  z: 5.8,
};
const DIGIT = 7.0;
const OTHER = 7.5;

function textWidth(s: string): number {
  let w = 0;
  for (const c of s) w += WIDTH[c] ?? (/[0-9]/.test(c) ? DIGIT : OTHER);
  return Math.round(w);
}

const COLOUR: Record<RunOutcome, string> = {
  conforms: "#2e7d32",
  "does-not-conform": "#c62828",
  inconclusive: "#8a6100",
};

export function badgeMessage(outcome: RunOutcome, rulesPassed: number): string {
  if (outcome === "conforms") return `conforms (${rulesPassed} rule${rulesPassed === 1 ? "" : "s"})`;
  return outcome === "does-not-conform" ? "does not conform" : "inconclusive";
}

/** The badge's SVG; `idPrefix` keeps its gradient and clip ids unique on a page that shows several. */
export function badgeSvg(outcome: RunOutcome, rulesPassed: number, idPrefix = "b"): Html {
  const label = "asl-conform";
  const message = badgeMessage(outcome, rulesPassed);
  const lw = textWidth(label) + 10;
  const mw = textWidth(message) + 10;
  const w = lw + mw;
  const title = `${label}: ${message}`;
  const g = `${idPrefix}-s`;
  const r = `${idPrefix}-r`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" viewBox="0 0 ${w} 20" role="img" aria-label="${title}"><title>${title}</title><linearGradient id="${g}" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="${r}"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#${r})"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${COLOUR[outcome]}"/><rect width="${w}" height="20" fill="url(#${g})"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${label}</text><text x="${lw / 2}" y="14">${label}</text><text x="${lw + mw / 2}" y="15" fill="#010101" fill-opacity=".3">${message}</text><text x="${lw + mw / 2}" y="14">${message}</text></g></svg>`;
}
