import { cpSync, existsSync, lstatSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readManifest } from '../artifact/load.js';
import { writeDirectoryAtomic, writeFileAtomic, recoverInterruptedWrites, temporarySibling } from '../util/atomic-write.js';
import { AllinaError } from '../util/errors.js';

/**
 * A model store: versioned model directories and one `current` pointer.
 *
 *     models/live/
 *       versions/20261129-101500-3fa2c1d0/   one artifact per promoted model, never modified
 *       versions/20261206-101500-77b0e912/
 *       current -> versions/20261206-101500-77b0e912   (relative symbolic link)
 *       history.json                          every promotion and rollback, newest last
 *
 * Services load `models/live/current`. Switching is one `rename` of a new link over the old
 * one, which POSIX makes atomic: a reader sees the old model or the new one, never neither.
 */
export interface HistoryEntry {
  action: 'promote' | 'rollback';
  version: string;
  previous: string | null;
  at: string;
}

const VERSIONS = 'versions';
const HISTORY = 'history.json';

/** The store a `current` pointer belongs to: its parent directory. */
function storeOf(currentPointer: string): string {
  return dirname(currentPointer);
}

/** The version the pointer designates, or null when the store has no current model yet. */
export function currentVersion(currentPointer: string): string | null {
  let stats;
  try {
    stats = lstatSync(currentPointer);
  } catch {
    return null;
  }
  if (!stats.isSymbolicLink()) {
    throw new AllinaError(`${currentPointer} is not a version pointer (a symbolic link made by 'allina promote'); to start a store, promote into a new path, e.g. --current models/live/current`);
  }
  return basename(readlinkSync(currentPointer));
}

export function readHistory(currentPointer: string): HistoryEntry[] {
  const file = join(storeOf(currentPointer), HISTORY);
  if (!existsSync(file)) return [];
  let history: unknown;
  try {
    history = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new AllinaError(`${file}: corrupt history (not valid JSON)`);
  }
  const valid = (entry: unknown): entry is HistoryEntry => {
    const candidate = entry as Partial<HistoryEntry> | null;
    return typeof candidate === 'object' && candidate !== null && (candidate.action === 'promote' || candidate.action === 'rollback') && typeof candidate.version === 'string' && (candidate.previous === null || typeof candidate.previous === 'string') && typeof candidate.at === 'string';
  };
  if (!Array.isArray(history)) throw new AllinaError(`${file}: corrupt history (expected a list of promote/rollback entries)`);
  const bad = history.findIndex((entry) => !valid(entry));
  if (bad >= 0) throw new AllinaError(`${file}: corrupt history (entry ${bad + 1} is not a promote/rollback record)`);
  return history;
}

function pointTo(currentPointer: string, version: string): void {
  recoverInterruptedWrites(currentPointer);
  const temporaryLink = temporarySibling(currentPointer);
  symlinkSync(join(VERSIONS, version), temporaryLink);
  try {
    renameSync(temporaryLink, currentPointer);
  } catch (error) {
    rmSync(temporaryLink, { force: true });
    throw error;
  }
}

function record(currentPointer: string, entry: HistoryEntry): void {
  const history = [...readHistory(currentPointer), entry];
  writeFileAtomic(join(storeOf(currentPointer), HISTORY), `${JSON.stringify(history, null, 2)}\n`);
}

/**
 * Copies a candidate artifact into the store as a new version and switches `current` to it.
 * The previous version stays in the store for `rollback`.
 *
 * @example
 * promoteModel('models/candidate', 'models/live/current'); // → { version, previous }
 */
export function promoteModel(candidateDirectory: string, currentPointer: string): { version: string; previous: string | null } {
  const version = readManifest(candidateDirectory).modelVersion;
  const previous = currentVersion(currentPointer);
  // A corrupt history stops the promotion before the pointer moves, not after.
  readHistory(currentPointer);
  if (previous === version) throw new AllinaError(`${candidateDirectory}: model ${version} is already current`);
  const versionDirectory = join(storeOf(currentPointer), VERSIONS, version);
  if (!existsSync(versionDirectory)) {
    writeDirectoryAtomic(versionDirectory, (temporary) => cpSync(candidateDirectory, temporary, { recursive: true, dereference: true }));
  }
  pointTo(currentPointer, version);
  record(currentPointer, { action: 'promote', version, previous, at: new Date().toISOString() });
  return { version, previous };
}

/**
 * Switches `current` back to the version that was current before it (per history.json).
 *
 * @example
 * rollbackModel('models/live/current'); // → { version: '<previous>', previous: '<bad one>' }
 */
export function rollbackModel(currentPointer: string): { version: string; previous: string } {
  const current = currentVersion(currentPointer);
  if (current === null) throw new AllinaError(`${currentPointer}: no current model to roll back`);
  const lastSwitchToCurrent = [...readHistory(currentPointer)].reverse().find((entry) => entry.version === current && entry.action === 'promote');
  const target = lastSwitchToCurrent?.previous;
  if (!target) throw new AllinaError(`${currentPointer}: ${current} has no earlier version to roll back to`);
  if (!existsSync(join(storeOf(currentPointer), VERSIONS, target))) throw new AllinaError(`${currentPointer}: earlier version ${target} is no longer in the store`);
  pointTo(currentPointer, target);
  record(currentPointer, { action: 'rollback', version: target, previous: current, at: new Date().toISOString() });
  return { version: target, previous: current };
}
