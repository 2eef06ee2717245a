import { existsSync, readFileSync } from 'node:fs';

/** Markers around the log benchmark's section of BENCHMARKS.md (written by `npm run bench:logs`). */
export const LOGS_START = '<!-- logs-bench:start -->';
export const LOGS_END = '<!-- logs-bench:end -->';

/** The log benchmark section of `file` (markers included), or null. */
export function logsSection(file: string): string | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(LOGS_START);
  const end = text.indexOf(LOGS_END);
  return start >= 0 && end > start ? text.slice(start, end + LOGS_END.length) : null;
}

/** `markdown` with `section` in place of its log section (appended when it has none). */
export function withLogsSection(markdown: string, section: string | null): string {
  if (section === null) return markdown;
  const start = markdown.indexOf(LOGS_START);
  const end = markdown.indexOf(LOGS_END);
  if (start >= 0 && end > start) return `${markdown.slice(0, start)}${section}${markdown.slice(end + LOGS_END.length)}`;
  return `${markdown.trimEnd()}\n\n${section}\n`;
}
