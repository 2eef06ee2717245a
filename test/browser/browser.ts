import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { packageRoot } from '../../src/util/package-root.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);

// Headless, and nothing that would reach for the network on its own (this machine has none).
const ARGUMENTS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A fresh headless Chromium profile. Close it when done. */
export function launchBrowser(viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(temporaryDirectory('allina-chromium-'), { executablePath: CHROMIUM, headless: true, args: ARGUMENTS, viewport });
}

/** Everything a page reports as wrong: console errors, uncaught exceptions, failed requests. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  return problems;
}

/**
 * Where the harness saves its screenshots: docs/img with `UPDATE_SCREENSHOTS=1` (`npm run
 * screenshots`, to refresh the README's pictures), a temporary directory otherwise, so a test
 * run never changes tracked files.
 */
export function screenshotPath(name: string): string {
  const directory = process.env.UPDATE_SCREENSHOTS === '1' ? join(packageRoot(), 'docs', 'img') : temporaryDirectory('allina-screenshots-');
  mkdirSync(directory, { recursive: true });
  return join(directory, name);
}
