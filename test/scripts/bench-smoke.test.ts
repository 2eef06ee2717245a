import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporaryDirectory } from '../helpers/fixtures.js';

const BENCH = fileURLToPath(new URL('../../dist/scripts/bench.js', import.meta.url));

/**
 * The full benchmark never runs in CI (minutes, peers, a noisy machine); this smoke run proves
 * the script still trains, scores and reports every in-process system end to end.
 */
describe('npm run bench -- --smoke', () => {
  it('trains and scores Allina and NLP.js on a tiny subset and writes a report', () => {
    const directory = temporaryDirectory();
    const report = join(directory, 'BENCHMARKS.md');
    const result = spawnSync(process.execPath, [BENCH, '--smoke', '--systems', 'allina,nlpjs', '--out', report, '--work', join(directory, 'work')], { encoding: 'utf8', timeout: 120_000 });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const markdown = readFileSync(report, 'utf8');
    expect(markdown).toMatch(/\| Allina \(shipped recipe\) \| \d+\.\d% \| 0\.\d{3} \|/);
    expect(markdown).toMatch(/\| NLP\.js, language guessed \| \d+\.\d% \|/);
  });
});
