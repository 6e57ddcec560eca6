import { describe, expect, it } from 'vitest';
import {
  bandKeys,
  candidateProbability,
  chooseBanding,
  DEFAULT_BANDING_WEIGHTS,
  falseNegativeArea,
  falsePositiveArea,
} from '../../../src/semantic/lsh.js';

describe('LSH banding', () => {
  it('pins the documented plans for 128 permutations (fp 0.1 / fn 0.9)', () => {
    expect(DEFAULT_BANDING_WEIGHTS).toEqual({ falsePositive: 0.1, falseNegative: 0.9 });
    expect(chooseBanding(0.7, 128)).toEqual({ bands: 20, rows: 6 });
    expect(chooseBanding(0.75, 128)).toEqual({ bands: 16, rows: 8 });
    expect(chooseBanding(0.8, 128)).toEqual({ bands: 14, rows: 9 });
    expect(chooseBanding(0.9, 128)).toEqual({ bands: 8, rows: 16 });
  });

  it('matches datasketch with equal weights', () => {
    // datasketch's _optimal_param, re-run with scipy's quad, gives (9, 13) here and (20, 6), (16, 8),
    // (14, 9), (8, 16) with weights 0.1 / 0.9 at the thresholds above.
    expect(chooseBanding(0.8, 128, { falsePositive: 0.5, falseNegative: 0.5 })).toEqual({ bands: 9, rows: 13 });
  });

  it('never uses more rows than permutations, and weighting false negatives raises recall at the threshold', () => {
    for (const threshold of [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]) {
      for (const permutations of [16, 64, 128]) {
        const plan = chooseBanding(threshold, permutations);
        expect(plan.bands * plan.rows).toBeLessThanOrEqual(permutations);
        const equal = chooseBanding(threshold, permutations, { falsePositive: 0.5, falseNegative: 0.5 });
        expect(candidateProbability(threshold, plan)).toBeGreaterThanOrEqual(candidateProbability(threshold, equal));
      }
    }
  });

  it('integrates the S-curve correctly', () => {
    // b = r = 1: P(s) = s, so FP = ∫0^t s ds = t²/2 and FN = ∫t^1 (1 − s) ds = (1 − t)²/2.
    const plan = { bands: 1, rows: 1 };
    expect(falsePositiveArea(0.6, plan)).toBeCloseTo(0.18, 10);
    expect(falseNegativeArea(0.6, plan)).toBeCloseTo(0.08, 10);
    // The S-curve is monotone, 0 at 0 and 1 at 1.
    const curve = chooseBanding(0.8, 128);
    expect(candidateProbability(0, curve)).toBe(0);
    expect(candidateProbability(1, curve)).toBe(1);
    for (let s = 0.05; s <= 1; s += 0.05) {
      expect(candidateProbability(s, curve)).toBeGreaterThanOrEqual(candidateProbability(s - 0.05, curve));
    }
  });

  it('rejects impossible settings', () => {
    expect(() => chooseBanding(0, 128)).toThrow(RangeError);
    expect(() => chooseBanding(1.1, 128)).toThrow(RangeError);
    expect(() => chooseBanding(0.8, 0)).toThrow(RangeError);
  });

  it('gives one key per band, equal iff the band rows and the salt are equal', () => {
    const plan = { bands: 4, rows: 2 };
    const a = Uint32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const b = Uint32Array.from([1, 2, 3, 4, 5, 6, 7, 9]); // last band differs
    const keysA = bandKeys(a, plan, 0);
    const keysB = bandKeys(b, plan, 0);
    expect(keysA).toHaveLength(4);
    expect(Array.from(keysA.slice(0, 3))).toEqual(Array.from(keysB.slice(0, 3)));
    expect(keysA[3]).not.toBe(keysB[3]);
    // Same rows in two bands, or under another salt, give other keys.
    const repeated = bandKeys(Uint32Array.from([1, 2, 1, 2]), { bands: 2, rows: 2 }, 0);
    expect(repeated[0]).not.toBe(repeated[1]);
    expect(bandKeys(a, plan, 1)[0]).not.toBe(keysA[0]);
  });
});
