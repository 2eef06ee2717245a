import { describe, expect, it } from 'vitest';
import { shareOfDrawsCandidateLower } from '../../src/learning/paired-bootstrap.js';

describe('shareOfDrawsCandidateLower', () => {
  it('is 0.5 for identical predictions (every draw a tie) and for no questions', () => {
    const same = Int32Array.of(0, 1, 1, 0);
    expect(shareOfDrawsCandidateLower({ actual: Int32Array.of(0, 1, 0, 0), current: same, candidate: same, intentCount: 2 }, 200)).toBe(0.5);
    expect(shareOfDrawsCandidateLower({ actual: new Int32Array(0), current: new Int32Array(0), candidate: new Int32Array(0), intentCount: 2 }, 200)).toBe(0.5);
  });

  it('matches the hand-computed expectation when one question of four separates the models', () => {
    // The candidate is lower in every draw that holds question 1 and ties in the others, which
    // leave it out with probability (3/4)^4: expected share 1 − (3/4)^4 / 2 = 0.8418.
    const scores = { actual: Int32Array.of(0, 0, 1, 1), current: Int32Array.of(0, 0, 1, 1), candidate: Int32Array.of(0, 1, 1, 1), intentCount: 2 };
    expect(shareOfDrawsCandidateLower(scores, 20_000)).toBeCloseTo(1 - 0.75 ** 4 / 2, 2);
    // Swapping the models' roles gives the complement.
    expect(shareOfDrawsCandidateLower({ ...scores, current: scores.candidate, candidate: scores.current }, 20_000)).toBeCloseTo(0.75 ** 4 / 2, 2);
  });

  it('gives the same share for the same seed and draws', () => {
    const scores = { actual: Int32Array.of(0, 1, 2, 0, 1, 2), current: Int32Array.of(0, 1, 2, 1, 1, 2), candidate: Int32Array.of(0, 2, 2, 0, 1, 0), intentCount: 3 };
    expect(shareOfDrawsCandidateLower(scores, 500)).toBe(shareOfDrawsCandidateLower(scores, 500));
  });
});
