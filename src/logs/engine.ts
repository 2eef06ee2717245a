import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { AllinaError } from '../util/errors.js';

/** Limits of the embedded engine (DuckDB) that aggregates logs. */
export interface EngineOptions {
  /** DuckDB's memory limit, e.g. '1GB'; beyond it, work spills to `tempDirectory`. */
  memoryLimit?: string;
  /** Worker threads (default: every core). */
  threads?: number;
  /** Where the working database and spill files go (default: the system temporary directory). */
  tempDirectory?: string;
}

/** Enough for 10 million events on two cores while the whole process stays under 1.5 GB. */
export const DEFAULT_MEMORY_LIMIT = '700MB';

const MEMORY_LIMIT = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/**
 * Runs `work` on a fresh in-memory DuckDB database whose spill files go to a private temporary
 * directory (beyond the memory limit, work spills there instead of failing), and removes the
 * directory afterwards, whatever happens.
 *
 * @example
 * const count = await withEngine({}, async (db) => (await db.runAndReadAll('SELECT 42')).getRows()[0][0]);
 */
export async function withEngine<T>(options: EngineOptions, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  if (!MEMORY_LIMIT.test(memoryLimit)) throw new AllinaError(`invalid memory limit '${memoryLimit}' (expected e.g. 700MB or 2GB)`, 2);
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads > 0)) throw new AllinaError(`invalid thread count ${options.threads}`, 2);
  let directory: string;
  try {
    directory = mkdtempSync(join(options.tempDirectory ?? tmpdir(), 'allina-logs-'));
  } catch (error) {
    throw new AllinaError(`${options.tempDirectory ?? tmpdir()}: cannot create a working directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    instance = await (await loadDuckDb()).DuckDBInstance.create(':memory:', {
      memory_limit: memoryLimit,
      temp_directory: join(directory, 'spill'),
      // Row order is never relied on; dropping it lets DuckDB stream with less memory.
      preserve_insertion_order: 'false',
      // JSON, Parquet and ICU are built into the npm package; nothing is ever downloaded.
      autoinstall_known_extensions: 'false',
      ...(options.threads ? { threads: String(options.threads) } : {}),
    });
    connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    return await work(connection);
  } finally {
    connection?.closeSync();
    instance?.closeSync();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** A string as a SQL literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A list of strings as a SQL list literal. */
export function sqlList(values: Iterable<string>): string {
  return `[${[...values].map(sqlString).join(', ')}]`;
}

/**
 * DuckDB is loaded when logs are first aggregated, not when the CLI starts: `allina classify` and
 * a runtime-only install (`--omit=optional`, which also leaves out DuckDB's platform binary) never
 * need it.
 */
async function loadDuckDb(): Promise<typeof import('@duckdb/node-api')> {
  try {
    return await import('@duckdb/node-api');
  } catch (error) {
    throw new AllinaError(`reading logs needs DuckDB, which this install left out or cannot load (${(error as Error).message.split('\n')[0]}): run \`npm install @duckdb/node-api\``);
  }
}
