import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** The whole corpus through `allina data check`: a near-duplicate search over every row, so in the slow project. */
describe('the shipped corpus', () => {
  it('passes `allina data check` (labels, duplicates, minimums) and prints the counts table', () => {
    const result = runCli(['data', 'check']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/intent \(train\+test\)\s+pl\s+cs\s+sk\s+hu\s+en/);
    expect(result.stdout).toContain('data check passed');
    // The same run's counts table: a test split of 8–20% in every language (it was written as one
    // batch of ~15%; later training batches from new writers shrink its share).
    const shares = result.stdout.split('\n').find((line) => line.startsWith('test share'))!.match(/[\d.]+%/g)!.map((share) => Number.parseFloat(share) / 100);
    expect(shares).toHaveLength(5);
    for (const share of shares) {
      expect(share).toBeGreaterThan(0.08);
      expect(share).toBeLessThan(0.2);
    }
  });
});
