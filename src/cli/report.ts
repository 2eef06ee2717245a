import type { EvaluationReport, GroupView } from '../eval/metrics.js';
import { formatNumber, formatPercent, renderTable } from './table.js';

/** The human-readable form of an evaluation report (`allina eval` without --json). */
export function formatEvaluationReport(report: EvaluationReport, title: string): string {
  const sections: string[] = [];
  sections.push(`${title}: ${report.examples} questions, accuracy ${formatPercent(report.accuracy)}, macro-F1 ${formatNumber(report.macroF1)}, ECE ${formatNumber(report.ece)}`);
  sections.push(renderTable(['language', 'questions', 'accuracy', 'macro-F1'], Object.entries(report.perLanguage).map(([language, scores]) => [language, scores.examples, formatPercent(scores.accuracy), formatNumber(scores.macroF1)])));
  sections.push(renderTable(['intent', 'precision', 'recall', 'F1', 'support'], report.perIntent.map((scores) => [scores.intent, formatNumber(scores.precision), formatNumber(scores.recall), formatNumber(scores.f1), scores.support])));
  const short = (label: string) => label.split('_').map((part) => part.slice(0, 4)).join('_');
  sections.push(`confusion (rows: true intent, columns: predicted)\n${renderTable(['', ...report.confusion.labels.map(short)], report.confusion.matrix.map((row, index) => [short(report.confusion.labels[index]), ...row]))}`);
  const abstention = report.abstention;
  sections.push(
    [
      'abstention (what the bot would answer):',
      `  answered precision ${formatPercent(abstention.answeredPrecision)} on ${abstention.answered} answered`,
      `  coverage ${formatPercent(abstention.coverage)} of questions with an answerable intent answered correctly`,
      `  answered anyway: ${formatPercent(abstention.nonAnswerableAnswerRate)} of non-answerable, ${formatPercent(abstention.otherAnswerRate)} of 'other'`,
      `  reasons: ${Object.entries(abstention.reasons).map(([reason, count]) => `${reason} ${count}`).join(', ')}`,
    ].join('\n'),
  );
  const groupTable = (heading: string, views: GroupView[]) => renderTable(
    [heading, 'questions', 'answered', 'answered wrong', 'answered precision', "'other' answered", 'top reasons'],
    views.map((view) => [view.group, view.examples, view.answered, view.answeredWrong, formatPercent(view.answeredPrecision), formatPercent(view.otherAnswerRate), topReasons(view.reasons)]),
  );
  if (report.byKind) sections.push(`by kind\n${groupTable('kind', report.byKind)}`);
  if (report.byLanguageCode && report.byLanguageCode.length > 1) sections.push(`by lang code\n${groupTable('lang', report.byLanguageCode)}`);
  sections.push(`risk–coverage over thresholds\n${renderTable(['threshold', 'answered', 'precision', 'coverage', 'other answered'], report.riskCoverage.map((point) => [formatNumber(point.threshold, 2), point.answered, formatPercent(point.answeredPrecision), formatPercent(point.coverage), formatPercent(point.otherAnswerRate)]))}`);
  return sections.join('\n\n');
}

function topReasons(reasons: Record<string, number>): string {
  return Object.entries(reasons).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([reason, count]) => `${reason} ${count}`).join(', ');
}
