import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from './errors.js';

/**
 * Expands directories to the sorted list of files inside them whose names end with
 * `extension` (e.g. '.csv', '.jsonl'); files are kept as given. A missing path or a directory
 * without such files is an error naming the path.
 */
export function expandPaths(paths: string[], extension: string): string[] {
  return paths.flatMap((path) => {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new DataError(path, undefined, 'no such file or directory');
    }
    if (!isDirectory) return [path];
    const files = readdirSync(path).filter((name) => name.endsWith(extension)).sort().map((name) => join(path, name));
    if (files.length === 0) throw new DataError(path, undefined, `directory has no ${extension} files`);
    return files;
  });
}
