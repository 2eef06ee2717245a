import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

function temporarySibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
}

/** Writes a file so that readers see either the old content or the new, never half of it. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporarySibling(path);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Builds a directory in a temporary sibling with `fill`, then moves it into place.
 * If `path` already exists it is swapped out and removed only after the new one is in place,
 * so a crash at any moment leaves either the old or the new directory, never a mixture.
 */
export function writeDirectoryAtomic(path: string, fill: (temporaryDirectory: string) => void): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporarySibling(path);
  mkdirSync(temporary, { recursive: true });
  try {
    fill(temporary);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(path)) {
    const previous = `${temporary}.previous`;
    renameSync(path, previous);
    renameSync(temporary, path);
    rmSync(previous, { recursive: true, force: true });
  } else {
    renameSync(temporary, path);
  }
}
