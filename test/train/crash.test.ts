import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadArtifact, readManifest } from '../../src/artifact/load.js';
import { SeededRandom } from '../../src/util/random.js';
import { runCli } from '../helpers/cli.js';
import { CLI, killAfter, strays } from '../helpers/kill-after.js';
import { temporaryDirectory, writeTinyDataset } from '../helpers/fixtures.js';

/**
 * Issue "Nothing lost, nothing answered by accident", acceptance: `train` killed at random
 * moments leaves the old or the new complete model, never a mix, and no stray temporary folder
 * after the next run. (`promote` killed: test/reliability/crash.test.ts.)
 */
describe('train killed at random moments', () => {
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
  });
});
