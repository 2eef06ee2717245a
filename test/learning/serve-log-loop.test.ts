import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvTable } from '../../src/data/csv.js';
import { packageRoot } from '../../src/util/package-root.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { startService, post } from '../serve/helpers.js';

/** Issue 12, acceptance 4: review and retrain run unchanged on a log the service wrote. */
describe('review and retrain on a log written by allina serve', () => {
  it('reads the service log through the CLI', async () => {
    const workspace = temporaryDirectory();
    const server = await startService({ logDir: join(workspace, 'logs') });
    const asked = ['Gdzie jest moja paczka?', 'kdy dorazí balík?', 'chci reklamovat rozbitý telefon', 'hol van a csomagom?', 'where is my parcel, it is late', 'Kedy mi príde balík?', 'mam pytanie o rozmiar butów'];
    const answered: string[] = [];
    try {
      for (const [index, text] of asked.entries()) {
        const { body } = await post(`${server.url}/v1/classify`, { text, sellerId: `seller-${index}` });
        if (!body.answer) continue;
        answered.push(text);
        if (index === 1) await post(`${server.url}/v1/feedback`, { decisionId: body.decisionId, outcome: 'escalated', label: 'complaint' });
        if (index === 3) await post(`${server.url}/v1/feedback`, { decisionId: body.decisionId, outcome: 'accepted' });
      }
    } finally {
      await server.close();
    }
    expect(answered.length).toBeGreaterThanOrEqual(4);

    // A corpus that holds none of the questions, so that the queue shows what the log alone decides.
    const corpusFile = join(workspace, 'corpus.csv');
    writeFileSync(corpusFile, 'text,lang,intent\nwhat a lovely day it is,en,other\n');
    const reviewFile = join(workspace, 'review.csv');
    const review = runCli(['review', '--logs', join(workspace, 'logs'), '--out', reviewFile, '--data', corpusFile, '--json']);
    expect(review.stderr).toBe('');
    expect(review.status).toBe(0);
    expect(JSON.parse(review.stdout)).toMatchObject({ events: asked.length, skipped: 0 });
    const queued = readCsvTable(reviewFile, ['text']).rows.map((row) => row.values.text);
    // Abstentions are queued; answered questions without a complaint (no_feedback, accepted) are not; the labelled one is not asked again.
    for (const text of asked.filter((text) => !answered.includes(text))) expect(queued).toContain(text);
    for (const text of answered) expect(queued).not.toContain(text);

    mkdirSync(join(workspace, 'data'));
    const lines = (file: string, count: number) => readFileSync(file, 'utf8').split('\n').slice(0, count).join('\n') + '\n';
    writeFileSync(join(workspace, 'data', 'train.csv'), lines(join(packageRoot(), 'data', 'train', 'en.csv'), 150));
    writeFileSync(join(workspace, 'data', 'test.csv'), lines(join(packageRoot(), 'data', 'test', 'en.csv'), 60));
    const retrain = runCli(['retrain', '--model', join(packageRoot(), 'models', 'default'), '--logs', join(workspace, 'logs'), '--data', join(workspace, 'data', 'train.csv'), '--test', join(workspace, 'data', 'test.csv'), '--out', join(workspace, 'candidate'), '--json']);
    expect(retrain.stderr).not.toMatch(/allina: (?!skipped)/);
    expect(retrain.status).toBe(0);
    const report = JSON.parse(retrain.stdout.trim().split('\n').pop()!);
    expect(report.counts).toMatchObject({ logEvents: asked.length, duplicateEventIds: 0, goldQuestions: expect.any(Number) });
    expect(report.skipped).toEqual([]);
    // The answered questions nobody complained about are weak positives; the escalated one is gold via its label.
    expect(report.counts.weakQuestions + report.counts.droppedCorpusDuplicates + report.counts.droppedTestDuplicates).toBeGreaterThan(0);
  });
});
