import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeTinyDataset } from '../helpers/fixtures.js';
import { join } from 'node:path';

function fakeStream(isTTY: boolean, columns: number) {
  const written: string[] = [];
  return { written, stream: { isTTY, columns, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream };
}

/** Issue "Nothing lost, nothing answered by accident", items 5 and 9: progress people and cron logs can read. */
describe('training progress', () => {
  it('prints one plain line per epoch when stderr is not a terminal, with no escape codes', () => {
    const workspace = temporaryDirectory();
    const result = runCli(['train', '--data', writeTinyDataset(workspace), '--no-test', '--no-tune', '--epochs', '3', '--out', join(workspace, 'model')]);
    expect(result.status).toBe(0);
    const epochs = result.stderr.split('\n').filter((line) => line.startsWith('epoch '));
    expect(epochs.length).toBeGreaterThanOrEqual(2);
    expect(epochs[0]).toMatch(/^epoch 1\/3 {2}loss [\d.]+ {2}dev accuracy [\d.]+% {2}\([\d.]+ s\/epoch, ETA ≤ \d+ s\)$/);
    expect(result.stderr).not.toMatch(/\u001b/);
    expect(result.stderr).toMatch(/^✔ trained in /m);
  });

  it('rewrites one line on a terminal, even one that reports 0 columns, and ends it', () => {
    const { written, stream } = fakeStream(true, 0);
    const progress = new Progress(stream);
    for (let epoch = 1; epoch <= 3; epoch++) progress.update(`epoch ${epoch}/3`);
    progress.succeed('trained');
    expect(written).toHaveLength(5);
    expect(written[0]).toBe('\r\u001b[Kepoch 1/3');
    expect(written.at(-1)).toMatch(/✔.* trained\n$/);
  });

  it('uses no colour with NO_COLOR, and none off a terminal', () => {
    const saved = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      const { written, stream } = fakeStream(true, 80);
      new Progress(stream).fail('training failed');
      expect(written.join('')).toBe('✖ training failed\n');
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
    const piped = fakeStream(false, 0);
    new Progress(piped.stream).succeed('done');
    expect(piped.written.join('')).toBe('✔ done\n');
  });
});
