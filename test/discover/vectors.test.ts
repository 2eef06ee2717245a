import { describe, expect, it } from 'vitest';
import { scaleToLength } from '../../src/discover/vectors.js';

describe('scaleToLength', () => {
  it('scales to unit length, or to the square root of the given squared length', () => {
    const unit = Float32Array.of(3, 4);
    expect(scaleToLength(unit)).toBe(true);
    expect([...unit]).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    const half = Float32Array.of(3, 4);
    expect(scaleToLength(half, 0.25)).toBe(true);
    expect([...half]).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it('leaves a zero vector as it is and says so', () => {
    const zero = new Float32Array(3);
    expect(scaleToLength(zero)).toBe(false);
    expect([...zero]).toEqual([0, 0, 0]);
  });
});
