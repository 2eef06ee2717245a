import { countBars, rateHeatmap, rateLines, stackedBars, type HeatCell, type SeriesPoint } from './log-charts.js';
import type { DeflectionCounts, LogReport, TopQuestion } from './logs-report.js';

const escape = (value: unknown) => String(value).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);
const count = (value: number) => value.toLocaleString('en');

/** Outcome colours shared by the stacked bars and the tiles. */
const OUTCOME_SERIES = ['accepted', 'no feedback', 'escalated after answer', 'abstained'];
const OUTCOME_COLORS = ['#3ca951', '#97bbf5', '#ff725c', '#9c9c9c'];

function table(headers: string[], rows: unknown[][], numericFrom = 1): string {
  const head = headers.map((header, index) => `<th${index >= numericFrom ? ' class="n"' : ''}>${escape(header)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell, index) => `<td${index >= numericFrom ? ' class="n"' : ''}>${escape(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const countCells = (counts: DeflectionCounts) => [count(counts.questions), percent(counts.deflection), percent(counts.escalationAfterAnswer), percent(counts.abstention), count(counts.accepted), count(counts.noFeedback), count(counts.escalated), count(counts.abstained)];
const COUNT_HEADERS = ['questions', 'deflection', 'escalated after answer', 'abstention', 'accepted', 'no feedback', 'escalated', 'abstained'];

function topTable(questions: TopQuestion[], withReason: boolean): string {
  if (questions.length === 0) return '<p class="muted">none</p>';
  return table(['#', 'question (most frequent wording)', 'times', 'language', 'intent', ...(withReason ? ['reason'] : [])], questions.map((question, index) => [index + 1, question.text, count(question.count), question.language, question.intent, ...(withReason ? [question.reason] : [])]), 2);
}

/**
 * The report as one self-contained HTML file: inline CSS, charts as inline SVG rendered now (no
 * scripts, fonts, images or links to load), tables with every number. Buyer text is escaped.
 *
 * @example
 * writeFileAtomic('report.html', renderLogReportHtml(report));
 */
export async function renderLogReportHtml(report: LogReport, options: { title?: string; generatedAt?: Date } = {}): Promise<string> {
  const title = options.title ?? 'Allina: deflection report';
  const periodLabel = report.by === 'day' ? 'day (UTC)' : 'week from Monday (UTC)';
  const ratePoints: SeriesPoint[] = report.byPeriod.flatMap((row) => [
    { x: row.period, series: 'deflection', value: row.deflection ?? 0 },
    { x: row.period, series: 'escalated after answer', value: row.escalationAfterAnswer ?? 0 },
    { x: row.period, series: 'abstention', value: row.abstention ?? 0 },
  ]);
  const outcomePoints: SeriesPoint[] = report.byPeriod.flatMap((row) => [
    { x: row.period, series: 'accepted', value: row.accepted },
    { x: row.period, series: 'no feedback', value: row.noFeedback },
    { x: row.period, series: 'escalated after answer', value: row.escalated },
    { x: row.period, series: 'abstained', value: row.abstained },
  ]);
  const heat = new Map<string, HeatCell>();
  for (const segment of report.bySegment) {
    const key = `${segment.intent}\u0000${segment.language}\u0000${segment.modelVersion}`;
    heat.set(key, { row: segment.intent, column: segment.language, facet: segment.modelVersion, rate: segment.abstention ?? 0, questions: segment.questions });
  }
  const totals = report.totals;
  const tiles = [
    ['deflection', percent(totals.deflection), `${count(totals.accepted + totals.noFeedback)} of ${count(totals.questions)} questions answered and not escalated`],
    ['escalated after an answer', percent(totals.escalationAfterAnswer), `${count(totals.escalated)} of ${count(totals.answered)} answers`],
    ['abstention', percent(totals.abstention), `${count(totals.abstained)} questions went to the seller`],
    ['no feedback', count(totals.noFeedback), 'answered, buyer clicked nothing (counted as deflected)'],
  ];
  const source = report.source;
  const charts = report.byPeriod.length > 0
    ? await Promise.all([
        rateLines(ratePoints, { title: `Rates by ${report.by}`, xLabel: periodLabel }),
        stackedBars(outcomePoints, { title: `What happened to the questions, by ${report.by}`, xLabel: periodLabel, seriesOrder: OUTCOME_SERIES, colors: OUTCOME_COLORS }),
        rateHeatmap([...heat.values()], { title: 'Abstention by intent × language, per model version (% of questions)', rowLabel: 'predicted intent', columnLabel: 'language', facetLabel: 'model version', legend: 'abstention' }),
        ...(report.abstentionReasons.length > 0 ? [countBars(report.abstentionReasons.map((reason) => ({ label: reason.reason, value: reason.count })), { title: 'Why the bot abstained', xLabel: 'questions', color: '#9c9c9c' })] : []),
      ])
    : ['<p class="muted">No questions in these logs.</p>'];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; font-size: 1.2rem; }
.muted { color: #6e6e73; } .tiles { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1.5rem 0; }
.tile { border: 1px solid #d2d2d7; border-radius: 8px; padding: 0.8rem 1rem; min-width: 200px; flex: 1; }
.tile b { display: block; font-size: 1.8rem; } .tile span { font-size: 0.85rem; color: #6e6e73; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; } th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #e5e5ea; text-align: left; }
th { background: #f5f5f7; } .n { text-align: right; font-variant-numeric: tabular-nums; } figure { margin: 1rem 0; } h2 + figure, figure + figure { margin-top: 1.5rem; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p class="muted">${escape(`${count(source.events)} questions from ${source.files.length} log file${source.files.length === 1 ? '' : 's'}, ${report.from ?? '–'} to ${report.to ?? '–'}; ${count(source.skippedLines)} bad lines skipped, ${count(source.duplicateIds)} repeated ids counted once, ${count(source.outcomesWithoutDecision)} outcomes without their decision.${options.generatedAt ? ` Generated ${options.generatedAt.toISOString()}.` : ''}`)}</p>
<div class="tiles">${tiles.map(([name, value, note]) => `<div class="tile">${escape(name)}<b>${escape(value)}</b><span>${escape(note)}</span></div>`).join('')}</div>
<p class="muted">Deflection = answered and accepted (or answered with no feedback) / all questions. Escalated after an answer = escalated / answered. Abstention = not answered / all questions.</p>
<h2>Over time</h2>
${charts.join('\n')}
${table([report.by, ...COUNT_HEADERS], report.byPeriod.map((row) => [row.period, ...countCells(row)]))}
<h2>By intent × language × model version</h2>
${table(['intent', 'language', 'model version', ...COUNT_HEADERS], report.bySegment.map((row) => [row.intent, row.language, row.modelVersion, ...countCells(row)]), 3)}
<h2>Top abstained questions</h2>
${topTable(report.topAbstained, true)}
<h2>Top escalated questions (answered, then sent to the seller)</h2>
${topTable(report.topEscalated, false)}
</body>
</html>
`;
}
