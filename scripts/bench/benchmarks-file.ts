import { existsSync, readFileSync } from 'node:fs';

/**
 * BENCHMARKS.md is written by several benches: `npm run bench` renders the comparison with
 * NLP.js and fastText at the top; the others (serve, logs, discover) keep their sections below
 * this marker, which a re-run of `npm run bench` carries over unchanged.
 */
export const OTHER_BENCHES_MARKER = '<!-- other benches: sections below are written by bench:serve, bench:logs and bench:discover -->';

/** The part of `file` from the marker on (marker included), or null when there is none. */
export function otherBenchesPart(file: string): string | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(OTHER_BENCHES_MARKER);
  return start >= 0 ? text.slice(start) : null;
}

/** The comparison's markdown followed by the other benches' part (if any). */
export function withOtherBenches(comparison: string, otherPart: string | null): string {
  return otherPart === null ? comparison : `${comparison.trimEnd()}\n\n${otherPart}`;
}
