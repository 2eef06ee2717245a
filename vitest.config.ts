import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Training tests run TensorFlow.js on 2 cores; give them room without hiding real hangs.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
