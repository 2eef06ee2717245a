import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadModel } from '../../src/index.js';
import { readLabelledData, type LabelledExample } from '../../src/data/csv.js';
import { expectedCalibrationError } from '../../src/calibrate/ece.js';
import { defaultPaths } from '../../src/cli/options.js';
import { evaluateForReport, topConfusions } from '../../src/report/eval-data.js';
import { renderEvalReport } from '../../src/report/eval-report.js';

const model = loadModel();
const hostile: LabelledExample = { text: '<script>alert("x")</script> & <img src=x onerror=alert(1)>', lang: 'en', intent: 'delivery_status', file: 'test', row: 0 };
const examples = [...readLabelledData([join(defaultPaths.testData, 'hu.csv'), join(defaultPaths.testData, 'en.csv')]), hostile];
const evaluation = evaluateForReport(model, examples, 'models/default');

const SECTIONS = ['headline', 'languages', 'confusion', 'risk-coverage', 'calibration', 'confidence', 'top-confusions', 'errors', 'manifest'];

describe('evaluation report data', () => {
  it('agrees with the allina eval report it is built on', () => {
    const { report } = evaluation;
    const summed = report.confusion.labels.map((_, row) => report.confusion.labels.map((__, column) => evaluation.confusionByLanguage.reduce((sum, entry) => sum + entry.matrix[row][column], 0)));
    expect(summed).toEqual(report.confusion.matrix);
    expect(evaluation.confusionByLanguage.map((entry) => entry.language)).toEqual(['hu', 'en']);
    expect(evaluation.reliability.reduce((sum, bin) => sum + bin.count, 0)).toBe(examples.length);
    const correct = evaluation.questions.map((question) => question.predicted === question.actual);
    expect(expectedCalibrationError(evaluation.questions.map((question) => question.confidence), correct)).toBeCloseTo(report.ece, 12);
    const inForce = evaluation.riskCoverage.find((point) => point.threshold === evaluation.threshold)!;
    expect(inForce).toMatchObject({ answered: report.abstention.answered, answeredPrecision: report.abstention.answeredPrecision, coverage: report.abstention.coverage });
    expect(evaluation.riskCoverage.length).toBeGreaterThanOrEqual(101);
    expect(evaluation.errors.length).toBe(Math.round(examples.length * (1 - report.accuracy)));
  });

  it('lists answered wrong questions first, then the rest by confidence', () => {
    const { errors } = evaluation;
    expect(errors.every((question) => question.predicted !== question.actual)).toBe(true);
    const firstUnanswered = errors.findIndex((question) => !question.answer);
    expect(errors.slice(firstUnanswered).some((question) => question.answer)).toBe(false);
    const rest = errors.slice(firstUnanswered).map((question) => question.confidence);
    expect(rest).toEqual([...rest].sort((a, b) => b - a));
  });

  it('ranks confusions by frequency with up to three examples each', () => {
    const confusions = topConfusions(evaluation.questions, 50);
    expect(confusions.reduce((sum, confusion) => sum + confusion.count, 0)).toBeLessThanOrEqual(evaluation.errors.length);
    expect(confusions.map((confusion) => confusion.count)).toEqual(confusions.map((confusion) => confusion.count).sort((a, b) => b - a));
    for (const confusion of confusions) {
      expect(confusion.examples.length).toBe(Math.min(3, confusion.count));
      for (const example of confusion.examples) expect([example.actual, example.predicted]).toEqual([confusion.actual, confusion.predicted]);
    }
  });
});

describe('evaluation report page', () => {
  it('has every section, a chart in each chart section, and nothing that loads or runs', async () => {
    const markup = await renderEvalReport({ evaluations: [evaluation], data: 'data/test/hu.csv, data/test/en.csv', generatedAt: new Date('2026-12-02T00:00:00Z') });
    for (const id of SECTIONS) expect(markup).toContain(`<section id="${id}">`);
    expect(markup.match(/<figure class="chart"><svg /g)!.length).toBe(1 + 1 + 1 + 2 + 1 + 1 + 1); // headline, languages, confusion (all, hu, en), risk, calibration, confidence
    expect(markup).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(markup).not.toMatch(/<(?:script|link|img|iframe|object|embed)\b|<[a-z][^>]*\ssrc=|@import|url\(http/i);
    for (const match of markup.matchAll(/href="([^"]*)"/g)) expect(match[1].startsWith('#')).toBe(true);
    expect(markup).toContain(model.manifest.training.dataHash);
    expect(markup).toContain(`<td class="mono">${model.manifest.training.seed}</td>`);
    expect(markup).toContain('generated 2026-12-02 00:00:00 UTC');
  });

  it('shows buyer text as text, never as markup', async () => {
    expect(evaluation.errors.map((question) => question.text)).toContain(hostile.text);
    const markup = await renderEvalReport({ evaluations: [evaluation], data: 'data', errorLimit: 10_000 });
    expect(markup).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
  });

  it('reports data in languages the bot does not answer in without a supported-language row', async () => {
    const foreign = readLabelledData([join(defaultPaths.openWorldData, 'unsupported.csv')]).slice(0, 60);
    const markup = await renderEvalReport({ evaluations: [evaluateForReport(model, foreign, 'models/default')], data: 'unsupported.csv' });
    expect(markup).not.toMatch(/Infinity|NaN/);
    expect(markup).not.toContain('worst language macro-F1');
    expect(markup).toContain('None of these questions is in a language the bot answers in.');
    expect(markup).toContain('<h3>Languages the bot does not answer in</h3>');
    expect(markup).toContain('Confusion matrix, other,');
  });

  it('compares two models side by side', async () => {
    const strict = evaluateForReport(model, examples, 'models/strict', { threshold: 0.95 });
    const markup = await renderEvalReport({ evaluations: [evaluation, strict], data: 'data' });
    for (const id of [...SECTIONS, 'disagreements']) expect(markup).toContain(`<section id="${id}">`);
    const version = model.manifest.modelVersion;
    expect(markup).toContain(`<b>A: ${version} (models/default)</b> compared with <b>B: ${version} (models/strict)</b>`);
    expect(markup).toContain('<th>change</th>');
    expect(markup).toContain('threshold 0.950');
    // The same model with a stricter threshold answers less: the change column says so in red.
    const answered = (entry: typeof evaluation) => entry.report.abstention.answered;
    expect(answered(strict)).toBeLessThan(answered(evaluation));
    expect(markup).toMatch(/coverage \(correct answers \/ answerable questions\)<\/td>(?:(?!<\/tr>).)*<span class="delta down">−/);
    expect(markup.match(/<figure class="chart"><svg /g)!.length).toBe(1 + 1 + 2 + 4 + 1 + 1 + 1);
  });
});
