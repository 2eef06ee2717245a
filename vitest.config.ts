import { defineConfig } from 'vitest/config';

/**
 * Tests that train with TensorFlow.js through the CLI or the library, run the whole learning
 * loop (also on a log the service wrote), a benchmark or the whole-corpus check: minutes, not seconds. `npm run test:slow`
 * (and CI, after `npm test`) runs them; everything else is the everyday `unit` project.
 */
const SLOW = ['test/train/**/*.test.ts', 'test/install/**/*.test.ts', 'test/learning/loop.test.ts', 'test/learning/serve-log-loop.test.ts', 'test/serve/bench-smoke.test.ts', 'test/scripts/**/*.test.ts', 'test/data/shipped-corpus.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    coverage: {
      provider: 'v8',
      // The modules whose numbers the hand-computed tests pin down (npm run test:coverage).
      include: ['src/eval/metrics.ts', 'src/learning/gate.ts', 'src/learning/review.ts'],
      reporter: ['text'],
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: SLOW,
          // Browser and process tests wait on child processes; on a loaded 2-core machine that takes a while.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'slow',
          include: SLOW,
          // Training on 2 shared cores; long enough for the learning loop's retrain step.
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
