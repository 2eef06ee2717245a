import { InvalidArgumentError } from 'commander';

/** Where `allina review --ui` listens unless told otherwise: a fixed port, so a reload of an old tab finds it again. */
export const DEFAULT_REVIEW_PORT = 7420;

/** Commander parser for `--port`: a whole number from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 = any free port)');
  return number;
}
