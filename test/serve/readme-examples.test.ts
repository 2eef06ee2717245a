import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { startService, type RunningService } from './helpers.js';

const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## The HTTP service'), readme.indexOf('\n## ', readme.indexOf('## The HTTP service') + 1));
const blocks = (language: string) => [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]);
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Runs a command without blocking this process, which is also the server. */
function run(command: string, args: string[], cwd?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** The README's curl and Python examples for the service run as written against a live one. */
describe('README: the HTTP service examples', () => {
  let server: RunningService;
  let port: string;
  beforeAll(async () => {
    server = await startService();
    port = new URL(server.url).port;
  });
  afterAll(async () => {
    await server.close();
  });

  it('has curl examples for classify, batch, feedback, model, metrics and OpenAPI', () => {
    const curl = blocks('sh').filter((block) => block.includes('curl')).join('\n');
    for (const path of ['/v1/classify', '/v1/feedback', '/v1/model', '/metrics', '/openapi.json']) expect(curl).toContain(`localhost:8080${path}`);
  });

  it('every curl example runs and gets no error', async () => {
    for (const block of blocks('sh').filter((candidate) => candidate.includes('curl'))) {
      const script = block.replaceAll('localhost:8080', `127.0.0.1:${port}`);
      const result = await run('bash', ['-euo', 'pipefail', '-c', script], temporaryDirectory());
      expect(result.stderr, script).toBe('');
      expect(result.status, script).toBe(0);
      expect(result.stdout, script).not.toContain('"error"');
      expect(result.stdout.length, script).toBeGreaterThan(0);
      if (script.includes('/v1/feedback')) expect(JSON.parse(result.stdout.trim().split('\n').pop()!)).toMatchObject({ outcome: 'escalated', recorded: true });
    }
  });

  it.skipIf(!hasPython)('the Python client example runs', async () => {
    const [code] = blocks('python');
    const result = await run('python3', ['-c', code.replace('http://127.0.0.1:8080', server.url)]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^bot answers from order data: delivery_status\n$/);
  });
});
