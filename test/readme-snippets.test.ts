import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { temporaryDirectory } from './helpers/fixtures.js';

/**
 * Every ```ts snippet of the README runs as written, as a service would run it: `import … from
 * 'allina'` resolved through node_modules, in a directory of its own.
 */
describe('README snippets', () => {
  const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);

  it('has snippets to run', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(2);
  });

  it.each(snippets.map((code, index) => [index + 1, code]))('snippet %i runs without an error', (_, code) => {
    const directory = temporaryDirectory();
    mkdirSync(join(directory, 'node_modules'));
    symlinkSync(packageRoot(), join(directory, 'node_modules', 'allina'));
    writeFileSync(join(directory, 'snippet.mjs'), code as string);
    const result = spawnSync(process.execPath, ['snippet.mjs'], { cwd: directory, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    if ((code as string).includes('EscalationLogger')) expect(readdirSync(join(directory, 'logs'))).toHaveLength(1);
  });
});
