import { writeFileAtomic } from '../util/atomic-write.js';
import { barChart, heatmap, histogram, lineChart, type HeatCell, type LinePoint, type Marker } from './charts.js';
import type { LabelledExample } from '../data/csv.js';
import type { AllinaModel, DecisionOptions } from '../index.js';
import { evaluateForReport, mostHarmfulFirst, type ModelEvaluation, type QuestionOutcome } from './eval-data.js';
import { badge, decimal, escapeHtml, figure, html, page, percent, section, table, type Cell, type Html } from './html.js';
import { QUALITY_TARGETS } from './targets.js';

/** What the evaluation report is built from. */
export interface EvalReportInput {
  /** One model, or two to compare (the first is the reference, the second the one compared). */
  evaluations: ModelEvaluation[];
  /** The data the models were evaluated on, as the user gave it (e.g. `data/test`). */
  data: string;
  generatedAt?: Date;
  /** Most wrong questions listed per model (default 300; all are counted). */
  errorLimit?: number;
}

const RIGHT_COLOUR = '#59a14f';
const WRONG_COLOUR = '#e15759';
const COMPARE_COLOURS = ['#59a14f', '#e15759', '#4e79a7', '#f28e2b'];

/**
 * The evaluation report as one self-contained HTML page: headline metrics against the targets,
 * per-language table, confusion heat-maps (all and per language), risk–coverage with the
 * threshold in force, reliability diagram with ECE, confidence histograms of right and wrong
 * answers, the top confusions with examples, the wrong questions (answered ones first) and the
 * models' manifests. Charts are inline SVG; the page has no script and loads nothing.
 *
 * @example
 * const evaluation = evaluateForReport(loadModel(), readLabelledData(['data/test']), 'models/default');
 * const markup = await renderEvalReport({ evaluations: [evaluation], data: 'data/test' });
 */
