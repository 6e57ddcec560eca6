import { murmur3String, murmur3Words, seededRandom } from './hash.js';

/**
 * MinHash over word shingles. Permutation i is the universal hash `(a_i·x + b_i) mod p` with
 * the Mersenne prime p = 2^31 − 1, as in datasketch (which uses 2^61 − 1 and 64-bit integers).
 * Drawing a_i from [1, 2^21) keeps a_i·x + b_i below 2^52 + 2^31 < 2^53, so one
 * floating-point multiply is exact — no BigInt, no split products — and each map is still a
 * permutation of Z_p. The reduction uses 2^31 ≡ 1 (mod p) instead of the slow float `%`:
 * together ~3× faster than splitting a full-range a_i.
 */

/** The Mersenne prime 2^31 − 1: the modulus of the permutation family. */
export const MERSENNE_31 = 0x7fffffff;
const TWO_31 = 2 ** 31;
const INV_TWO_31 = 1 / TWO_31; // exact: a power of two
const A_LIMIT = 2 ** 21;
/** Value of an empty signature slot: larger than any permuted hash (< p). */
export const EMPTY_SLOT = 0xffffffff;

/** Seeds of the word hashes and of the shingle hashes built from them. */
const SEED = { word: 0x9747b28c, shingle: 0x5bd1e995 } as const;

/** Computes MinHash signatures with fixed, seeded permutations. */
export class MinHasher {
  readonly permutations: number;
  readonly shingleSize: number;
  private readonly a: Float64Array;
  private readonly b: Float64Array;

  /**
   * @param permutations signature length (number of permutations)
   * @param shingleSize words per shingle
   * @param seed seeds the permutation coefficients; same seed, same signatures everywhere
   */
  constructor(permutations: number, shingleSize: number, seed: number) {
    if (!Number.isInteger(permutations) || permutations < 1) throw new RangeError('permutations must be a positive integer');
    if (!Number.isInteger(shingleSize) || shingleSize < 1) throw new RangeError('shingleSize must be a positive integer');
    this.permutations = permutations;
    this.shingleSize = shingleSize;
    this.a = new Float64Array(permutations);
    this.b = new Float64Array(permutations);
    const random = seededRandom(seed);
    for (let i = 0; i < permutations; i++) {
      this.a[i] = 1 + (random() % (A_LIMIT - 1)); // never 0: that would map every shingle to b
      this.b[i] = random() % MERSENNE_31;
    }
  }

  /**
   * Hashes of the word shingles of `words` (k consecutive words each; a text shorter than
   * k words is one shingle). Word order inside a shingle matters; shingle order does not.
   */
  shingleHashes(words: readonly string[]): Uint32Array {
    if (words.length === 0) return new Uint32Array(0);
    const wordHashes = new Uint32Array(words.length);
    for (let i = 0; i < words.length; i++) wordHashes[i] = murmur3String(words[i] ?? '', SEED.word);
    const k = Math.min(this.shingleSize, words.length);
    const count = words.length - k + 1;
    const out = new Uint32Array(count);
    for (let i = 0; i < count; i++) out[i] = murmur3Words(wordHashes, i, k, SEED.shingle);
    return out;
  }

  /** The signature of a set of shingle hashes: per permutation, the least permuted value. */
  signature(shingles: Uint32Array): Uint32Array {
    const n = this.permutations;
    // Float64 working copy: comparisons and stores stay unboxed doubles in optimised code.
    const minimum = new Float64Array(n).fill(EMPTY_SLOT);
    const { a, b } = this;
    for (let s = 0; s < shingles.length; s++) {
      let x = shingles[s]!; // < 2^32 < 3p: reduce mod p by subtraction
      if (x >= MERSENNE_31) x -= MERSENNE_31;
      if (x >= MERSENNE_31) x -= MERSENNE_31;
      for (let i = 0; i < n; i++) {
        const value = a[i]! * x + b[i]!; // < 2^53: exact
        const high = Math.floor(value * INV_TWO_31);
        let permuted = high + (value - high * TWO_31); // ≡ value (mod p), < 2p
        if (permuted >= MERSENNE_31) permuted -= MERSENNE_31;
        if (permuted < minimum[i]!) minimum[i] = permuted;
      }
    }
    return Uint32Array.from(minimum);
  }

  /** Signature of a word sequence. */
  signatureOfWords(words: readonly string[]): Uint32Array {
    return this.signature(this.shingleHashes(words));
  }
}

/**
 * Estimated Jaccard similarity of the two shingle sets: the share of signature slots that
 * agree. Signatures of different lengths (other settings) are never comparable: 0.
 */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  const n = a.length;
  if (n === 0 || n !== b.length) return 0;
  let equal = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) equal++;
  return equal / n;
}
