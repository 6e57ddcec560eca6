import { murmur3Words } from './hash.js';

/**
 * LSH banding: a signature is cut into b bands of r rows; two documents become candidates
 * when any band is identical, which happens with probability 1 − (1 − s^r)^b for Jaccard
 * similarity s (the "S-curve"). Candidates are always re-scored against the threshold, so
 * a false positive here costs a comparison while a false negative loses a hit: false
 * negatives are weighted higher.
 *
 * Chosen for the defaults (128 permutations, weights fp 0.1 / fn 0.9), candidate
 * probability at the threshold in brackets:
 *   threshold 0.70 → b = 20, r = 6  (0.92)    threshold 0.80 → b = 14, r = 9   (0.87)
 *   threshold 0.75 → b = 16, r = 8  (0.82) ← default    threshold 0.90 → b = 8,  r = 16  (0.81)
 * datasketch's equal weights would give 11 × 11 at 0.75, proposing only 38 % of pairs right at
 * the threshold. test/unit/semantic/lsh.test.ts pins these values.
 */

/** A banding plan: `bands` × `rows` ≤ permutations; trailing slots beyond it are unused by LSH. */
export interface Banding {
  readonly bands: number;
  readonly rows: number;
}

/** Weights of the two error integrals; they need not sum to 1. */
export interface BandingWeights {
  /** Weight of the false-positive area (candidates below the threshold). @defaultValue 0.1 */
  readonly falsePositive: number;
  /** Weight of the false-negative area (similar documents never proposed). @defaultValue 0.9 */
  readonly falseNegative: number;
}

/** Default weights: a missed near-duplicate costs a pipeline run, a spurious candidate a few ns. */
export const DEFAULT_BANDING_WEIGHTS: BandingWeights = Object.freeze({ falsePositive: 0.1, falseNegative: 0.9 });

const STEPS = 256; // Simpson's rule intervals; the integrands are smooth and bounded by 1

/** Probability that a pair of similarity `s` shares at least one band. */
export function candidateProbability(s: number, banding: Banding): number {
  return 1 - (1 - s ** banding.rows) ** banding.bands;
}

function simpson(f: (x: number) => number, from: number, to: number): number {
  if (to <= from) return 0;
  const h = (to - from) / STEPS;
  let sum = f(from) + f(to);
  for (let i = 1; i < STEPS; i++) sum += (i % 2 === 1 ? 4 : 2) * f(from + i * h);
  return (sum * h) / 3;
}

/** Area under the S-curve below the threshold: pairs proposed although not similar enough. */
export function falsePositiveArea(threshold: number, banding: Banding): number {
  return simpson((s) => candidateProbability(s, banding), 0, threshold);
}

/** Area above the S-curve beyond the threshold: similar pairs never proposed. */
export function falseNegativeArea(threshold: number, banding: Banding): number {
  return simpson((s) => 1 - candidateProbability(s, banding), threshold, 1);
}

const plans = new Map<string, Banding>();

/**
 * The banding that minimises `wFP·FP + wFN·FN` over all b·r ≤ permutations (datasketch's
 * `_optimal_param`, with our weights). Memoised: a process asks for very few settings.
 */
export function chooseBanding(
  threshold: number,
  permutations: number,
  weights: BandingWeights = DEFAULT_BANDING_WEIGHTS,
): Banding {
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError('threshold must be in (0, 1]');
  if (!Number.isInteger(permutations) || permutations < 1) throw new RangeError('permutations must be a positive integer');
  const memoKey = `${threshold}/${permutations}/${weights.falsePositive}/${weights.falseNegative}`;
  const memo = plans.get(memoKey);
  if (memo) return memo;
  let best: Banding = { bands: 1, rows: permutations };
  let bestError = Number.POSITIVE_INFINITY;
  for (let bands = 1; bands <= permutations; bands++) {
    const maxRows = Math.floor(permutations / bands);
    for (let rows = 1; rows <= maxRows; rows++) {
      const plan = { bands, rows };
      const error =
        weights.falsePositive * falsePositiveArea(threshold, plan) +
        weights.falseNegative * falseNegativeArea(threshold, plan);
      if (error < bestError) {
        bestError = error;
        best = plan;
      }
    }
  }
  const frozen = Object.freeze(best);
  plans.set(memoKey, frozen);
  return frozen;
}

const BAND_SEED = 0x3c6ef372;

/**
 * One 32-bit key per band: the hash of the band's rows, salted with the band number and
 * `salt` (the index and guard fingerprint hashes), so equal rows in different bands, indexes
 * or salient-token sets never share a bucket. A collision only adds a candidate, which is
 * re-checked, so 32 bits are plenty.
 */
export function bandKeys(signature: Uint32Array, banding: Banding, salt: number): Uint32Array {
  const keys = new Uint32Array(banding.bands);
  for (let band = 0; band < banding.bands; band++) {
    keys[band] = murmur3Words(signature, band * banding.rows, banding.rows, (BAND_SEED ^ salt ^ Math.imul(band + 1, 0x9e3779b1)) | 0);
  }
  return keys;
}
