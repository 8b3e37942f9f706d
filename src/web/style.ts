/**
 * The one style sheet, served from /static/ under a name that holds its hash (cached for a
 * year; a change gets a new name). No inline style anywhere: the CSP allows styles from this
 * file only. Colours meet WCAG 2.1 AA contrast on white (4.5:1 and more); states are told by
 * words and icon shapes, colour only adds to them. Focus is always visible.
 */
import { createHash } from 'node:crypto';

export const STYLE = `
:root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#c8c8c8;--link:#0b4fa8;--bg:#fff;--soft:#f3f4f6;--focus:#b34700}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:var(--ink);background:var(--bg)}
body{margin:0 auto;max-width:64rem;padding:0 1rem 2rem}
a{color:var(--link)}
a:focus,button:focus,input:focus,[tabindex]:focus{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:1rem}
header{border-bottom:1px solid var(--line);padding:.5rem 0}
.brand{font-weight:700;font-size:1.25rem;margin:.25rem 0}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
form.search{margin:.75rem 0;display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
form.search label{flex-basis:100%;font-weight:600}
form.search input{flex:1 1 14rem;font-size:1rem;padding:.5rem;border:2px solid #595959;border-radius:4px}
form.search button{font-size:1rem;padding:.5rem 1rem;border:2px solid var(--link);background:var(--link);color:#fff;border-radius:4px;cursor:pointer}
.hint{color:var(--muted);font-size:.9rem;margin:.25rem 0 0;flex-basis:100%}
.demo{border:3px solid #8a4b00;background:#fff4e5;color:#3d2200;padding:.5rem .75rem;margin:1rem 0;font-weight:600}
h1{font-size:1.6rem;line-height:1.25}
h2{font-size:1.3rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.5rem 0}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--soft)}
.grid{overflow-x:auto}
.state{display:inline-flex;gap:.3rem;align-items:baseline;font-weight:600;white-space:nowrap}
.icon{font-family:monospace;font-weight:700;display:inline-block;min-width:1.1em;text-align:center;border-radius:3px;padding:0 .15rem}
.s-unknown{color:#4a4a4a}.s-unknown .icon{border:1px dashed #4a4a4a}
.s-operational{color:#1d6b2f}.s-operational .icon{border:1px solid #1d6b2f}
.s-under_maintenance{color:#1f4f8f}.s-under_maintenance .icon{border:1px solid #1f4f8f}
.s-degraded_performance{color:#7a4d00}.s-degraded_performance .icon{border:1px solid #7a4d00}
.s-partial_outage{color:#a33a00}.s-partial_outage .icon{border:2px solid #a33a00}
.s-major_outage{color:#b00020}.s-major_outage .icon{border:2px solid #b00020;background:#b00020;color:#fff}
.signal{border-left:4px solid #6b4fa0;padding-left:.75rem}
.tag{display:inline-block;border:1px solid #4a2f7a;color:#4a2f7a;border-radius:3px;padding:0 .3rem;font-size:.85rem;font-weight:700;margin-right:.4rem}
ol.timeline{padding-left:1.25rem}
ol.timeline li{margin:.75rem 0}
.meta{color:var(--muted);font-size:.9rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
blockquote{margin:.25rem 0;padding-left:.75rem;border-left:3px solid var(--line)}
footer{border-top:1px solid var(--line);margin-top:2rem;padding-top:.5rem;color:var(--muted);font-size:.9rem}
ul.places{columns:2 14rem}
`.trim();

/** The sheet's path: /static/vigie-<hash>.css. */
export const STYLE_PATH = `/static/vigie-${createHash('sha1').update(STYLE).digest('hex').slice(0, 10)}.css`;
