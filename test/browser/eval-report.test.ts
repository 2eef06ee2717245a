import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { packageRoot } from '../../src/util/package-root.js';
import { readManifest } from '../../src/artifact/load.js';
import { collectProblems, hasChromium, launchBrowser, screenshotPath } from './browser.js';

const SECTIONS = ['headline', 'languages', 'confusion', 'risk-coverage', 'calibration', 'confidence', 'top-confusions', 'errors', 'manifest'];

describe.skipIf(!hasChromium)('evaluation report in Chromium', () => {
  const report = join(temporaryDirectory(), 'report.html');
  let browser: BrowserContext;

  beforeAll(async () => {
    // The acceptance command as a user types it in the package directory (where vitest runs).
    expect(process.cwd()).toBe(packageRoot());
    const result = runCli(['eval', '--data', 'data/test', '--report', report]);
    expect(result.status, result.stderr).toBe(0);
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('renders offline with every section, no console error, and data in every chart', async () => {
    expect(existsSync(report)).toBe(true);
    const page = await browser.newPage();
    const problems = collectProblems(page);
    const requests: string[] = [];
    // Offline for real: anything but the report file itself is refused and counted.
    await page.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url() === pathToFileURL(report).href ? route.continue() : route.abort();
    });
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
    expect(requests).toEqual([pathToFileURL(report).href]);
    expect(problems).toEqual([]);

    for (const id of SECTIONS) await expect(page.locator(`section#${id} h2`).isVisible(), id).resolves.toBe(true);
    const charts = await page.$$eval('figure.chart', (figures) => figures.map((figure) => ({
      title: figure.querySelector('svg')?.getAttribute('aria-label') ?? '',
      section: figure.closest('section')?.id ?? '',
      // Drawn data items (bars, cells, points, lines), not axes or legends.
      marks: figure.querySelectorAll('svg g.role-mark > *').length,
      width: figure.querySelector('svg')?.getBoundingClientRect().width ?? 0,
    })));
    expect(charts.map((chart) => chart.section)).toEqual(['headline', 'languages', 'confusion', 'confusion', 'confusion', 'confusion', 'confusion', 'confusion', 'risk-coverage', 'calibration', 'confidence']);
    for (const chart of charts) {
      expect(chart.marks, chart.title).toBeGreaterThan(0);
      expect(chart.width, chart.title).toBeGreaterThan(200);
    }
    expect(charts[2].title).toMatch(/^Confusion matrix, all languages/);
    expect(charts[2].marks).toBeGreaterThanOrEqual(11 * 11 * 2); // every cell and its label
    expect(charts[8].marks).toBeGreaterThan(20); // the risk–coverage curve's points

    const headline = await page.locator('section#headline table').innerText();
    // The shipped model's own record of its test macro-F1, as the report shows it.
    const macroF1 = readManifest(join(packageRoot(), 'models', 'default')).metrics.test!.macroF1.toFixed(3);
    expect(headline).toMatch(new RegExp(`macro-F1\\s+≥ 0\\.9\\s+${macroF1.replace('.', '\\.')}`));
    expect(await page.locator('section#errors tbody tr').count()).toBeGreaterThan(100);
    const manifest = await page.locator('section#manifest').innerText();
    expect(manifest).toMatch(/data hash \(sha256\)\s+[0-9a-f]{64}/);
    expect(manifest).toMatch(/seed\s+42/);

    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.screenshot({ path: screenshotPath('eval-report.png') });
    await page.close();
  });
});
