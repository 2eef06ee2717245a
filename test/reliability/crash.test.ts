import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArtifact } from '../../src/artifact/load.js';
import { SeededRandom } from '../../src/util/random.js';
import { killAfter, strays } from '../helpers/kill-after.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { writeHandMadeModel } from '../helpers/hand-made-model.js';

const REGISTRY = fileURLToPath(new URL('../../dist/src/learning/registry.js', import.meta.url));

/**
 * Issue "Nothing lost, nothing answered by accident", acceptance: `promote` killed at random
 * moments leaves `current` at a complete version and no stray temporary folder after the next
 * run. (`train` killed while training: test/train/crash.test.ts.)
 */
describe('killed at random moments', () => {
  it('promote always leaves current pointing at a complete version', async () => {
    const workspace = temporaryDirectory();
    const candidates = [0, 1, 2].map((variant) => writeHandMadeModel({ variant, directory: join(workspace, `candidate-${variant}`) }).directory);
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