export async function renderEvalReport(input: EvalReportInput): Promise<string> {
  const { evaluations } = input;
  if (evaluations.length < 1 || evaluations.length > 2) throw new Error('an evaluation report shows one or two models');
  const names = modelNames(evaluations);
  const compare = evaluations.length === 2;
  const sections = await Promise.all([
    headlineSection(evaluations, names),
    languageSection(evaluations, names),
    confusionSection(evaluations, names),
    riskCoverageSection(evaluations, names),
    calibrationSection(evaluations, names),
    histogramSection(evaluations, names),
    topConfusionSection(evaluations, names),
    ...(compare ? [disagreementSection(evaluations, names, input.errorLimit ?? 300)] : []),
    errorSection(evaluations, names, input.errorLimit ?? 300),
    manifestSection(evaluations, names),
  ]);
  const navigation: [string, string][] = [
    ['headline', 'Headline'], ['languages', 'Languages'], ['confusion', 'Confusion'], ['risk-coverage', 'Risk–coverage'],
    ['calibration', 'Calibration'], ['confidence', 'Confidence'], ['top-confusions', 'Top confusions'],
    ...(compare ? [['disagreements', 'Disagreements'] as [string, string]] : []),
    ['errors', 'Errors'], ['manifest', 'Manifest'],
  ];
  const examples = evaluations[0].report.examples;
  const generated = (input.generatedAt ?? new Date()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const subtitle = html(`<p>${compare ? `<b>${escapeHtml(names[0])}</b> compared with <b>${escapeHtml(names[1])}</b>` : `model <b>${escapeHtml(names[0])}</b>`} on <span class="mono">${escapeHtml(input.data)}</span> · ${examples.toLocaleString('en')} questions · generated ${escapeHtml(generated)}</p>`);
  return page(compare ? 'Allina evaluation: two models compared' : 'Allina evaluation report', subtitle, sections, navigation);
}

/**
 * Renders the report and writes it atomically (a reader never sees half a file).
 *
 * @example
 * await writeEvalReport('report.html', { evaluations: [evaluation], data: 'data/test' });
 */
export async function writeEvalReport(file: string, input: EvalReportInput): Promise<void> {
  writeFileAtomic(file, await renderEvalReport(input));
}

/** Display names: model versions, or "A: version" / "B: version" when both are the same version. */
function modelNames(evaluations: ModelEvaluation[]): string[] {
  const versions = evaluations.map((evaluation) => evaluation.manifest.modelVersion);
  if (new Set(versions).size === versions.length) return versions;
  return evaluations.map((evaluation, index) => `${'AB'[index]}: ${evaluation.manifest.modelVersion} (${evaluation.directory})`);
}

/** A signed change, green when better, red when worse (`better`: which direction is better, if any). */
function change(before: number, after: number, format: (value: number) => string, better: 'higher' | 'lower' | 'neither'): Cell {
  const difference = after - before;
  if (Math.abs(difference) < 1e-12) return { content: '±0', className: 'num' };
  const text = `${difference > 0 ? '+' : '−'}${format(Math.abs(difference))}`;
  const direction = better === 'neither' ? '' : (better === 'higher') === difference > 0 ? ' up' : ' down';
  return { content: html(`<span class="delta${direction}">${escapeHtml(text)}</span>`), className: 'num' };
}

function points(value: number): string {
  return `${(value * 100).toFixed(1)} pts`;
}

function number(value: number | string): Cell {
  return { content: value, className: 'num' };
}

async function headlineSection(evaluations: ModelEvaluation[], names: string[]): Promise<Html> {
  type Row = { name: string; value: (evaluation: ModelEvaluation) => number; format: (value: number) => string; target?: string; passes?: (value: number) => boolean; better?: 'higher' | 'lower' | 'neither'; changeFormat?: (value: number) => string };
  const worstLanguage = (evaluation: ModelEvaluation) => Math.min(...Object.values(evaluation.report.perLanguage).map((scores) => scores.macroF1));
  const hasLanguages = evaluations.every((evaluation) => Object.keys(evaluation.report.perLanguage).length > 0);
  const rows: Row[] = [
    { name: 'accuracy', value: (evaluation) => evaluation.report.accuracy, format: percent, changeFormat: points },
    { name: 'macro-F1', value: (evaluation) => evaluation.report.macroF1, format: decimal, target: `≥ ${QUALITY_TARGETS.macroF1}`, passes: (value) => value >= QUALITY_TARGETS.macroF1 },
    // Data only in languages the bot does not answer in has no supported language to be worst.
    ...(hasLanguages ? [{ name: 'worst language macro-F1', value: worstLanguage, format: decimal, target: `≥ ${QUALITY_TARGETS.languageMacroF1}`, passes: (value: number) => value >= QUALITY_TARGETS.languageMacroF1 }] : []),
    { name: 'answered precision', value: (evaluation) => evaluation.report.abstention.answeredPrecision, format: percent, target: `≥ ${percent(QUALITY_TARGETS.answeredPrecision)}`, passes: (value) => value >= QUALITY_TARGETS.answeredPrecision, changeFormat: points },
    { name: 'coverage (correct answers / answerable questions)', value: (evaluation) => evaluation.report.abstention.coverage, format: percent, target: `≥ ${percent(QUALITY_TARGETS.coverage)}`, passes: (value) => value >= QUALITY_TARGETS.coverage, changeFormat: points },
    { name: "'other' questions answered", value: (evaluation) => evaluation.report.abstention.otherAnswerRate, format: percent, target: `≤ ${percent(QUALITY_TARGETS.otherAnswerRate)}`, passes: (value) => value <= QUALITY_TARGETS.otherAnswerRate, better: 'lower', changeFormat: points },
    { name: 'non-answerable questions answered', value: (evaluation) => evaluation.report.abstention.nonAnswerableAnswerRate, format: percent, better: 'lower', changeFormat: points },
    { name: 'questions answered', value: (evaluation) => evaluation.report.abstention.answered, format: (value) => value.toLocaleString('en'), better: 'neither' },
    { name: 'ECE (expected calibration error)', value: (evaluation) => evaluation.report.ece, format: (value) => decimal(value, 4), better: 'lower' },
    { name: 'confidence threshold in force', value: (evaluation) => evaluation.threshold, format: decimal, better: 'neither' },
  ];
  const header: Cell[] = ['metric', 'target', ...names.flatMap((name) => [name, 'target met']), ...(evaluations.length === 2 ? ['change'] : [])];
  const body = rows.map((row) => {
    const values = evaluations.map(row.value);
    const cells: Cell[] = [row.name, row.target ?? '–'];
    for (const value of values) cells.push(number(row.format(value)), row.passes ? badge(row.passes(value)) : badge(undefined));
    if (evaluations.length === 2) cells.push(change(values[0], values[1], row.changeFormat ?? row.format, row.better ?? 'higher'));
    return cells;
  });
  const chart = await barChart(
    evaluations.flatMap((evaluation, index) => [
      { category: 'accuracy', value: evaluation.report.accuracy, series: names[index] },
      { category: 'macro-F1', value: evaluation.report.macroF1, series: names[index] },
      { category: 'answered precision', value: evaluation.report.abstention.answeredPrecision, series: names[index] },
      { category: 'coverage', value: evaluation.report.abstention.coverage, series: names[index] },
    ]),
    { title: 'Headline metrics', yDomain: [0, 1], format: '.0%', width: 360, height: 200 },
  );
  return section('headline', 'Headline metrics', [html(`<div class="charts">${table(header, body, 'headline').markup}${figure(chart, 'Accuracy, macro-F1, answered precision and coverage (0–100%).').markup}</div>`)],
    'Scored the same way as `allina eval` (the numbers match its output). Targets are the project\u2019s quality targets; a question in a language the bot does not answer counts as `other`.');
}

async function languageSection(evaluations: ModelEvaluation[], names: string[]): Promise<Html> {
  const languages = Object.keys(evaluations[0].report.perLanguage);
  const compare = evaluations.length === 2;
  const groupOf = (evaluation: ModelEvaluation, language: string) => evaluation.report.byLanguageCode?.find((view) => view.group === language);
  const header: Cell[] = compare
    ? ['language', 'questions', `macro-F1 ${names[0]}`, `macro-F1 ${names[1]}`, 'change', `answered precision ${names[0]}`, `answered precision ${names[1]}`, 'target met (both)']
    : ['language', 'questions', 'accuracy', 'macro-F1', `target ≥ ${QUALITY_TARGETS.languageMacroF1}`, 'answered', 'answered wrong', 'answered precision', "'other' answered"];
  const rows: Cell[][] = languages.map((language) => {
    const scores = evaluations.map((evaluation) => evaluation.report.perLanguage[language]);
    const groups = evaluations.map((evaluation) => groupOf(evaluation, language));
    if (compare) {
      return [language, number(scores[0].examples), number(decimal(scores[0].macroF1)), number(decimal(scores[1]?.macroF1 ?? 0)), change(scores[0].macroF1, scores[1]?.macroF1 ?? 0, decimal, 'higher'),
        number(groups[0] ? percent(groups[0].answeredPrecision) : '–'), number(groups[1] ? percent(groups[1].answeredPrecision) : '–'),
        badge(scores.every((score) => score && score.macroF1 >= QUALITY_TARGETS.languageMacroF1))];
    }
    const group = groups[0];
    return [language, number(scores[0].examples), number(percent(scores[0].accuracy)), number(decimal(scores[0].macroF1)), badge(scores[0].macroF1 >= QUALITY_TARGETS.languageMacroF1),
      number(group?.answered ?? 0), number(group?.answeredWrong ?? 0), number(group ? percent(group.answeredPrecision) : '–'), number(group ? percent(group.otherAnswerRate) : '–')];
  });
  // Languages the bot does not answer in, by code (open-world data): what happened to them.
  const unsupported = (evaluations[0].report.byLanguageCode ?? []).filter((view) => !languages.includes(view.group));
  const parts: Html[] = [];
  if (languages.length === 0) parts.push(html('<p>None of these questions is in a language the bot answers in.</p>'));
  else {
    const chart = await barChart(
      evaluations.flatMap((evaluation, index) => languages.map((language) => ({ category: language, value: evaluation.report.perLanguage[language]?.macroF1 ?? 0, series: names[index] }))),
      { title: 'Macro-F1 by language', yDomain: [0, 1], width: 360, height: 200 },
    );
    parts.push(html(`<div class="charts">${table(header, rows).markup}${figure(chart, `Macro-F1 per language (target ≥ ${QUALITY_TARGETS.languageMacroF1}).`).markup}</div>`));
  }
  if (unsupported.length) {
    parts.push(html('<h3>Languages the bot does not answer in</h3>'));
    parts.push(table(['lang', 'questions', 'answered', 'refused as unsupported_language'], unsupported.map((view) => [view.group, number(view.examples), number(view.answered), number(view.reasons.unsupported_language ?? 0)])));
  }
  return section('languages', 'Per language', parts, 'Accuracy and macro-F1 per supported language; answered precision and the share of `other` questions answered per `lang` code.');
}

/** Confusion matrix as heat-map cells: colour = share of the true intent's questions, text = count. */
function confusionCells(labels: string[], matrix: number[][]): HeatCell[] {
  return labels.flatMap((actual, row) => {
    const total = matrix[row].reduce((sum, count) => sum + count, 0);
    return labels.map((predicted, column) => ({ row: actual, column: predicted, value: total ? matrix[row][column] / total : 0, label: matrix[row][column] ? String(matrix[row][column]) : '' }));
  });
}

/** Rows and columns of the intents that occur (as truth or prediction), in the model's order. */
function presentLabels(labels: string[], matrix: number[][]): string[] {
  return labels.filter((_, index) => matrix[index].some((count) => count > 0) || matrix.some((row) => row[index] > 0));
}

async function confusionSection(evaluations: ModelEvaluation[], names: string[]): Promise<Html> {
  const parts: Html[] = [];
  const overall = await Promise.all(evaluations.map((evaluation, index) => {
    const { labels, matrix } = evaluation.report.confusion;
    const shown = presentLabels(labels, matrix);
    return heatmap(confusionCells(labels, matrix).filter((cell) => shown.includes(cell.row) && shown.includes(cell.column)), {
      title: `Confusion matrix, all languages, ${names[index]}`, rows: shown, columns: shown, xTitle: 'predicted intent', yTitle: 'true intent', valueTitle: 'share of row', valueDomain: [0, 1], cellSize: 36,
    }).then((svg) => figure(svg, `${names[index]}: all ${evaluation.report.examples.toLocaleString('en')} questions. Numbers are questions; colour is the share of the true intent's questions.`));
  }));
  parts.push(html(`<div class="charts">${overall.map((part) => part.markup).join('')}</div>`));
  parts.push(html('<h3>Per language</h3>'));
  const languages = evaluations[0].confusionByLanguage.map((entry) => entry.language);
  const perLanguage = await Promise.all(languages.flatMap((language) => evaluations.map((evaluation, index) => {
    const entry = evaluation.confusionByLanguage.find((candidate) => candidate.language === language);
    if (!entry) return Promise.resolve(html(''));
    const shown = presentLabels(entry.labels, entry.matrix);
    return heatmap(confusionCells(entry.labels, entry.matrix).filter((cell) => shown.includes(cell.row) && shown.includes(cell.column)), {
      title: `Confusion matrix, ${language}, ${names[index]}`, rows: shown, columns: shown, valueTitle: 'share of row', valueDomain: [0, 1], cellSize: 24,
    }).then((svg) => figure(svg, `${language}${evaluations.length === 2 ? `, ${names[index]}` : ''}: ${entry.examples.toLocaleString('en')} questions`));
  })));
  parts.push(html(`<div class="charts">${perLanguage.map((part) => part.markup).join('')}</div>`));
  return section('confusion', 'Confusion matrix', parts, 'Rows are the true intent, columns the predicted one (the top intent, answered or not). The diagonal is right.');
}

async function riskCoverageSection(evaluations: ModelEvaluation[], names: string[]): Promise<Html> {
  const curve: LinePoint[] = [];
  const markers: Marker[] = [];
  evaluations.forEach((evaluation, index) => {
    for (const point of evaluation.riskCoverage) if (point.answered > 0) curve.push({ x: point.coverage, y: 1 - point.answeredPrecision, series: names[index] });
    const chosen = evaluation.riskCoverage.find((point) => point.threshold === evaluation.threshold);
    if (chosen) markers.push({ x: chosen.coverage, y: chosen.answered ? 1 - chosen.answeredPrecision : 0, label: `${evaluations.length === 2 ? `${'AB'[index]}: ` : ''}threshold ${decimal(evaluation.threshold)}`, series: names[index] });
  });
  const chart = await lineChart(curve, { title: 'Risk–coverage curve', xTitle: 'coverage (correct answers / answerable questions)', yTitle: 'risk (share of answers that are wrong)', xFormat: '.0%', yFormat: '.1%', markers, width: 460, height: 280 });
  const tables = evaluations.map((evaluation, index) => {
    const rows = evaluation.report.riskCoverage.map((point): Cell[] => [
      { content: `${decimal(point.threshold, 2)}${point.threshold === evaluation.threshold ? ' (in force)' : ''}`, className: 'num' },
      number(point.answered), number(percent(point.answeredPrecision)), number(percent(point.coverage)), number(percent(point.otherAnswerRate)),
    ]);
    return html(`<div>${evaluations.length === 2 ? `<h3>${escapeHtml(names[index])}</h3>` : ''}${table(['threshold', 'answered', 'answered precision', 'coverage', "'other' answered"], rows).markup}</div>`);
  });
  return section('risk-coverage', 'Risk–coverage', [html(`<div class="charts">${figure(chart, 'Each point is a confidence threshold from 0 to 1 in steps of 0.01, every other check of the decision unchanged; the diamond is the threshold in force. Lower and further right is better.').markup}${tables.map((part) => part.markup).join('')}</div>`)],
    'What the bot would answer at other confidence thresholds: coverage gained against the share of answers that are wrong. The table has the thresholds `allina eval` prints.');
}

async function calibrationSection(evaluations: ModelEvaluation[], names: string[]): Promise<Html> {
  const curve: LinePoint[] = evaluations.flatMap((evaluation, index) => evaluation.reliability.filter((bin) => bin.count > 0).map((bin) => ({ x: bin.confidence, y: bin.accuracy, series: names[index] })));
  const chart = await lineChart(curve, { title: 'Reliability diagram', xTitle: 'mean confidence in bin', yTitle: 'accuracy in bin', xDomain: [0, 1], yDomain: [0, 1], diagonal: true, width: 320, height: 320 });
  const eces = evaluations.map((evaluation, index) => `${evaluations.length === 2 ? `${names[index]}: ` : ''}ECE ${decimal(evaluation.report.ece, 4)}`).join(' · ');
  const bins = evaluations.map((evaluation, index) => html(`<div>${evaluations.length === 2 ? `<h3>${escapeHtml(names[index])}</h3>` : ''}${table(['confidence', 'questions', 'mean confidence', 'accuracy'], evaluation.reliability.filter((bin) => bin.count > 0).map((bin) => [number(`${decimal(bin.from, 2)}–${decimal(bin.to, 2)}`), number(bin.count), number(decimal(bin.confidence)), number(percent(bin.accuracy))])).markup}</div>`));
  return section('calibration', 'Calibration', [html(`<div class="charts">${figure(chart, `${eces}. 15 equal-width confidence bins (empty ones left out); on the dashed diagonal, confidence equals accuracy.`).markup}${bins.map((part) => part.markup).join('')}</div>`)],
    `Is a confidence of 0.8 right 80% of the time? ${eces} (the bin-size-weighted gap between confidence and accuracy; 0 is perfect).`);
}

async function histogramSection(evaluations: ModelEvaluation[], names: string[]): Promise<Html> {
  const compare = evaluations.length === 2;
  const seriesName = (index: number, right: boolean) => `${compare ? `${names[index]}: ` : ''}${right ? 'right' : 'wrong'}`;
  const data = evaluations.flatMap((evaluation, index) => evaluation.questions.map((question) => ({ value: question.confidence, series: seriesName(index, question.predicted === question.actual) })));
  const order = evaluations.flatMap((_, index) => [seriesName(index, true), seriesName(index, false)]);
  const counts = order.map((name) => `${name} ${data.filter((datum) => datum.series === name).length.toLocaleString('en')}`).join(', ');
  const chart = await histogram(data, { title: 'Confidence of right and wrong predictions', xTitle: 'confidence of the top intent', extent: [0, 1], step: 0.05, seriesOrder: order, seriesColors: compare ? COMPARE_COLOURS : [RIGHT_COLOUR, WRONG_COLOUR], width: 460, height: 90 });
  const thresholds = evaluations.map((evaluation, index) => `${compare ? `${names[index]} ` : ''}${decimal(evaluation.threshold)}`).join(', ');
  return section('confidence', 'Confidence of right and wrong predictions', [figure(chart, `Questions per 0.05 of confidence (${counts}); each panel has its own count axis. Threshold in force: ${thresholds}.`)],
    'Wrong predictions should sit at low confidence, below the threshold, where the bot does not answer.');
}

function exampleList(examples: QuestionOutcome[]): Html {
  return html(`<ul class="examples">${examples.map((question) => `<li>${escapeHtml(question.text)} <span class="note">${escapeHtml(question.lang)} · ${decimal(question.confidence, 2)} · ${question.answer ? '<b>answered</b>' : escapeHtml(question.reason)}</span></li>`).join('')}</ul>`);
}

function topConfusionSection(evaluations: ModelEvaluation[], names: string[]): Html {
  const parts = evaluations.map((evaluation, index) => {
    const rows = evaluation.confusions.map((confusion): Cell[] => [confusion.actual, confusion.predicted, number(confusion.count), number(confusion.answered), exampleList(confusion.examples)]);
    const heading = evaluations.length === 2 ? `<h3>${escapeHtml(names[index])}</h3>` : '';
    return html(`${heading}${rows.length ? table(['true intent', 'predicted', 'questions', 'answered (wrong answers seen)', 'examples'], rows).markup : '<p>No question was taken for another intent.</p>'}`);
  });
  return section('top-confusions', 'Top confusions', parts, 'The most frequent (true → predicted) mistakes, with example questions: answered ones first, then the most confident.');
}

function outcomeTable(questions: QuestionOutcome[], limit: number): Html {
  const shown = questions.slice(0, limit);
  const rows = shown.map((question, index) => ({
    // Answered-and-wrong rows stand out: they are what a buyer saw.
    className: question.answer ? 'answered-wrong' : undefined,
    cells: [number(index + 1), { content: question.text, className: 'text' }, question.lang, question.actual, question.predicted, number(decimal(question.confidence)), question.answer ? html('<b>answered</b>') : question.reason] as Cell[],
  }));
  const more = questions.length > shown.length ? `<p class="note">${(questions.length - shown.length).toLocaleString('en')} more not listed.</p>` : '';
  return html(table(['#', 'question', 'lang', 'true intent', 'predicted', 'confidence', 'answered / reason'], rows, 'outcomes').markup + more);
}

function errorSection(evaluations: ModelEvaluation[], names: string[], limit: number): Html {
  const parts = evaluations.map((evaluation, index) => {
    const answeredWrong = evaluation.errors.filter((question) => question.answer).length;
    const heading = evaluations.length === 2 ? `<h3>${escapeHtml(names[index])}</h3>` : '';
    const summary = `<p>${evaluation.errors.length.toLocaleString('en')} of ${evaluation.report.examples.toLocaleString('en')} questions wrongly classified; <b>${answeredWrong} answered</b> (listed first, shaded), ${evaluation.errors.length - answeredWrong} not answered.</p>`;
    return html(heading + summary + (evaluation.errors.length ? outcomeTable(evaluation.errors, limit).markup : ''));
  });
  return section('errors', 'Wrong predictions', parts, 'Every question whose top intent is wrong: the ones the bot answered come first (a buyer got a wrong answer), then the rest by confidence.');
}

function disagreementSection(evaluations: ModelEvaluation[], names: string[], limit: number): Html {
  const [reference, compared] = evaluations;
  const fixed: QuestionOutcome[] = [];
  const broken: QuestionOutcome[] = [];
  reference.questions.forEach((before, index) => {
    const after = compared.questions[index];
    const wasRight = before.predicted === before.actual;
    const isRight = after.predicted === after.actual;
    if (wasRight && !isRight) broken.push(after);
    if (!wasRight && isRight) fixed.push(before);
  });
  return section('disagreements', 'Where the two models disagree', [
    html(`<p><b>${fixed.length}</b> questions ${escapeHtml(names[0])} got wrong are right with ${escapeHtml(names[1])}; <b>${broken.length}</b> it got right are wrong with ${escapeHtml(names[1])}.</p>`),
    html(`<h3>Newly wrong with ${escapeHtml(names[1])} (its prediction)</h3>`),
    broken.length ? outcomeTable(broken.sort(mostHarmfulFirst), limit) : html('<p>None.</p>'),
    html(`<h3>Fixed by ${escapeHtml(names[1])} (${escapeHtml(names[0])}'s wrong prediction)</h3>`),
    fixed.length ? outcomeTable(fixed.sort(mostHarmfulFirst), limit) : html('<p>None.</p>'),
  ], 'The same questions, classified by both models.');
}

function manifestSection(evaluations: ModelEvaluation[], names: string[]): Html {
  const fields: [string, (evaluation: ModelEvaluation) => string][] = [
    ['model version', (evaluation) => evaluation.manifest.modelVersion],
    ['directory', (evaluation) => evaluation.directory],
    ['created', (evaluation) => evaluation.manifest.createdAt],
    ['artifact format', (evaluation) => `${evaluation.manifest.format} v${evaluation.manifest.formatVersion}`],
    ['data hash (sha256)', (evaluation) => evaluation.manifest.training.dataHash],
    ['seed', (evaluation) => String(evaluation.manifest.training.seed)],
    ['training files', (evaluation) => evaluation.manifest.training.dataFiles.join(', ')],
    ['examples: train / dev / tuning / augmented', (evaluation) => { const training = evaluation.manifest.training; return `${training.trainExamples} / ${training.devExamples} / ${training.tuningExamples ?? '–'} / ${training.augmentedExamples}`; }],
    ['epochs run (best)', (evaluation) => `${evaluation.manifest.training.epochsRun} (${evaluation.manifest.training.bestEpoch})`],
    ['training time, backend', (evaluation) => `${evaluation.manifest.training.seconds.toFixed(0)} s, ${evaluation.manifest.training.backend}`],
    ['intents', (evaluation) => evaluation.manifest.intents.join(', ')],
    ['answerable intents', (evaluation) => evaluation.manifest.answerableIntents.join(', ')],
    ['languages', (evaluation) => evaluation.manifest.languages.join(', ')],
    ['temperature (dev ECE before → after)', (evaluation) => { const calibration = evaluation.manifest.calibration; return `${decimal(calibration.temperature)} (${decimal(calibration.devEceBefore, 4)} → ${decimal(calibration.devEceAfter, 4)})`; }],
    ['threshold / margin (target precision)', (evaluation) => { const decision = evaluation.manifest.decision; return `${decimal(decision.threshold)} / ${decision.margin} (${percent(decision.targetPrecision)})`; }],
    ['familiarity cuts (overall / intent / word)', (evaluation) => `${evaluation.manifest.decision.minimumFamiliarity ?? 0} / ${evaluation.manifest.decision.minimumIntentFamiliarity ?? 0} / ${evaluation.manifest.decision.minimumWordFamiliarity ?? 0}`],
    ['fewest letters / words answered', (evaluation) => `${evaluation.manifest.decision.minimumLetters ?? 1} / ${evaluation.manifest.decision.minimumWords ?? 1}`],
    ['features', (evaluation) => { const featurizer = evaluation.manifest.featurizer; return `${featurizer.buckets} buckets, char ${featurizer.charNgramMin}–${featurizer.charNgramMax}-grams, word bigrams ${featurizer.wordBigrams ? 'on' : 'off'}`; }],
    ['network', (evaluation) => `embedding dimension ${evaluation.manifest.network.dimension}, hidden ${evaluation.manifest.network.hidden}`],
    ['weights sha256', (evaluation) => evaluation.manifest.weightsSha256 ?? '–'],
    ['versions', (evaluation) => Object.entries(evaluation.manifest.versions).map(([name, version]) => `${name} ${version}`).join(', ')],
  ];
  const rows = fields.map(([name, value]): Cell[] => [name, ...evaluations.map((evaluation) => ({ content: value(evaluation), className: 'mono' }))]);
  return section('manifest', 'Model manifest', [table(['field', ...names], rows)], 'From each model\u2019s allina.json: what was trained on which data, with which seed and settings.');
}

/**
 * Evaluates each model on the same labelled examples (the same decision overrides for all) and
 * writes the report: what `allina eval --report` (and `--compare`) calls.
 *
 * @example
 * await writeModelsReport('report.html', [{ directory: 'models/default', model: loadModel() }], readLabelledData(['data/test']), 'data/test');
 */
export async function writeModelsReport(file: string, models: { directory: string; model: AllinaModel }[], examples: LabelledExample[], data: string, options: DecisionOptions = {}): Promise<void> {
  const evaluations = models.map(({ directory, model }) => evaluateForReport(model, examples, directory, options));
  await writeEvalReport(file, { evaluations, data });
}
