import { describe, expect, it } from 'vitest';
import { fmix32, murmur3String, murmur3Words, seededRandom } from '../../../src/semantic/hash.js';

/** Byte-wise MurmurHash3 x86_32, straight from the reference C code, to check ours against. */
function reference(bytes: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  const blocks = bytes.length >>> 2;
  for (let i = 0; i < blocks; i++) {
    let k = (bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | (bytes[4 * i + 3]! << 24)) >>> 0;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  const rest = bytes.length & 3;
  if (rest > 0) {
    let k = 0;
    for (let i = rest - 1; i >= 0; i--) k = (k << 8) | bytes[tail + i]!;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  return fmix32(h ^ bytes.length);
}

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

describe('MurmurHash3 x86_32', () => {
  it('the reference matches published test vectors', () => {
    expect(reference(utf8(''), 0)).toBe(0);
    expect(reference(utf8(''), 1)).toBe(0x514e28b7);
    expect(reference(utf8(''), 0xffffffff)).toBe(0x81f16f39);
    expect(reference(new Uint8Array(4), 0)).toBe(0x2362f9de);
    expect(reference(utf8('aaaa'), 0x9747b28c)).toBe(0x5a97808a);
    expect(reference(utf8('Hello, world!'), 0x9747b28c)).toBe(0x24884cba);
    expect(reference(utf8('The quick brown fox jumps over the lazy dog'), 0x9747b28c)).toBe(0x2fa826cd);
  });

  it('hashes a string as the reference hashes its UTF-16LE bytes (odd and even lengths, non-ASCII)', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'hello world', 'Müller – 東京 🚚', 'x'.repeat(1001)]) {
      for (const seed of [0, 1, 0x9747b28c, 0xffffffff]) {
        expect(murmur3String(text, seed)).toBe(reference(new Uint8Array(Buffer.from(text, 'utf16le')), seed));
      }
    }
  });

  it('hashes 32-bit words as the reference hashes their little-endian bytes', () => {
    const words = new Uint32Array([0, 1, 0xffffffff, 0x80000000, 123456789, 42]);
    const bytes = new Uint8Array(words.buffer.slice(0)); // little-endian on every platform Node supports
    expect(murmur3Words(words, 0, words.length, 7)).toBe(reference(bytes, 7));
    expect(murmur3Words(words, 2, 3, 7)).toBe(reference(bytes.subarray(8, 20), 7));
  });

  it('returns unsigned 32-bit integers', () => {
    for (let i = 0; i < 1000; i++) {
      const h = murmur3String(`w${i}`, i);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    }
  });
});

describe('seededRandom', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const c = seededRandom(2);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32)).toBe(true);
  });
});
