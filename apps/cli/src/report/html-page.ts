import { escapeHtml } from './escape-html';
import type { ReportTable } from './report-table';

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f5f6f8;color:#1d2330;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:26px;margin:4px 0 2px}
h2{font-size:19px;margin:0 0 12px;padding-bottom:6px;border-bottom:1px solid #e3e6eb}
h3{font-size:15px;margin:18px 0 8px;color:#3a4457}
.meta{color:#5b6577;margin:0 0 20px;font-size:14px}
section{background:#fff;border:1px solid #e3e6eb;border-radius:8px;padding:18px 22px;margin:0 0 20px}
.charts{display:flex;flex-wrap:wrap;gap:18px 28px;align-items:flex-start}
figure{margin:0;max-width:100%}
figure svg{display:block;max-width:100%;height:auto}
figcaption{font-size:13px;color:#5b6577;margin:4px 0 0;width:0;min-width:100%}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;font-size:13.5px;margin:0 0 6px}
th,td{padding:5px 10px;border-bottom:1px solid #eceef2;white-space:nowrap}
th{background:#f0f2f5;font-weight:600;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.reference td{color:#5b6577;font-style:italic;background:#fafbfc}
ul.notes{margin:10px 0 0;padding-left:20px;color:#3a4457;font-size:14px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
code{background:#f0f2f5;padding:1px 5px;border-radius:4px}
pre{background:#f6f7f9;border:1px solid #e3e6eb;border-radius:6px;padding:10px 12px;overflow:auto;max-height:420px}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0;font-size:14px}
dl.kv dt{color:#5b6577}
dl.kv dd{margin:0}
.retrieval{display:flex;flex-direction:column;gap:10px}
.retrieval-row{display:flex;gap:8px;align-items:flex-start;flex-wrap:wrap}
.tile{display:flex;flex-direction:column;align-items:center;font-size:11px;color:#3a4457;width:64px}
.tile img{width:56px;height:56px;image-rendering:pixelated;border:3px solid #ccc;border-radius:3px;background:#000}
.tile.query img{border-color:#1d2330}
.tile.hit img{border-color:#2e9e4f}
.tile.miss img{border-color:#d0453d}
.arrow{align-self:center;color:#8a93a3;font-size:20px;padding:0 4px 16px}
.legend{font-size:13px;color:#5b6577;margin:0 0 8px}
`;

/**
 * A complete, self-contained HTML document: inline CSS, no script, and a Content-Security-Policy that forbids any
 * network request (images only from data: URIs), so the page shows the same offline as online.
 */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/**
 * A {@link ReportTable} as an HTML table under an h3 caption (left out with `withCaption` false); untrained
 * reference rows get class "reference".
 */
export function htmlTable(table: ReportTable, withCaption = true): string {
  const head = table.columns
    .map((c) => `<th${c.align === 'right' ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`)
    .join('');
  const body = table.rows
    .map((row, r) => {
      const cells = row
        .map((cell, i) => `<td${table.columns[i]?.align === 'right' ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`)
        .join('');
      return `<tr${table.reference?.[r] ? ' class="reference"' : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `${withCaption ? `<h3>${escapeHtml(table.caption)}</h3>` : ''}
<div class="table-wrap"><table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>`;
}

/**
 * A chart: the SVG in a `<figure data-chart="name">` (the attribute lets tests and readers find every chart), with
 * an optional caption. `svg` is trusted markup from {@link renderVegaLiteSvg}; name and caption are escaped.
 */
export function chartFigure(name: string, svg: string, caption?: string): string {
  const cap = caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : '';
  return `<figure class="chart" data-chart="${escapeHtml(name)}">${svg}${cap}</figure>`;
}

/** A section with an h2 heading; `inner` is already-escaped markup. */
export function section(id: string, heading: string, inner: string): string {
  return `<section id="${escapeHtml(id)}">
<h2>${escapeHtml(heading)}</h2>
${inner}
</section>`;
}

/** A definition list of label → value pairs (both escaped). */
export function keyValueList(entries: readonly (readonly [string, string])[]): string {
  return `<dl class="kv">${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** A name made safe for an id or a data attribute: lower case letters, digits and dashes. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'item'
  );
}
