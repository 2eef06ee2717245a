/** The outcome of one `npm run bench` run, as written to bench-results/results.json and --json. */
import type { ThresholdChoice } from '../../src/calibrate/threshold.js';
import type { AbstentionView, GroupView } from '../../src/eval/metrics.js';
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
  serving?: Omit<MeasurePhaseResult, 'dev' | 'tune' | 'test' | 'openWorld'>;
  rss?: RssPhaseResult;
  modelBytes?: number;
  threshold?: ThresholdChoice;
  /** The familiarity cut chosen with the threshold (0 for systems without a familiarity signal). */
  minimumFamiliarity?: number;
  /** The intent-familiarity cut chosen with it. */
  minimumIntentFamiliarity?: number;
  /** The word-familiarity cut chosen with it. */
  minimumWordFamiliarity?: number;
  openWorld?: {
    examples: number;
    abstention: AbstentionView;
    byKind: GroupView[];
    byLanguageCode: GroupView[];
    unsupported: { questions: number; answered: number; refusedAsUnsupported: number };
    coverageAt95: { threshold: number; reachable: boolean; coverage: number };
  };
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
  data: { trainPaths: string[]; testPaths: string[]; tunePaths: string[]; openWorldPaths: string[]; train: number; dev: number; tune: number; test: number; openWorld: number; seed: number; devFraction: number };
  rule: { targetPrecision: number; margin: number; answerableIntents: string[] };
  autotuneSeconds: number;
  languages: string[];
  systems: SystemResult[];
}
