import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, type AllinaModel } from '../runtime/model.js';

/** What the holder reports after a reload attempt. */
export type ReloadEvent = { result: 'success'; version: string; previous: string; directory: string } | { result: 'refused'; directory: string; error: string };

/**
 * Identity of what `path` designates now: the directory it resolves to (a store's `current`
 * pointer resolves to a version directory) and the inode, size and modification time of each
 * file in it, so that a directory replaced (`allina train --force`) or rewritten file by file is
 * noticed, and a copy caught half-way is looked at again once it is complete.
 */
function signature(path: string): { directory: string; key: string } | null {
  try {
    const directory = realpathSync(path);
    const parts = [directory];
    for (const name of readdirSync(directory).sort()) {
      const stats = statSync(join(directory, name));
      parts.push(`${name}:${stats.ino}:${stats.size}:${stats.mtimeMs}`);
    }
    return { directory, key: parts.join('\u0000') };
  } catch {
    return null;
  }
}

/**
 * Holds the model a service classifies with and swaps it when the model at `path` changes.
 * `path` may be a model directory or a model store's `current` pointer (see
 * src/learning/registry.ts). The holder polls `path` every `intervalMs` (and on `check()`, e.g.
 * on SIGHUP); a changed model is loaded from the directory the path resolves to — never in a
 * request — and swapped in with one assignment, so a request that took `holder.model` keeps a
 * consistent model to its end. A model that fails to load is refused: the old one keeps
 * serving, and the same broken files are not retried until they change again.
 *
 * @example
 * const holder = new ModelHolder('models/live/current', { intervalMs: 2000, onReload: (event) => log.info(event) });
 * const decision = holder.model.classify(text);
 * holder.stop();
 */
export class ModelHolder {
  private current: AllinaModel;
  private seen: string;
  private timer: NodeJS.Timeout | null = null;
  /** When the serving model was loaded, and from where. */
  loadedAt = new Date();
  directory: string;
  lastRefusal: { at: Date; directory: string; error: string } | null = null;

  constructor(
    readonly path: string,
    private readonly options: { intervalMs?: number; onReload?: (event: ReloadEvent) => void } = {},
  ) {
    const found = signature(path);
    // Loading through the resolved directory: a pointer switched meanwhile cannot mix two models.
    this.directory = found?.directory ?? path;
    this.current = loadModel(this.directory);
    this.seen = found?.key ?? '';
    const interval = options.intervalMs ?? 0;
    if (interval > 0) {
      this.timer = setInterval(() => this.check(), interval);
      this.timer.unref();
    }
  }

  /** The model serving now. */
  get model(): AllinaModel {
    return this.current;
  }

  /** Looks at `path` once and reloads if it designates a different model. Returns whether it swapped. */
  check(): boolean {
    const found = signature(this.path);
    if (found === null || found.key === this.seen) return false;
    this.seen = found.key;
    let model: AllinaModel;
    try {
      model = loadModel(found.directory);
    } catch (error) {
      const message = (error as Error).message;
      this.lastRefusal = { at: new Date(), directory: found.directory, error: message };
      this.options.onReload?.({ result: 'refused', directory: found.directory, error: message });
      return false;
    }
    const previous = this.current.manifest.modelVersion;
    this.current = model;
    this.directory = found.directory;
    this.loadedAt = new Date();
    this.options.onReload?.({ result: 'success', version: model.manifest.modelVersion, previous, directory: found.directory });
    return true;
  }

  /** Stops watching. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
