import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { defaultPaths } from '../../src/cli/options.js';

const hungarian = join(defaultPaths.testData, 'hu.csv');

describe('allina eval --report', () => {
  it('writes the HTML report (and a comparison) next to the usual output', () => {
    const file = join(temporaryDirectory(), 'reports', 'compare.html');
    const result = runCli(['eval', '--data', hungarian, '--report', file, '--compare', defaultPaths.model, '--json']);
    expect(result.stderr).toMatch(/✔ report → .*compare\.html/);
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({ reportFile: file, examples: 484 });
    const markup = readFileSync(file, 'utf8');
    expect(markup.startsWith('<!doctype html>')).toBe(true);
    expect(markup).toContain('<section id="disagreements">');
    expect(markup).toContain(`${output.examples.toLocaleString('en')} questions`);
  });

  it('refuses --compare without --report (exit 2) and a report path under a file (exit 1), before any work', () => {
    const compareOnly = runCli(['eval', '--data', hungarian, '--compare', defaultPaths.model]);
    expect(compareOnly.status).toBe(2);
    expect(compareOnly.stderr).toBe('allina: --compare needs --report <file> (the comparison is an HTML report)\n');
    const workspace = temporaryDirectory();
    writeFileSync(join(workspace, 'plain-file'), 'x');
    const underFile = runCli(['eval', '--data', hungarian, '--report', join(workspace, 'plain-file', 'report.html')]);
    expect(underFile.status).toBe(1);
    expect(underFile.stderr).toMatch(/^allina: .*report\.html: cannot be created, .*plain-file is not a directory\n$/);
  });
});
