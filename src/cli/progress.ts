import type { EpochProgress } from '../train/fit-network.js';
import { formatNumber, formatPercent } from './table.js';

/**
 * Progress of long work on standard error. On a terminal, one status line rewritten in place;
 * elsewhere (cron logs, CI, a pipe) one plain line per step, so a log shows every epoch. Colour
 * only on a terminal and never with NO_COLOR set. Nothing animates between steps, so an odd
 * terminal (one that reports 0 columns) cannot make it loop.
 */
export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly live: boolean;
  private readonly colour: boolean;
  private lineOpen = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.stream = stream;
    this.live = stream.isTTY === true;
    this.colour = this.live && !('NO_COLOR' in process.env);
  }

  /** A step: rewrites the status line on a terminal, prints a line elsewhere. */
  update(text: string): void {
    if (this.live) {
      const columns = this.stream.columns > 1 ? this.stream.columns - 1 : text.length;
      this.stream.write(`\r\u001b[K${text.slice(0, columns)}`);
      this.lineOpen = true;
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  succeed(text: string): void {
    this.finish(this.colour ? '\u001b[32m✔\u001b[39m' : '✔', text);
  }

  fail(text: string): void {
    this.finish(this.colour ? '\u001b[31m✖\u001b[39m' : '✖', text);
  }

  private finish(mark: string, text: string): void {
    if (this.lineOpen) this.stream.write('\r\u001b[K');
    this.lineOpen = false;
    this.stream.write(`${mark} ${text}\n`);
  }
}

/** One epoch as a progress line, with an upper bound on the time left (early stopping may end sooner). */
export function describeEpoch(progress: EpochProgress): string {
  const remaining = Math.ceil((progress.maxEpochs - progress.epoch) * progress.secondsPerEpoch);
  return `epoch ${progress.epoch}/${progress.maxEpochs}  loss ${formatNumber(progress.loss, 4)}  dev accuracy ${formatPercent(progress.devAccuracy)}  (${progress.secondsPerEpoch.toFixed(1)} s/epoch, ETA ≤ ${remaining} s)`;
}
