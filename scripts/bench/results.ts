/** The outcome of one `npm run bench` run, as written to bench-results/results.json and --json. */
import type { ThresholdChoice } from '../../src/calibrate/threshold.js';
import type { AbstentionView } from '../../src/eval/metrics.js';
import type { MeasurePhaseResult, RssPhaseResult, TrainPhaseResult } from './phases.js';
import type { MachineDescription } from './system-info.js';

export interface SystemResult {
  id: string;
  label: string;
  version: string;
  status: 'ok' | 'skipped' | 'failed';
  /** Why it was skipped or how it failed. */
  reason?: string;
  training?: TrainPhaseResult;
  serving?: Omit<MeasurePhaseResult, 'dev' | 'test'>;
  rss?: RssPhaseResult;
  modelBytes?: number;
  threshold?: ThresholdChoice;
  test?: {
    examples: number;
    accuracy: number;
    macroF1: number;
    perLanguage: Record<string, { examples: number; accuracy: number; macroF1: number }>;
    abstention: AbstentionView;
  };
}

export interface BenchRun {
  date: string;
  command: string;
  /** Where the raw results are written, relative to the package root. */
  resultsFile: string;
  smoke: boolean;
  machine: MachineDescription;
  /** 1-minute load average when the run started and ended: other work on the machine skews timings. */
  loadAverage: { start: number; end: number };
  data: { trainPaths: string[]; testPaths: string[]; train: number; dev: number; test: number; seed: number; devFraction: number };
  rule: { targetPrecision: number; margin: number; answerableIntents: string[] };
  autotuneSeconds: number;
  languages: string[];
  systems: SystemResult[];
}
