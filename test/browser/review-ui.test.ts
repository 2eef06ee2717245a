import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { loadModel } from '../../src/index.js';
import { readCsvTable } from '../../src/data/csv.js';
import { ReviewSession } from '../../src/review-ui/session.js';
import { CLI } from '../helpers/cli.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { writeReviewFixture } from '../review-ui/fixture.js';
import { collectProblems, hasChromium, launchBrowser, screenshotPath } from './browser.js';

const servers: ChildProcess[] = [];

/** `allina review --ui` as a user starts it in the file's folder, on a free port; resolves once it listens. */
async function startServer(file: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'review', '--ui', '--out', basename(file), '--port', '0', '--json'], { cwd: dirname(file), stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(child);
  let output = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => (output += chunk));
  const deadline = Date.now() + 20_000;
  while (!output.includes('\n')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`review server did not start (exit ${child.exitCode})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { url: JSON.parse(output.split('\n')[0]).url, process: child };
}

const labels = (file: string) => readCsvTable(file, ['label']).rows.map((row) => row.values.label);

/** Presses a key and waits until the page shows its outcome; returns the intent the key stood for. */
async function press(page: Page, key: string): Promise<string | null> {
  const intent = key === 'u' || key === 's' ? null : await page.locator(`#card button:has(kbd:text-is("${key}"))`).getAttribute('data-intent');
  const before = await page.locator('#progress').innerText() + await page.locator('#line').innerText();
  await page.keyboard.press(key);
  await page.waitForFunction((previous) => document.querySelector('#progress')!.textContent! + document.querySelector('#line')!.textContent! !== previous, before);
  return intent;
}

describe.skipIf(!hasChromium)('review queue labelled in Chromium (allina review --ui)', () => {
  let browser: BrowserContext;
  beforeAll(async () => {
    browser = await launchBrowser({ width: 1000, height: 760 });
  });
  afterAll(async () => {
    for (const server of servers) if (server.exitCode === null) server.kill('SIGKILL');
    await browser?.close();
  });

  it('labels five questions by keyboard with one undo; a reload resumes; a killed server loses no saved label', async () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeReviewFixture(file, 10);
    let server = await startServer(file);
    const page = await browser.newPage();
    const problems = collectProblems(page);
    await page.goto(server.url);
    await page.waitForSelector('#card:not([hidden])');
    expect(await page.locator('#line').innerText()).toBe('row 2');
    expect(await page.locator('#file').innerText()).toBe('review.csv');

    const chosen = [await press(page, '1'), await press(page, '2')];
    const undone = await press(page, '0');
    await press(page, 'u');
    expect(await page.locator('#line').innerText()).toBe('row 4');
    expect(labels(file)[2]).toBe('');
    chosen.push(await press(page, '4'), await press(page, '3'), await press(page, '-'));
    expect(undone).toBe('other');
    expect(new Set(chosen).size).toBeGreaterThan(1);
    expect(labels(file)).toEqual([...chosen, '', '', '', '', '']);
    expect(await page.locator('#progress').innerText()).toBe('5 of 10 labelled');

    await press(page, 's');
    await page.reload();
    await page.waitForSelector('#card:not([hidden])');
    expect(await page.locator('#line').innerText()).toBe('row 8');
    expect(await page.locator('#progress').innerText()).toBe('5 of 10 labelled · 1 skipped');
    await page.screenshot({ path: screenshotPath('review-ui.png') });

    chosen.push('', (await press(page, '1'))!);
    expect(await page.locator('#status').innerText()).toBe(`saved: ${chosen[6]}`);
    server.process.kill('SIGKILL');
    await once(server.process, 'exit');
    expect(labels(file)).toEqual([...chosen, '', '', '']);

    // A new start: the same labels, the next question after the last labelled one.
    server = await startServer(file);
    await page.goto(server.url);
    await page.waitForSelector('#card:not([hidden])');
    expect(await page.locator('#progress').innerText()).toBe('6 of 10 labelled');
    expect(await page.locator('#line').innerText()).toBe('row 9');

    // Killed while a label is on its way: the file holds it or not, never half of it (the
    // browser sees the connection refused, reset or emptied: expected network errors).
    await page.keyboard.press('2');
    server.process.kill('SIGKILL');
    await once(server.process, 'exit');
    const after = labels(file);
    expect(after.slice(0, 7)).toEqual(chosen);
    expect(after.slice(8)).toEqual(['', '']);

    expect(problems.filter((problem) => !/ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|Failed to fetch/.test(problem))).toEqual([]);
    await page.close();
  });

  it('labels 50 questions with one key each and no mouse, typed ahead without waiting', async () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeReviewFixture(file, 50);
    // What each key stands for, question by question, worked out on a copy of the file.
    const copy = `${file}.copy.csv`;
    copyFileSync(file, copy);
    const model = loadModel();
    const session = ReviewSession.open(copy, model.manifest.intents, model.manifest.otherIntent);
    const keys = Array.from({ length: 50 }, (_, index) => ['1', '2', '3', '0', '4', '5', '6', '7', '8', '9', '-'][index % 11]);
    const expected = keys.map((key) => {
      const question = session.state().question!;
      const intent = question.choices.find((choice) => choice.key === key)!.intent;
      session.label(question.row, intent);
      return intent;
    });

    const server = await startServer(file);
    const page = await browser.newPage();
    const problems = collectProblems(page);
    await page.goto(server.url);
    await page.waitForSelector('#card:not([hidden])');
    for (const key of keys) await page.keyboard.press(key);
    await page.waitForFunction(() => document.querySelector('#progress')!.textContent === '50 of 50 labelled', undefined, { timeout: 60_000 });
    expect(await page.locator('#finished-text').innerText()).toMatch(/^All 50 questions are labelled/);
    expect(labels(file)).toEqual(expected);
    expect(problems).toEqual([]);
    // Ctrl+C (or a service manager's SIGTERM) stops the server cleanly.
    server.process.kill('SIGTERM');
    const [code] = await once(server.process, 'exit');
    expect(code).toBe(0);
    await page.close();
  });
});
