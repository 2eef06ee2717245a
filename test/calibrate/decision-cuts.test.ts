import { describe, expect, it } from 'vitest';
import { chooseDecisionCuts } from '../../src/calibrate/decision-cuts.js';
import type { ScoredPrediction } from '../../src/calibrate/threshold.js';
import { FAMILIAR, testPolicy } from '../helpers/policy.js';

const policy = testPolicy();

/** Familiarity cuts with no intent-familiarity cut. */
const familiarityCuts = (...values: number[]) => values.map((familiarity) => ({ familiarity, intentFamiliarity: 0 }));

function prediction(actual: string, confidence: number, familiarity: number): ScoredPrediction {
  return { predicted: 'delivery_status', actual, confidence, secondConfidence: 0, evidence: { ...FAMILIAR, familiarity, intentFamiliarity: familiarity } };
}

describe('chooseDecisionCuts', () => {
  // Dev: 100 familiar, right, confident in-domain answers.
  const dev = Array.from({ length: 100 }, (_, index) => prediction('delivery_status', 0.9 + index * 0.001, 0.8));
  // Tuning: 50 open-world `other` questions the model is just as sure about, but unfamiliar.
  const tuning = Array.from({ length: 50 }, (_, index) => prediction('other', 0.95 + index * 0.001, 0.3));

  it('finds the familiarity cut that keeps open-world text out without costing dev coverage', () => {
    const cuts = chooseDecisionCuts(dev, tuning, policy, 0.95, 0.01, familiarityCuts(0, 0.25, 0.5, 0.75, 0.9));
    expect(cuts.tuningLimitMet).toBe(true);
    expect(cuts.tuningOtherAnswerRate).toBe(0);
    expect(cuts.coverage).toBe(1);
    // 0.5 and 0.75 both work; ties go to the lower cut. 0.9 would refuse all of dev.
    expect(cuts.minimumFamiliarity).toBe(0.5);
  });

  it('without a familiarity cut, confidence alone can only keep them out by answering nothing', () => {
    const cuts = chooseDecisionCuts(dev, tuning, policy, 0.95, 0.01, familiarityCuts(0));
    expect(cuts.threshold.reachable).toBe(false);
    expect(cuts.coverage).toBe(0);
  });

  it('with no tuning data, chooses on dev alone', () => {
    const cuts = chooseDecisionCuts(dev, [], policy, 0.95, 0.01, familiarityCuts(0, 0.5));
    expect(cuts).toMatchObject({ coverage: 1, tuningOtherAnswerRate: 0, tuningLimitMet: true });
  });

  it('raises the threshold above the tuning questions that familiarity cannot tell apart', () => {
    // Just as familiar as dev, but less confident: a threshold above 0.6 keeps them all out.
    const lukewarm = Array.from({ length: 50 }, (_, index) => prediction('other', 0.5 + index * 0.002, 0.8));
    const cuts = chooseDecisionCuts(dev, lukewarm, policy, 0.95, 0.01, familiarityCuts(0, 0.5));
    expect(cuts.threshold.threshold).toBeGreaterThan(0.6);
    expect(cuts).toMatchObject({ coverage: 1, tuningOtherAnswerRate: 0, minimumFamiliarity: 0 });
  });

  it('uses the intent-familiarity cut where plain familiarity cannot tell them apart', () => {
    // As familiar overall as dev, but little of it was seen with the predicted intent.
    const elsewhere = Array.from({ length: 50 }, (_, index) => ({ ...prediction('other', 0.95 + index * 0.001, 0.8), evidence: { ...FAMILIAR, familiarity: 0.8, intentFamiliarity: 0.3 } }));
    const both = chooseDecisionCuts(dev, elsewhere, policy, 0.95, 0.01, [{ familiarity: 0, intentFamiliarity: 0 }, { familiarity: 0, intentFamiliarity: 0.5 }]);
    expect(both).toMatchObject({ coverage: 1, tuningOtherAnswerRate: 0, minimumIntentFamiliarity: 0.5 });
  });
});
