/**
 * What a worker process writes for each phase, and where in the work directory:
 *   WORK/systems/ID/model/        the trained model (its size on disk is reported)
 *   WORK/systems/ID/scratch/      training files, logs
 *   WORK/systems/ID/PHASE.json    the phase's result
 *   WORK/systems/ID/PHASE.log     the worker's stdout and stderr
 */
import { join } from 'node:path';
import type { LatencySummary } from './stats.js';
import type { MessageEvidence, Ranking } from './system.js';

/** A system's ranking of one question, with its evidence where the system has any. */
export interface Answer {
  ranking: Ranking;
  evidence?: MessageEvidence;
}

export const PHASES = ['train', 'measure', 'rss'] as const;
export type Phase = (typeof PHASES)[number];

export interface TrainPhaseResult {
  seconds: number;
  peakRssBytes: number | null;
  /** Which process the RSS is of: the worker itself, or an external tool it ran. */
  rssOf: 'worker' | 'external';
  notes: string[];
}

export interface MeasurePhaseResult {
  /** From starting to load (library import included) until ready to classify. */
  loadMs: number;
  dev: Answer[];
  tune: Answer[];
  test: Answer[];
  openWorld: Answer[];
  latency: LatencySummary;
  throughput: { runs: number; questions: number; medianQuestionsPerSecond: number; allQuestionsPerSecond: number[] };
  /** Share of test questions whose top intent is the same from classifyBatch as from classify. */
  batchAgreement: number;
}

export interface RssPhaseResult {
  peakRssBytes: number | null;
  rssOf: 'worker' | 'external';
  /** VmHWM of the worker before it imported the system (bare Node + the bench data). */
  workerBaselineBytes: number | null;
}

export function systemPaths(workDirectory: string, systemId: string) {
  const root = join(workDirectory, 'systems', systemId);
  return {
    root,
    model: join(root, 'model'),
    scratch: join(root, 'scratch'),
    result: (phase: Phase) => join(root, `${phase}.json`),
    log: (phase: Phase) => join(root, `${phase}.log`),
  };
}
