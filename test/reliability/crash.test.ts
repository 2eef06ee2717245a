import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArtifact, readManifest } from '../../src/artifact/load.js';
import { SeededRandom } from '../../src/util/random.js';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeTinyDataset } from '../helpers/fixtures.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

const REGISTRY = fileURLToPath(new URL('../../dist/src/learning/registry.js', import.meta.url));

/** Runs node with `args` and SIGKILLs it after `delayMs` (if it is still running). */
function killAfter(args: string[], delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const strays = (directory: string) => readdirSync(directory).filter((name) => name.includes('.tmp-'));

/**
 * Issue "Nothing lost, nothing answered by accident", acceptance: `train` and `promote` killed at
 * random moments leave the old or the new complete model, never a mix, and no stray temporary
 * folder after the next run.
 */
describe('killed at random moments', () => {
  it('train --force leaves the old or the new complete model', async () => {
    const workspace = temporaryDirectory();
    const data = writeTinyDataset(workspace);
    const out = join(workspace, 'model');
    const args = (seed: number) => ['train', '--data', data, '--no-test', '--no-tune', '--epochs', '3', '--seed', String(seed), '--out', out, '--force'];
    expect(runCli(args(1)).status).toBe(0);
    const random = new SeededRandom(11);
    const versions = new Set([readManifest(out).modelVersion]);
    for (let moment = 0; moment < 10; moment++) {
      await killAfter([CLI, ...args(100 + moment)], 200 + random.nextInt(3500));
      if (existsSync(out)) {
        const { manifest } = loadArtifact(out);
        versions.add(manifest.modelVersion);
      } else {
        // Killed between moving the old model aside and the new one in: the next run puts it back.
        expect(readdirSync(workspace).some((name) => name.endsWith('.previous'))).toBe(true);
      }
    }
    expect(runCli(args(999)).status).toBe(0);
    expect(loadArtifact(out).manifest.modelVersion).toBeTruthy();
    expect(strays(workspace)).toEqual([]);
  }, 120_000);

  it('promote always leaves current pointing at a complete version', async () => {
    const workspace = temporaryDirectory();
    const data = writeTinyDataset(workspace);
    const candidates = [0, 1, 2].map((seed) => {
      const out = join(workspace, `candidate-${seed}`);
      expect(runCli(['train', '--data', data, '--no-test', '--no-tune', '--epochs', '2', '--seed', String(seed), '--out', out]).status).toBe(0);
      return out;
    });
    const current = join(workspace, 'live', 'current');
    // The store's write path itself (promoteModel), without the gate, in a process of its own.
    const promote = (candidate: string) => ['--input-type=module', '-e', `import { promoteModel } from ${JSON.stringify(REGISTRY)}; promoteModel(${JSON.stringify(candidate)}, ${JSON.stringify(current)});`];
    await killAfter(promote(candidates[0]), 60_000);
    expect(existsSync(current)).toBe(true);
    const random = new SeededRandom(5);
    for (let moment = 0; moment < 10; moment++) {
      await killAfter(promote(candidates[1 + (moment % 2)]), 40 + random.nextInt(300));
      expect(() => loadArtifact(realpathSync(current))).not.toThrow();
      for (const version of readdirSync(join(workspace, 'live', 'versions')).filter((name) => !name.startsWith('.'))) {
        expect(() => loadArtifact(join(workspace, 'live', 'versions', version))).not.toThrow();
      }
    }
    await killAfter(promote(candidates[0]), 60_000);
    expect(strays(join(workspace, 'live'))).toEqual([]);
    expect(strays(join(workspace, 'live', 'versions'))).toEqual([]);
  }, 120_000);
});
