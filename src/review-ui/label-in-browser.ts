import type { AllinaModel } from '../index.js';
import { loadTaxonomy } from '../data/taxonomy.js';
import { ReviewSession } from './session.js';
import { startReviewServer } from './server.js';

export interface LabelInBrowserOptions {
  /** The review CSV (as written by `allina review`). */
  file: string;
  /** The model whose intents are the labels. */
  model: AllinaModel;
  /** Port on 127.0.0.1; 0 = any free port. */
  port: number;
  /** Print the address as one JSON object instead of text. */
  json: boolean;
}

/**
 * `allina review --ui`: serves the labelling page for a review CSV on 127.0.0.1 until the process
 * gets SIGINT (Ctrl+C) or SIGTERM, then prints how many questions are labelled. Every label is
 * already in the file by then; stopping the server any other way loses nothing either.
 *
 * @example
 * await labelInBrowser({ file: 'review.csv', model: loadModel(), port: 7420, json: false });
 */
export async function labelInBrowser(options: LabelInBrowserOptions): Promise<void> {
  const descriptions = Object.fromEntries(loadTaxonomy().intents.map((intent) => [intent.label, intent.description]));
  const session = ReviewSession.open(options.file, options.model.manifest.intents, options.model.manifest.otherIntent, descriptions);
  for (const problem of session.problems) process.stderr.write(`allina: ${options.file}:${problem.line}: ${problem.problem}\n`);
  const server = await startReviewServer(session, options.port);
  const start = session.state();
  if (options.json) process.stdout.write(`${JSON.stringify({ url: server.url, file: options.file, questions: start.total, labelled: start.labelled })}\n`);
  else {
    process.stdout.write(`labelling ${options.file} (${start.labelled} of ${start.total} labelled) at ${server.url}\n`);
    process.stdout.write('keys: 1–9 and - pick an intent, 0 other, s skip, u undo; every label is saved at once. Ctrl+C stops the server.\n');
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  const end = session.state();
  process.stderr.write(`${options.file}: ${end.labelled} of ${end.total} labelled\n`);
}
