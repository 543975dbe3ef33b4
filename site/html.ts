// The one way the results site writes HTML (and the badges' SVG): a tagged template, html`...`, that
// escapes every interpolated value unless it is already an Html, a branded value only this module can
// make. A report is untrusted input (an implementation's name or a finding's message may hold
// `<script>`), and with this tag the safe thing is the only thing that type-checks: a string is always
// escaped, and markup can come only from template text written in this folder or from another html``.
//
// Why a tag and not a template engine or a DOM library: no dependency to install, audit or keep up to
// date; TypeScript checks every page like any other code (a misspelt field is a compile error, not an
// empty cell); and it is this one small file, which a reviewer can read whole.
//
// Contexts: values go into element text or into attribute values that the template quotes with double
// quotes; both are safe with the five escapes below. Values never go into <style>, <script>, an event
// handler or a URL scheme position: a link's target is always a path this site computes (safeHref keeps a
// link from a report to http and https).

let make: (text: string) => Html;

/** Markup that is safe to insert as it is: made by `html` (escaped) or `literal` (no interpolation). */
export class Html {
  readonly #text: string;
  private constructor(text: string) {
    this.#text = text;
  }
  static {
    make = (text) => new Html(text);
  }
  toString(): string {
    return this.#text;
  }
}

/** What may be interpolated: text (escaped), markup (kept), lists of either (joined); nothing for false. */
export type Value = Html | string | number | false | null | undefined | readonly Value[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe for element content and double- or single-quoted attribute values. */
export function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(v: Value): string {
  if (v === false || v === null || v === undefined) return "";
  if (v instanceof Html) return v.toString();
  if (Array.isArray(v)) return v.map(render).join("");
  return escapeText(String(v));
}

/** The template tag: literal text is kept, every interpolation is escaped unless it is Html. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? "");
  return make(out);
}

/**
 * Markup written in this folder with no interpolation at all (its type accepts none): the style sheet,
 * which `html` would break by escaping its quotes and `>` selectors.
 */
export function literal(strings: TemplateStringsArray): Html {
  return make(strings.join(""));
}

/** Items joined by a separator (itself markup or text, escaped as any value). */
export function join(items: readonly Value[], separator: Value): Html {
  return html`${items.flatMap((x, i) => (i === 0 ? [x] : [separator, x]))}`;
}

/** A link target taken from a report (an expectation's link): kept only when it is http or https. */
export function safeHref(url: string): string | undefined {
  return /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined;
}
