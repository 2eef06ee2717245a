import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** sha256 over the bytes of the files, in the given order, each followed by a NUL separator. */
export function hashFiles(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * The training-data hash recorded in an artifact: the files, plus — for a retrained model —
 * the extra examples from the feedback loop, so two models trained on different evidence never
 * share a data hash (or a model version). With no extras it equals `hashFiles(files)`.
 */
export function hashTrainingData(files: string[], extraExamples: { text: string; lang: string; intent: string; weight?: number }[] = []): string {
  if (extraExamples.length === 0) return hashFiles(files);
  const extras = extraExamples.map((example) => [example.text, example.lang, example.intent, example.weight ?? 1]);
  return createHash('sha256').update(hashFiles(files)).update(JSON.stringify(extras)).digest('hex');
}
