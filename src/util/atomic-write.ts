import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { AllinaError } from './errors.js';

/** Where a write of `path` is staged: a hidden sibling named after this process. */
export function temporarySibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Cleans up after a writer of `path` that was killed: its temporary siblings (named by
 * {@link temporarySibling}, so only ours) are removed once their process is gone, and if it died
 * between moving the old directory aside and moving the new one in, the old one is put back.
 */
export function recoverInterruptedWrites(path: string): void {
  const prefix = `.${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || processIsAlive(pid)) continue;
    const sibling = join(dirname(path), name);
    if (name.endsWith('.previous') && !existsSync(path)) renameSync(sibling, path);
    else rmSync(sibling, { recursive: true, force: true });
  }
}

/**
 * Throws a one-line AllinaError when `path` cannot be created because something on the way is
 * a file (e.g. `--out report.txt/model`): checked before long work, not after it.
 */
export function assertCreatable(path: string): void {
  let ancestor = dirname(resolve(path));
  for (;;) {
    let stats;
    try {
      stats = statSync(ancestor);
    } catch {
      const parent = dirname(ancestor);
      if (parent === ancestor) return;
      ancestor = parent;
      continue;
    }
    if (!stats.isDirectory()) throw new AllinaError(`${path}: cannot be created, ${ancestor} is not a directory`);
    return;
  }
}

/** Writes a file so that readers see either the old content or the new, never half of it. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  recoverInterruptedWrites(path);
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
  recoverInterruptedWrites(path);
  const temporary = temporarySibling(path);
  mkdirSync(temporary, { recursive: true });
  try {
    fill(temporary);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  const previous = `${temporary}.previous`;
  let movedAside = false;
  try {
    if (existsSync(path)) {
      renameSync(path, previous);
      movedAside = true;
    }
    renameSync(temporary, path);
  } catch (error) {
    // Put the old directory back and drop the new one: nothing half-done stays behind.
    if (movedAside && !existsSync(path)) renameSync(previous, path);
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  if (movedAside) rmSync(previous, { recursive: true, force: true });
}
