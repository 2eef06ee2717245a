/**
 * The common interface of the systems `npm run bench` compares. Each system trains on the same
 * train split, is loaded in fresh child processes (scripts/bench/worker.ts) and answers every
 * question with a ranking of intents; threshold choice and metrics are the same for all
 * (scripts/bench/scoring.ts).
 */

/** One labelled question of the benchmark data. */
export interface BenchQuestion {
  text: string;
  lang: string;
  /** The intent to act on: the label, or `other` for a question in an unsupported language. */
  intent: string;
  /** The open-world split's `kind` column (other_business, fragment, …), where it has one. */
  kind?: string;
}

/** A system's answer to a question: intents with scores, best first, at most the top 3. */
export interface RankedIntent {
  intent: string;
  score: number;
}
export type Ranking = RankedIntent[];

import type { MessageEvidence } from '../../src/runtime/decision.js';

/** What a system gets for training. */
export interface TrainContext {
  train: BenchQuestion[];
  /** The dev split: for a system's own early stopping or tuning only (thresholds are chosen by the bench). */
  dev: BenchQuestion[];
  /** The CSV files or directories the train + dev questions were read from (Allina splits them itself). */
  trainPaths: string[];
  /** Open-world tuning CSVs (Allina chooses its cuts on them with dev; never trained on). */
  tunePaths: string[];
  intents: string[];
  languages: string[];
  /** Write the trained model here and only the model: its size on disk is reported. */
  modelDirectory: string;
  /** Scratch space for anything else (training files, logs). */
  scratchDirectory: string;
  smoke: boolean;
  autotuneSeconds: number;
}

export interface TrainOutcome {
  /** Peak RSS of the training process when it is not the worker itself (e.g. the fastText CLI). */
  externalPeakRssBytes?: number | null;
  /** Settings and facts worth printing next to the results (epochs run, backend, ...). */
  notes: string[];
}

/** A loaded model, ready to classify. */
export interface LoadedClassifier {
  /** May return synchronously: the latency loop only awaits real promises. */
  classify(question: BenchQuestion): Ranking | Promise<Ranking>;
  /** The system's own batch API where it has one, else a loop over `classify`. */
  classifyBatch(questions: BenchQuestion[]): Ranking[] | Promise<Ranking[]>;
  /**
   * What a system knows about a question besides its ranking (language class, familiarity), for
   * systems that have such signals; the others are scored with letters only.
   */
  evidence?(question: BenchQuestion): MessageEvidence;
  /** Peak RSS of the process that classifies, when it is not the worker itself. */
  externalPeakRssBytes?(): number | null;
  close(): void | Promise<void>;
}

export type { MessageEvidence };

export interface BenchSystem {
  train(context: TrainContext): Promise<TrainOutcome>;
  /** Loads the model from `modelDirectory`, importing the system's library on first use. */
  load(modelDirectory: string, context: { intents: string[]; languages: string[] }): Promise<LoadedClassifier>;
}
