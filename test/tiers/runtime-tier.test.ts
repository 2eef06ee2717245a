import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/util/package-root.js';

/**
 * The runtime tier (what a service installs and imports) never loads TensorFlow.js nor the
 * training tier's folders. Checked two ways on the built package: the static import closure of
 * the public entry point, and each runtime file imported in a fresh Node process in which any
 * `@tensorflow/*` import throws.
 */
const root = packageRoot();
const built = join(root, 'dist', 'src');
const blocker = join(root, 'test', 'helpers', 'block-tensorflow.mjs');
const RUNTIME_FOLDERS = ['runtime', 'features', 'text'];
const RUNTIME_FILES = [...RUNTIME_FOLDERS.flatMap((folder) => readdirSync(join(built, folder)).filter((file) => file.endsWith('.js')).map((file) => join(folder, file))), 'artifact/load.js', 'artifact/manifest.js', 'index.js'];
const TRAINING_FOLDERS = ['train', 'calibrate', 'eval', 'cli'];

/** Every module a file imports, transitively (relative imports and package names). */
function importClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    // Static imports and re-exports; `import type` is erased by tsc and never reaches dist.
    for (const match of source.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm)) {
      const specifier = match[1] ?? match[2];
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:')) packages.add(specifier);
    }
  }
  return { files, packages };
}

describe('runtime tier', () => {
  it('the public entry point imports nothing from TensorFlow.js or the training folders', () => {
    const { files, packages } = importClosure(join(built, 'index.js'));
    expect([...packages].filter((name) => name.startsWith('@tensorflow'))).toEqual([]);
    const trainingFiles = [...files].map((file) => relative(built, file)).filter((file) => TRAINING_FOLDERS.includes(file.split('/')[0]));
    expect(trainingFiles).toEqual([]);
  });

  it('each runtime file imports in a fresh process with @tensorflow blocked', async () => {
    const results = await Promise.all(RUNTIME_FILES.map((file) => new Promise<{ file: string; status: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['--import', pathToFileURL(blocker).href, '--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(join(built, file)).href)});`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (status) => done({ file, status, stderr }));
    })));
    expect(RUNTIME_FILES.length).toBeGreaterThan(8);
    for (const result of results) expect(result, result.file).toMatchObject({ status: 0, stderr: '' });
  });

  it("the package's bundled entry (what `import 'allina'` gives a service) classifies with @tensorflow blocked", () => {
    const entry = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports['.'].default as string;
    expect(entry).toBe('./dist/package/index.js');
    const bundle = join(root, entry);
    expect(importClosure(bundle).packages).toEqual(new Set());
    const script = `const allina = await import(${JSON.stringify(pathToFileURL(bundle).href)});
      const decision = allina.loadModel().classify('Gdzie jest moja paczka?');
      let refused = '';
      try { allina.loadModel('/nonexistent-model'); } catch (error) { refused = error instanceof allina.ArtifactError ? error.message : 'another error'; }
      process.stdout.write(JSON.stringify({ intent: decision.intent, refused }));`;
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(blocker).href, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ intent: 'delivery_status', refused: '/nonexistent-model: no such model directory' });
  });

  it('the blocker really blocks: importing the trainer fails', () => {
    const trainer = pathToFileURL(join(built, 'train', 'train-model.js')).href;
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(blocker).href, '--input-type=module', '-e', `await import(${JSON.stringify(trainer)});`], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('TensorFlow.js is blocked here');
  });

  it('`allina classify` and `eval` run, and every command shows its help, with @tensorflow blocked', () => {
    const cli = join(built, 'cli', 'main.js');
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', pathToFileURL(blocker).href, cli, ...args], { encoding: 'utf8', cwd: root });
    const classified = run('classify', 'Gdzie jest moja paczka?', '--json');
    expect(classified.stderr).toBe('');
    expect(JSON.parse(classified.stdout).intent).toBe('delivery_status');
    const evaluated = run('eval', '--data', join(root, 'data', 'test', 'en.csv'), '--json');
    expect(evaluated.stderr).toBe('');
    expect(evaluated.status).toBe(0);
    for (const help of [['review', '--help'], ['promote', '--help'], ['retrain', '--help'], ['train', '--help']]) expect(run(...help).status, help.join(' ')).toBe(0);
  });
});
