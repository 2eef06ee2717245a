import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

/**
 * A service installs Allina the way the README says (`npm install allina --omit=optional`): the
 * packed package, no TensorFlow.js, and the README's service example runs in that install.
 * Slow (packs and installs from the npm cache), so it lives in the slow project.
 */
describe('installing for a service', () => {
  it('brings no TensorFlow.js, runs the README service example and `allina classify`, and says what training needs', () => {
    const root = packageRoot();
    const directory = temporaryDirectory();
    const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', directory], { cwd: root, encoding: 'utf8' });
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = readdirSync(directory).find((file) => file.endsWith('.tgz'))!;
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'service', version: '1.0.0', type: 'module', private: true }));
    const installed = spawnSync('npm', ['install', '--omit=optional', '--prefer-offline', '--no-audit', '--no-fund', `./${tarball}`], { cwd: directory, encoding: 'utf8' });
    expect(installed.status, installed.stderr).toBe(0);
    expect(existsSync(join(directory, 'node_modules', 'allina'))).toBe(true);
    expect(existsSync(join(directory, 'node_modules', '@tensorflow'))).toBe(false);

    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = /## Using the model in a service\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)![1];
    writeFileSync(join(directory, 'service.mjs'), example);
    const service = spawnSync(process.execPath, ['service.mjs'], { cwd: directory, encoding: 'utf8' });
    expect(service.stderr).toBe('');
    expect(service.stdout).toContain('delivery_status');

    const cli = join(directory, 'node_modules', '.bin', 'allina');
    const classified = spawnSync(cli, ['classify', 'Gdzie jest moja paczka?', '--json'], { cwd: directory, encoding: 'utf8' });
    expect(JSON.parse(classified.stdout)).toMatchObject({ intent: 'delivery_status', answer: true });
    const train = spawnSync(cli, ['train', '--out', join(directory, 'model')], { cwd: directory, encoding: 'utf8' });
    expect(train.status).toBe(1);
    expect(train.stderr).toContain('training needs TensorFlow.js');
  }, 180_000);
});
