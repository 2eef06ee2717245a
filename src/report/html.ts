/**
 * Building blocks of Allina's self-contained HTML reports: escaping, tables, sections, chart
 * figures and the page shell. The shell's Content-Security-Policy allows no script and no
 * network request at all, so a report opens the same offline and can never run buyer text.
 */

/**
 * Escapes text for HTML element content and attribute values. Every piece of data that reaches
 * a report (buyer questions above all) goes through it.
 *
 * @example
 * escapeHtml('<b>"Tom & Jerry"</b>') // → '&lt;b&gt;&quot;Tom &amp; Jerry&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Markup that is already safe HTML (built from escaped parts), as opposed to text to escape. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** Marks a string of markup as safe; use only on markup built by these helpers or a chart. */
export function html(markup: string): Html {
  return new Html(markup);
}

/** A table cell: text (escaped), markup, or a cell with a class (e.g. `num` to right-align). */
export type Cell = string | number | Html | { content: string | number | Html; className?: string };

function renderCell(tag: 'td' | 'th', cell: Cell): string {
  if (typeof cell === 'object' && !(cell instanceof Html)) {
    const className = cell.className ? ` class="${escapeHtml(cell.className)}"` : '';
    return `<${tag}${className}>${renderContent(cell.content)}</${tag}>`;
  }
  return `<${tag}${typeof cell === 'number' ? ' class="num"' : ''}>${renderContent(cell)}</${tag}>`;
}

function renderContent(content: string | number | Html): string {
  return content instanceof Html ? content.markup : escapeHtml(content);
}

/** A table row with a class (e.g. `answered-wrong` to shade it). */
export interface Row {
  cells: Cell[];
  className?: string;
}

/**
 * A table with a header row. Numbers are right-aligned.
 *
 * @example
 * table(['language', 'macro-F1'], [['pl', 0.923]]).markup.includes('<td class="num">0.923</td>') // → true
 */
export function table(header: Cell[], rows: (Cell[] | Row)[], className = ''): Html {
  const head = `<thead><tr>${header.map((cell) => renderCell('th', cell)).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((row) => {
    const { cells, className: rowClass } = Array.isArray(row) ? { cells: row, className: undefined } : row;
    return `<tr${rowClass ? ` class="${escapeHtml(rowClass)}"` : ''}>${cells.map((cell) => renderCell('td', cell)).join('')}</tr>`;
  }).join('')}</tbody>`;
  return html(`<div class="table-wrap"><table${className ? ` class="${escapeHtml(className)}"` : ''}>${head}${body}</table></div>`);
}

/** A chart (an SVG string from charts.ts) with its caption. */
export function figure(svg: string, caption: string | Html): Html {
  return html(`<figure class="chart">${svg}<figcaption>${renderContent(caption)}</figcaption></figure>`);
}

/** A report section with an anchor, a heading and an optional one-paragraph explanation (`code` in backquotes). */
export function section(id: string, title: string, parts: (Html | string)[], lead?: string | Html): Html {
  const leadMarkup = lead === undefined ? '' : `<p class="lead">${lead instanceof Html ? lead.markup : withCode(lead)}</p>`;
  return html(`<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>${leadMarkup}${parts.map((part) => (part instanceof Html ? part.markup : `<p>${escapeHtml(part)}</p>`)).join('\n')}</section>`);
}

/** Escaped text in which `backquoted` words become code. */
function withCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** A pass/fail badge for a metric against its target (neutral when there is no target). */
export function badge(passed: boolean | undefined): Html {
  if (passed === undefined) return html('<span class="badge none">–</span>');
  return html(passed ? '<span class="badge pass">✔ met</span>' : '<span class="badge fail">✖ missed</span>');
}

/** Fraction as a percentage with one decimal. */
export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** Number with `digits` decimals. */
export function decimal(value: number, digits = 3): string {
  return value.toFixed(digits);
}

const STYLE = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --pass: #1a7f37; --fail: #cf222e; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
header.top { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: var(--soft); }
header.top h1 { margin: 0 0 4px; font-size: 22px; }
header.top p { margin: 2px 0; color: var(--muted); }
nav { margin-top: 10px; display: flex; flex-wrap: wrap; gap: 4px 14px; }
nav a { color: var(--accent); text-decoration: none; font-size: 13px; }
main { padding: 8px 32px 48px; max-width: 1320px; }
section { margin-top: 28px; }
h2 { font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
p.lead { color: var(--muted); margin: 0 0 10px; max-width: 900px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.text { max-width: 520px; }
tr.answered-wrong td { background: #fff1f0; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.pass { color: var(--pass); background: #dafbe1; }
.badge.fail { color: var(--fail); background: #ffebe9; }
.badge.none { color: var(--muted); }
.delta.up { color: var(--pass); } .delta.down { color: var(--fail); }
.charts { display: flex; flex-wrap: wrap; gap: 18px 28px; align-items: flex-start; }
figure.chart { margin: 0; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12px; max-width: 520px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
ul.examples { margin: 0; padding-left: 16px; }
.note { color: var(--muted); font-size: 12px; }
@media print { nav { display: none; } section { break-inside: avoid-page; } }
`;

/**
 * The whole page: one file, inline CSS, inline SVG charts, no script, no external resource (the
 * Content-Security-Policy forbids both, so a report cannot reach the network even by mistake).
 *
 * @example
 * page('Evaluation', html('<p>subtitle</p>'), [section('intro', 'Intro', ['text'])], [['intro', 'Intro']]).startsWith('<!doctype html>') // → true
 */
export function page(title: string, subtitle: Html, sections: Html[], navigation: [id: string, label: string][]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="allina">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><h1>${escapeHtml(title)}</h1>${subtitle.markup}
<nav>${navigation.map(([id, label]) => `<a href="#${escapeHtml(id)}">${escapeHtml(label)}</a>`).join('')}</nav></header>
<main>
${sections.map((part) => part.markup).join('\n')}
</main>
</body>
</html>
`;
}
