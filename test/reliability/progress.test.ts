import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean, columns: number) {
  const written: string[] = [];
  return { written, stream: { isTTY, columns, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream };
}

/**
 * Issue "Nothing lost, nothing answered by accident", items 5 and 9: progress people and cron logs
 * can read. The per-epoch lines of a real training run are checked in test/train/cli-train.test.ts.
 */
describe('training progress', () => {
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
