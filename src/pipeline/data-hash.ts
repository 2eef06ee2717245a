import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** sha256 over the bytes of the files, in the given order, each followed by a NUL separator. */
export function hashFiles(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}
