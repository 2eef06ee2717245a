/**
 * fastText's batch throughput on the same texts, measured in the runtime benchmark's own run so
 * that Allina's numbers come with a peer's from the same machine state: train fastText with the
 * comparison's fixed settings on data/train, then time `fasttext predict-prob` over the texts
 * repeated, minus the time of the same command on one line (process start and model load).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FASTTEXT, FIXED_SETTINGS, LABEL_PREFIX, fastTextMissing, prepareText } from './fasttext.js';
import { median } from './stats.js';

export interface FastTextThroughput {
  questionsPerSecond: number | null;
  note: string;
}

export function measureFastTextThroughput(train: { text: string; intent: string }[], texts: string[], runs: number): FastTextThroughput {
  const missing = fastTextMissing();
  if (missing) return { questionsPerSecond: null, note: `fastText not measured: ${missing}` };
  const scratch = mkdtempSync(join(tmpdir(), 'allina-bench-fasttext-'));
  try {
    const trainFile = join(scratch, 'train.txt');
    writeFileSync(trainFile, train.map((row) => `${LABEL_PREFIX}${row.intent} ${prepareText(row.text)}\n`).join(''));
    execFileSync(FASTTEXT, ['supervised', '-input', trainFile, '-output', join(scratch, 'model'), ...FIXED_SETTINGS], { stdio: 'ignore' });
    const repeats = 10;
    const manyFile = join(scratch, 'many.txt');
    const oneFile = join(scratch, 'one.txt');
    writeFileSync(manyFile, Array.from({ length: repeats }, () => texts.map((text) => `${prepareText(text)}\n`).join('')).join(''));
    writeFileSync(oneFile, `${prepareText(texts[0])}\n`);
    const seconds = (file: string) => {
      const started = process.hrtime.bigint();
      const result = spawnSync(FASTTEXT, ['predict-prob', join(scratch, 'model.bin'), file, '3'], { stdio: ['ignore', 'ignore', 'ignore'] });
      if (result.status !== 0) throw new Error(`fasttext predict-prob exited with ${result.status}`);
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
    const rates: number[] = [];
    for (let run = 0; run < runs; run++) rates.push((texts.length * repeats) / Math.max(1e-9, seconds(manyFile) - seconds(oneFile)));
    return { questionsPerSecond: median(rates), note: `fastText (fixed settings of \`npm run bench\`: ${FIXED_SETTINGS.join(' ')}), predict-prob over the texts ×${repeats}, minus start-up; median of ${runs}` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
