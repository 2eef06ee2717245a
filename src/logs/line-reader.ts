import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { DataError } from '../util/errors.js';

/** Longest line read (the JSON reader's default object limit); a longer one is skipped and reported, so one runaway line cannot fill memory. */
export const MAX_LINE_BYTES = 16 << 20;

/** One line of a file as bytes (without its `\n`), with its 1-based number. */
export type LineHandler = (bytes: Buffer, line: number) => void;

/**
 * Reads a file line by line in fixed-size chunks: memory stays at one chunk plus one line however
 * large the file. A line longer than `maxLineBytes` is not kept: `onOverlong` gets its number.
 * A final line without `\n` is read too. Fails with a one-line DataError if the file cannot be read.
 *
 * @example
 * await scanLines('logs/a.jsonl', (bytes, line) => console.log(line, bytes.length));
 */
export async function scanLines(file: string, onLine: LineHandler, options: { maxLineBytes?: number; onOverlong?: (line: number) => void } = {}): Promise<{ lines: number; bytes: number }> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  let carry: Buffer | null = null;
  let overlong = false;
  let line = 0;
  let bytes = 0;
  const finishLine = (content: Buffer) => {
    line++;
    if (overlong || content.length > maxLineBytes) options.onOverlong?.(line);
    else onLine(content, line);
    overlong = false;
  };
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      let start = 0;
      let newline = chunk.indexOf(0x0a, start);
      while (newline !== -1) {
        const piece = chunk.subarray(start, newline);
        if (carry) {
          finishLine(Buffer.concat([carry, piece]));
          carry = null;
        } else finishLine(piece);
        start = newline + 1;
        newline = chunk.indexOf(0x0a, start);
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (overlong) continue;
        // Copied: the stream reuses nothing, but a small rest must not pin a whole 1 MB chunk.
        carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
        if (carry.length > maxLineBytes) {
          overlong = true;
          carry = null;
        }
      }
    }
  } catch (error) {
    throw new DataError(file, undefined, `cannot read log (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (carry || overlong) finishLine(carry ?? Buffer.alloc(0));
  return { lines: line, bytes };
}

/**
 * Decodes one line strictly: null when it is not valid UTF-8 (it is skipped and reported, never
 * silently repaired with replacement characters).
 */
export function decodeLine(bytes: Buffer): string | null {
  return isUtf8(bytes) ? bytes.toString('utf8') : null;
}
