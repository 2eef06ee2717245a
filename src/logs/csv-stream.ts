import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { SkippedLine } from '../learning/events.js';
import { DataError } from '../util/errors.js';
import { MAX_LINE_BYTES } from './line-reader.js';

/**
 * Passes bytes through unchanged and notes the numbers of the lines that are not valid UTF-8,
 * so the rows on them can be skipped and reported instead of read with replacement characters.
 */
class Utf8LineCheck extends Transform {
  readonly badLines = new Set<number>();
  private line = 1;
  private carry: Buffer[] = [];
  private carryLength = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      this.check(chunk.subarray(start, newline));
      start = newline + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.carryLength > 0) this.check(Buffer.alloc(0));
    done();
  }

  private keep(piece: Buffer): void {
    // A line longer than the limit is checked in pieces: bounded memory, at worst a split character is reported.
    if (this.carryLength + piece.length > MAX_LINE_BYTES) {
      if (!isUtf8(Buffer.concat([...this.carry, piece]).subarray(0, Math.max(0, this.carryLength + piece.length - 4)))) this.badLines.add(this.line);
      this.carry = [];
      this.carryLength = 0;
      return;
    }
    this.carry.push(Buffer.from(piece));
    this.carryLength += piece.length;
  }

  private check(end: Buffer): void {
    const bytes = this.carryLength > 0 ? Buffer.concat([...this.carry, end]) : end;
    if (!isUtf8(bytes)) this.badLines.add(this.line);
    this.carry = [];
    this.carryLength = 0;
    this.line++;
  }
}

/**
 * Reads a CSV file with a header row as a stream of rows: memory stays at one chunk and one row
 * however long the file. Rows on lines that are not valid UTF-8, or with the wrong number of
 * fields, are skipped and reported with file and line; the job goes on. A missing or duplicated
 * required column, or CSV that cannot be parsed on (an unclosed quote), is a DataError naming
 * the file and line.
 *
 * @example
 * await forEachCsvRow('reviews/week48.csv', ['text', 'lang', 'label'], (values, line) => use(values), (bad) => report(bad));
 */
export async function forEachCsvRow(file: string, requiredColumns: string[], onRow: (values: Record<string, string>, line: number) => void, onSkip: (skipped: SkippedLine) => void): Promise<void> {
  const check = new Utf8LineCheck();
  const parser = parse({ bom: true, skip_empty_lines: true, info: true, raw: true, relax_column_count: true });
  let header: string[] | undefined;
  const consume = new Transform({
    objectMode: true,
    transform(item: { record: string[]; info: { lines: number }; raw: string }, _encoding, done) {
      const last = item.info.lines;
      // Skipped empty lines before the record are part of its raw text; they are not its lines.
      const first = last - (item.raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
      if (header === undefined) {
        header = item.record.map((column) => column.trim());
        const seen = new Set<string>();
        for (const column of header) {
          if (seen.has(column)) return done(new DataError(file, first, `duplicated column '${column}' in the header`));
          seen.add(column);
        }
        for (const column of requiredColumns) {
          if (!seen.has(column)) return done(new DataError(file, first, `missing column '${column}' (header is: ${header.join(',')}; expected ${requiredColumns.join(',')})`));
        }
        return done();
      }
      for (let line = first; line <= last; line++) {
        if (check.badLines.has(line)) {
          onSkip({ file, line, problem: 'not valid UTF-8' });
          return done();
        }
      }
      if (item.record.length !== header.length) {
        onSkip({ file, line: first, problem: `expected ${header.length} fields, found ${item.record.length}` });
        return done();
      }
      const values: Record<string, string> = {};
      header.forEach((column, index) => (values[column] = item.record[index]));
      onRow(values, first);
      done();
    },
  });
  try {
    await pipeline(createReadStream(file), check, parser, consume);
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new DataError(file, undefined, `cannot read file (${code})`);
    const lines = (error as { lines?: number }).lines;
    throw new DataError(file, lines, `malformed CSV: ${(error as Error).message.split('\n')[0]}`);
  }
  if (header === undefined) throw new DataError(file, undefined, 'is empty (expected a header row)');
}
