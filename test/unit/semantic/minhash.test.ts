import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { similarityWords } from '../../../src/semantic/canonical.js';
import { fingerprintText } from '../../../src/semantic/guard.js';
import { EMPTY_SLOT, estimateJaccard, MERSENNE_31, MinHasher } from '../../../src/semantic/minhash.js';
import { invoiceText } from './fixtures.js';

const words = (n: number, prefix = 'w'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function exactJaccard(a: readonly string[], b: readonly string[], k: number): number {
  const shingles = (w: readonly string[]) => new Set(w.slice(0, w.length - k + 1).map((_, i) => w.slice(i, i + k).join(' ')));
  const sa = shingles(a);
  const sb = shingles(b);
  const common = [...sa].filter((s) => sb.has(s)).length;
  return common / (sa.size + sb.size - common);
}

describe('MinHasher', () => {
  const hasher = new MinHasher(128, 3, 1);

  it('gives the values computed once with the default settings (any change here breaks stored signatures)', () => {
    const signature = hasher.signatureOfWords(similarityWords(invoiceText()));
    expect(Array.from(signature.slice(0, 8))).toEqual([49234124, 62825145, 14336074, 1344390, 19774910, 33210255, 2661698, 15916216]);
    expect(fingerprintText(invoiceText())).toBe('zlMnKdiQgnntzOOPgQCK2U');
  });

  it('computes the same signature in another process', async () => {
    const script = `
      import { MinHasher } from './src/semantic/minhash.ts';
      import { similarityWords } from './src/semantic/canonical.ts';
      import { invoiceText } from './test/unit/semantic/fixtures.ts';
      process.stdout.write(JSON.stringify(Array.from(new MinHasher(128, 3, 1).signatureOfWords(similarityWords(invoiceText())))));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
    });
    expect(JSON.parse(stdout)).toEqual(Array.from(hasher.signatureOfWords(similarityWords(invoiceText()))));
  });

  it('keeps every slot a residue mod 2^31 − 1 (no precision lost past 2^53)', () => {
    const signature = hasher.signatureOfWords(words(5_000));
    expect(signature.every((v) => v < MERSENNE_31)).toBe(true);
    // Permutations are bijections of Z_p: the minimum over 5,000 random inputs is small.
    expect(Math.max(...signature)).toBeLessThan(MERSENNE_31 / 100);
  });

  it('depends on the seed, the shingle size and the number of permutations', () => {
    const text = words(50);
    const base = hasher.signatureOfWords(text);
    expect(new MinHasher(128, 3, 2).signatureOfWords(text)).not.toEqual(base);
    expect(new MinHasher(128, 2, 1).signatureOfWords(text)).not.toEqual(base);
    expect(new MinHasher(64, 3, 1).signatureOfWords(text)).toHaveLength(64);
  });

  it('treats word order inside a shingle as significant, shingle order as not', () => {
    expect(estimateJaccard(hasher.signatureOfWords(['a', 'b', 'c']), hasher.signatureOfWords(['c', 'b', 'a']))).toBe(0);
    const twice = hasher.signatureOfWords([...words(20), ...words(20)]);
    expect(estimateJaccard(twice, hasher.signatureOfWords([...words(20), 'w0', 'w1']))).toBe(1);
  });

  it('makes one shingle of a text shorter than k and empty slots of an empty text', () => {
    expect(hasher.shingleHashes(['a', 'b'])).toHaveLength(1);
    expect(hasher.signatureOfWords([]).every((v) => v === EMPTY_SLOT)).toBe(true);
  });

  it('estimates Jaccard similarity within 3 standard errors', () => {
    for (const overlap of [0.3, 0.6, 0.8, 0.9]) {
      const shared = words(Math.round(400 * overlap), 's');
      const a = [...shared, ...words(400 - shared.length, 'a')];
      const b = [...shared, ...words(400 - shared.length, 'b')];
      const exact = exactJaccard(a, b, 3);
      const estimate = estimateJaccard(hasher.signatureOfWords(a), hasher.signatureOfWords(b));
      const standardError = Math.sqrt((exact * (1 - exact)) / 128);
      expect(Math.abs(estimate - exact)).toBeLessThan(3 * standardError + 1e-9);
    }
  });

  it('never compares signatures of different lengths', () => {
    expect(estimateJaccard(new Uint32Array(4), new Uint32Array(8))).toBe(0);
    expect(estimateJaccard(new Uint32Array(0), new Uint32Array(0))).toBe(0);
  });

  it('rejects nonsense options', () => {
    expect(() => new MinHasher(0, 3, 1)).toThrow(RangeError);
    expect(() => new MinHasher(128, 0, 1)).toThrow(RangeError);
    expect(() => new MinHasher(1.5, 3, 1)).toThrow(RangeError);
  });
});
