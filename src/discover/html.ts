import type { DiscoveryResult } from './discover.js';
import { formatLanguages, outcomeShares } from './output.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d2230;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}p.summary{color:#555;margin:0 0 1.5rem}
section.topic{border:1px solid #d8dce6;border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem}
section.topic h2{font-size:1.1rem;margin:0 0 .5rem;display:flex;gap:.75rem;align-items:baseline;flex-wrap:wrap}
.bar{height:6px;background:#e8ebf2;border-radius:3px;margin:.25rem 0 .75rem}.bar span{display:block;height:6px;background:#3b6fd8;border-radius:3px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0 0 .75rem}dt{color:#666}dd{margin:0}
ol{margin:0;padding-left:1.4rem}li{margin:.15rem 0}.terms span{display:inline-block;background:#eef2fb;border-radius:4px;padding:0 .4rem;margin:0 .25rem .25rem 0}
.muted{color:#777}
@media (prefers-color-scheme:dark){body{background:#14161c;color:#e6e8ee}section.topic{border-color:#333a48}.bar{background:#2a303c}dt,.muted,p.summary{color:#9aa3b5}.terms span{background:#27324a}}
`;

/**
 * A self-contained HTML page of the topics, largest first, with their terms, languages,
 * representative questions and nearest-intent hint: no scripts, fonts or links to fetch, so it
 * opens offline and can be mailed as one file.
 *
 * @example
 * writeFileAtomic('topics.html', renderTopicsHtml(result, { source: 'logs/' }));
 */
export function renderTopicsHtml(result: DiscoveryResult, options: { source?: string } = {}): string {
  const total = result.topics.reduce((sum, topic) => sum + topic.size, 0);
  const largest = Math.max(1, ...result.topics.map((topic) => topic.size));
  const sections = result.topics.map((topic) => {
    const shares = outcomeShares(topic);
    const hint = topic.hint
      ? `${escapeHtml(topic.hint.intent)} <span class="muted">(closeness ${topic.hint.closeness.toFixed(2)}, ${Math.round(topic.hint.agreement * 100)}% of its questions)</span>`
      : '<span class="muted">no model given</span>';
    return `<section class="topic" id="topic-${topic.id}">
<h2><span>Topic ${topic.id}</span><span class="muted">${topic.size.toLocaleString('en-US')} questions${topic.distinct !== topic.size ? ` (${topic.distinct.toLocaleString('en-US')} distinct)` : ''} · ${((topic.size / Math.max(1, total)) * 100).toFixed(1)}%</span></h2>
<div class="bar"><span style="width:${((topic.size / largest) * 100).toFixed(1)}%"></span></div>
<dl>
<dt>top terms</dt><dd class="terms">${topic.terms.length ? topic.terms.map((term) => `<span>${escapeHtml(term)}</span>`).join('') : '<span class="muted">–</span>'}</dd>
<dt>languages</dt><dd>${escapeHtml(formatLanguages(topic))}</dd>
<dt>outcome</dt><dd>${shares.escalated === '' ? '<span class="muted">not in the input</span>' : `${Math.round(Number(shares.escalated) * 100)}% escalated after an answer, ${Math.round(Number(shares.abstained) * 100)}% not answered`}</dd>
<dt>nearest intent</dt><dd>${hint}</dd>
</dl>
<ol>${topic.examples.map((example) => `<li>${escapeHtml(example)}</li>`).join('')}</ol>
</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Allina topics: ${result.topics.length} topics in ${total.toLocaleString('en-US')} questions</title>
<style>${STYLE}</style>
</head>
<body>
<h1>What the bot could not answer</h1>
<p class="summary">${total.toLocaleString('en-US')} questions${options.source ? ` from ${escapeHtml(options.source)}` : ''} in ${result.topics.length} topics, largest first (k = ${result.k}${result.automatic ? ', chosen by silhouette' : ', given'}). Label a topic in the topics CSV and run <code>allina review --topics</code> to turn it into review labels.</p>
${sections.join('\n')}
</body>
</html>
`;
}
