import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLabelledData, readCsvTable, type LabelledExample } from '../../src/data/csv.js';
import { formatCsv } from '../../src/data/csv-write.js';
import { duplicateKey } from '../../src/data/near-duplicates.js';
import { loadModel } from '../../src/runtime/model.js';
import { EscalationLogger } from '../../src/learning/logger.js';
import { SeededRandom } from '../../src/util/random.js';
import { packageRoot } from '../../src/util/package-root.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';

/** Training on the corpus through the CLI, on 2 cores shared with other work. */
const TRAINING_TIMEOUT = 600_000;

/**
 * The feedback loop end to end, through the CLI as a cron job would run it: a model trained
 * without any Hungarian payment_retry questions meets them in production, abstains or gets
 * escalated, a reviewer labels the review queue, and retrain + gate promote a better model.
 * A candidate trained on shuffled labels is rejected and `current` stays where it was.
 */
describe('the learning loop', () => {
  const workspace = temporaryDirectory('allina-loop-');
  const corpus = readLabelledData([join(packageRoot(), 'data', 'train')]);
  const testFile = join(packageRoot(), 'data', 'test');
  const isHeldBack = (example: LabelledExample) => example.lang === 'hu' && example.intent === 'payment_retry';
  const perCell = new Map<string, number>();
  const base: LabelledExample[] = [];
  const unseen: LabelledExample[] = [];
  for (const example of corpus) {
    const cell = `${example.lang}|${example.intent}`;
    const taken = perCell.get(cell) ?? 0;
    if (!isHeldBack(example) && taken < 120) {
      base.push(example);
      perCell.set(cell, taken + 1);
    } else if (isHeldBack(example) || example.intent === 'other' || taken < 150) {
      // What production sends: the held-back phrasing, much chat that is none of the intents, and
      // some other questions the model may answer.
      unseen.push(example);
      perCell.set(cell, taken + 1);
    }
  }
  const write = (name: string, rows: LabelledExample[]) => {
    writeFileSync(join(workspace, name), formatCsv(['text', 'lang', 'intent'], rows.map((row) => [row.text, row.lang, row.intent])));
    return join(workspace, name);
  };
  const baseFile = write('base.csv', base);
  const store = join(workspace, 'live');
  const current = join(store, 'current');
  const huPaymentRetryTest = readLabelledData([testFile]).filter(isHeldBack);
  const recall = (directory: string) => loadModel(directory).classifyBatch(huPaymentRetryTest.map((row) => row.text)).filter((decision) => decision.intent === 'payment_retry').length / huPaymentRetryTest.length;

  it('trains a base model and starts a store with it', () => {
    // Cuts from the base model's own dev split (--no-tune): which log questions the base model
    // answers decides what reaches review, and the scenario should not shift each time the
    // open-world tuning split grows. The candidate's cuts still come from data/tune (retrain).
    const trained = runCli(['train', '--data', baseFile, '--test', testFile, '--no-tune', '--out', join(workspace, 'base'), '--json'], undefined, TRAINING_TIMEOUT);
    expect(trained.stderr).not.toMatch(/allina:/);
    expect(trained.status).toBe(0);
    const promoted = runCli(['promote', '--candidate', join(workspace, 'base'), '--current', current]);
    expect(promoted.status).toBe(0);
    expect(promoted.stdout).toContain('first version');
    expect(readlinkSync(current)).toMatch(/^versions\//);
  });

  it('logs, reviews, retrains and promotes a candidate that learned the missing phrasing', () => {
    const model = loadModel(current);
    const logger = new EscalationLogger(join(workspace, 'logs', 'escalations-web1.jsonl'));
    const random = new SeededRandom(3);
    let step = 0;
    for (const example of unseen) {
      const decision = model.classify(example.text);
      // A buyer whose question was answered wrongly sends it on; a right answer is accepted.
      const outcome = !decision.answer ? 'not_shown' : decision.intent === example.intent ? 'accepted' : 'escalated';
      const times = 1 + random.nextInt(2);
      for (let repeat = 0; repeat < times; repeat++) logger.log({ text: example.text, decision, outcome, language: example.lang, id: `event-${step++}`, timestamp: new Date(Date.UTC(2026, 10, 1, 0, step)) });
    }
    logger.close();

    const queueFile = join(workspace, 'review.csv');
    const queued = runCli(['review', '--model', current, '--logs', join(workspace, 'logs'), '--data', baseFile, testFile, '--out', queueFile]);
    expect(queued.status).toBe(0);
    const queue = readCsvTable(queueFile, ['text', 'lang', 'label', 'guess_1', 'count']).rows;
    const truth = new Map(unseen.map((example) => [duplicateKey(example.text), example.intent]));
    expect(queue.length).toBeGreaterThan(100);
    expect(new Set(queue.map((row) => duplicateKey(row.values.text))).size).toBe(queue.length);
    expect(queue.some((row) => Number(row.values.count) > 1)).toBe(true);
    // The reviewer fills the label column (here from the held-back truth).
    const header = Object.keys(queue[0].values);
    const reviewedFile = join(workspace, 'reviewed.csv');
    writeFileSync(reviewedFile, formatCsv(header, queue.map((row) => header.map((column) => (column === 'label' ? truth.get(duplicateKey(row.values.text)) ?? '' : row.values[column])))));

    const retrained = runCli(['retrain', '--model', current, '--data', baseFile, '--test', testFile, '--logs', join(workspace, 'logs'), '--reviewed', reviewedFile, '--out', join(workspace, 'candidate'), '--promote', current, '--report', join(workspace, 'gate.json')], undefined, TRAINING_TIMEOUT);
    expect(retrained.stderr, retrained.stdout).not.toMatch(/allina: (?!skipped)/);
    expect(retrained.stdout).toContain('gate: PASSED');
    expect(retrained.status).toBe(0);
    const gate = JSON.parse(readFileSync(join(workspace, 'gate.json'), 'utf8'));
    expect(gate.passed).toBe(true);
    expect(gate.test.candidate.macroF1).toBeGreaterThanOrEqual(gate.test.current.macroF1 - 0.005);
    expect(gate.holdoutQuestions).toBeGreaterThan(0);
    expect(gate.holdout.candidate.accuracy).toBeGreaterThan(gate.holdout.current.accuracy);

    // Measurably better on the phrasing it never saw before, judged on the fixed test split.
    const before = recall(join(workspace, 'base'));
    const after = recall(current);
    expect(after).toBeGreaterThan(before + 0.3);
    expect(readlinkSync(current)).toContain(gate.candidate);
    expect(existsSync(join(workspace, 'candidate', 'holdout.csv'))).toBe(true);
  });

  it('rejects a candidate trained on shuffled labels and leaves current untouched', () => {
    const random = new SeededRandom(11);
    const labels = random.shuffle(base.map((row) => row.intent));
    const shuffledFile = write('shuffled.csv', base.map((row, index) => ({ ...row, intent: labels[index] })));
    expect(runCli(['train', '--data', shuffledFile, '--no-test', '--out', join(workspace, 'bad'), '--epochs', '5'], undefined, TRAINING_TIMEOUT).status).toBe(0);
    const pointerBefore = readlinkSync(current);
    const promoted = runCli(['promote', '--candidate', join(workspace, 'bad'), '--current', current, '--test', testFile, '--report', join(workspace, 'bad-gate.json')]);
    expect(promoted.status).toBe(1);
    expect(promoted.stdout).toContain('gate: REJECTED');
    expect(promoted.stderr).toMatch(/rejected by the promotion gate; .* unchanged/);
    expect(readlinkSync(current)).toBe(pointerBefore);
    expect(JSON.parse(readFileSync(join(workspace, 'bad-gate.json'), 'utf8')).passed).toBe(false);
  });

  it('rolls back to the previous version', () => {
    const history = JSON.parse(readFileSync(join(store, 'history.json'), 'utf8'));
    const rolled = runCli(['rollback', '--current', current]);
    expect(rolled.status).toBe(0);
    expect(readlinkSync(current)).toBe(`versions/${history[0].version}`);
  });
});
