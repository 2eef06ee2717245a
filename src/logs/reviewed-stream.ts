import type { SkippedLine } from '../learning/events.js';
import { checkReviewedRow, type ReviewedQuestion } from '../learning/review.js';
import { forEachCsvRow } from './csv-stream.js';

/**
 * Reads reviewed CSV files (the review queue with `label` filled in) row by row, with the rules
 * of readReviewedFiles: rows without a label are ignored; unknown labels or languages, empty
 * text, invalid UTF-8 and rows with the wrong number of fields are skipped and reported.
 *
 * @example
 * const { reviewed, skipped } = await readReviewedStream(['reviews/week48.csv'], intents, languages);
 */
export async function readReviewedStream(files: string[], intents: ReadonlySet<string>, languages: ReadonlySet<string>): Promise<{ reviewed: ReviewedQuestion[]; skipped: SkippedLine[] }> {
  const reviewed: ReviewedQuestion[] = [];
  const skipped: SkippedLine[] = [];
  for (const file of files) {
    await forEachCsvRow(
      file,
      ['text', 'lang', 'label'],
      (values, line) => {
        const checked = checkReviewedRow(file, line, values, intents, languages);
        if (checked && 'problem' in checked) skipped.push(checked);
        else if (checked) reviewed.push(checked);
      },
      (bad) => skipped.push(bad),
    );
  }
  return { reviewed, skipped };
}
