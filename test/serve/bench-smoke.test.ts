import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('../../dist/scripts/bench-serve.js', import.meta.url));

/** The load benchmark never runs in CI (a noisy, shared machine); this short run proves the script still measures every scenario end to end. */
describe('npm run bench:serve (one short run)', () => {
  it('starts the service and the baselines, loads them with autocannon and prints the table', async () => {
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, [BENCH, '--runs', '1', '--duration', '1', '--connections', '8', '--batch', '20', '--batch-connections', '2'], { timeout: 120_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (status) => done({ status, stdout, stderr }));
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^run 1: single \d+ req\/s/);
    for (const row of [/\| single question, 8 connections, decision \+ request logging \| [\d,]+ /, /\| bare Fastify route/, /\| empty Fastify route/, /\| batch of 20, 2 connections \| [\d,]+ \| [\d,]+ /, /\| classify \+ feedback pairs/, /\| single question, `--workers 2`, 8 connections/, /\| batch of 20, `--workers 2`, 2 connections \| [\d,]+ /]) expect(result.stdout).toMatch(row);
    // No request failed in any scenario: the "failed" column is 0 everywhere.
    for (const line of result.stdout.split('\n').filter((text) => /^\| (single|bare|empty|batch|classify)/.test(text))) expect(line.split('|')[9].trim()).toBe('0');
  });
});
