// The one style sheet of the results site, inlined in every page (no file to fetch, so a page works alone
// from file://). Colour pairs keep a contrast of at least 4.5:1 (WCAG AA) for text on its background,
// and every state also has a symbol and a word, so the matrix reads in greyscale and in print. Narrow
// screens scroll the matrix sideways with the rule column kept in view; print drops navigation and keeps
// the state colours.
import { createHash } from "node:crypto";
import { literal } from "./html.ts";

export const CSS = literal`
:root{--fg:#1b1f24;--muted:#4a5560;--bg:#fff;--line:#d0d7de;--head:#f3f5f7;--link:#0b57d0;
--pass-bg:#e3f4e8;--pass-fg:#1b5e20;--fail-bg:#fde4e6;--fail-fg:#9b1c24;--warn-bg:#fff3c4;--warn-fg:#6b4e00;
--xfail-bg:#efe6fb;--xfail-fg:#5b2d86;--xpass-bg:#fde4e6;--xpass-fg:#9b1c24;--error-bg:#ffe8d4;--error-fg:#8a3b00;
--nv-bg:#e6edfb;--nv-fg:#23467f;--skip-bg:#f1f3f5;--skip-fg:#4a5560;--absent-bg:#fff;--absent-fg:#4a5560}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--fg);background:var(--bg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
a{color:var(--link)}
a:focus-visible,summary:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.skip-link{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem}
.skip-link:focus{left:.5rem}
header.site{background:#1b1f24;color:#fff;padding:.6rem 1rem}
header.site a{color:#fff;font-weight:600;text-decoration:none}
header.site nav{display:inline}
header.site nav a{font-weight:400;margin-left:1rem;text-decoration:underline}
main{max-width:80rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1.05rem;margin:1.25rem 0 .25rem;overflow-wrap:anywhere}
p,li,dd{overflow-wrap:anywhere}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.875em}
pre{background:var(--head);border:1px solid var(--line);padding:.5rem;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0}
.muted{color:var(--muted)}
.headline{font-size:1.05rem;padding:.5rem .75rem;border-left:6px solid var(--line);background:var(--head)}
.headline.conforms{border-color:var(--pass-fg)}
.headline.does-not-conform{border-color:var(--fail-fg)}
.headline.inconclusive{border-color:var(--error-fg)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.scroll{overflow-x:auto;max-width:100%;border:1px solid var(--line)}
table{border-collapse:collapse;font-size:.9rem}
caption{text-align:left;padding:.4rem .5rem;color:var(--muted)}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--head);position:sticky;top:0;z-index:2}
th[scope=col]{white-space:normal;min-width:6.5rem;overflow-wrap:anywhere}
tbody th[scope=row]{background:var(--bg);position:sticky;left:0;z-index:1;white-space:nowrap;font-weight:500}
tbody th[scope=rowgroup]{background:var(--head);text-align:left;font-weight:600}
.level{font-size:.75rem;color:var(--muted);margin-left:.35rem}
td.cell{white-space:nowrap;text-align:center}
td.cell a{color:inherit;display:block;text-decoration:underline}
.sym{font-weight:700;margin-right:.25rem}
.s-pass{background:var(--pass-bg);color:var(--pass-fg)}
.s-fail{background:var(--fail-bg);color:var(--fail-fg);font-weight:600}
.s-xfail{background:var(--xfail-bg);color:var(--xfail-fg)}
.s-warn{background:var(--warn-bg);color:var(--warn-fg)}
.s-xpass{background:var(--xpass-bg);color:var(--xpass-fg);font-weight:600}
.s-error{background:var(--error-bg);color:var(--error-fg)}
.s-not-verified{background:var(--nv-bg);color:var(--nv-fg)}
.s-skip{background:var(--skip-bg);color:var(--skip-fg)}
.s-absent{background:var(--absent-bg);color:var(--absent-fg)}
span.state{display:inline-block;padding:0 .4rem;border-radius:.25rem;white-space:nowrap}
table.legend td,table.legend th{vertical-align:middle}
.badge svg{vertical-align:middle}
article.finding{border:1px solid var(--line);border-left:6px solid var(--fail-fg);padding:.25rem .75rem .5rem;margin:.75rem 0}
article.finding.s-warn,article.finding.s-xfail,article.finding.s-error,article.finding.s-xpass{background:none;color:inherit}
article.finding.s-warn{border-left-color:var(--warn-fg)}
article.finding.s-xfail{border-left-color:var(--xfail-fg)}
article.finding.s-error{border-left-color:var(--error-fg)}
article.finding.s-fail{background:none;color:inherit;font-weight:400}
article:target{outline:3px solid #f59e0b}
.message{font-weight:600}
ul.ids{columns:16rem;padding-left:1.2rem}
ul.toc{padding-left:1.2rem}
.counts{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
@media (max-width:40rem){main{padding:.5rem}h1{font-size:1.3rem}dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4rem}th[scope=col]{min-width:5rem}}
@media print{header.site nav,.skip-link{display:none}header.site{background:none;color:#000;padding:0}header.site a{color:#000}
.scroll{overflow:visible;border:none}thead th,tbody th[scope=row]{position:static}thead{display:table-header-group}
tr,article{break-inside:avoid}a{color:inherit}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}main{max-width:none}}
`;

/** The Content-Security-Policy source of the style sheet: pages allow this one sheet and nothing else. */
export const CSS_HASH = `'sha256-${createHash("sha256").update(CSS.toString()).digest("base64")}'`;
