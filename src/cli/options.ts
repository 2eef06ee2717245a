import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { packageRoot } from '../util/package-root.js';
import { SHIPPED_MODEL_PATH } from '../runtime/model.js';

/** Commander parsers that turn bad values into a usage error (exit code 2). */
export function parseProbability(value: string): number {
  // Number('') is 0: an empty value must not silently mean "answer everything".
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) throw new InvalidArgumentError('expected a number between 0 and 1');
  return number;
}

export function parsePositiveInteger(value: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return number;
}

export function parseNonNegativeInteger(value: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return number;
}

/** Collects a repeatable option (`--data a.csv --data b.csv` or `--data a.csv b.csv`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Defaults that point into the package itself, so commands work from any directory. */
export const defaultPaths = {
  get model(): string {
    return SHIPPED_MODEL_PATH;
  },
  get trainData(): string {
    return join(packageRoot(), 'data', 'train');
  },
  get testData(): string {
    return join(packageRoot(), 'data', 'test');
  },
  /** Open-world tuning questions: chosen cuts only, never trained on. */
  get tuneData(): string {
    return join(packageRoot(), 'data', 'tune');
  },
  /** The open-world evaluation split: never trained or tuned on. */
  get openWorldData(): string {
    return join(packageRoot(), 'data', 'openworld');
  },
};
