/**
 * Seeded 32-bit hashing for the semantic index, written here because the npm MinHash
 * packages overflow 2^53 or throw (FIELD-NOTES). Everything uses `Math.imul` and `>>> 0`,
 * so no intermediate value leaves the 32-bit range and results are identical in every
 * process, platform and Node version.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixBlock(h: number, block: number): number {
  let k = Math.imul(block, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser: a cheap bijective avalanche of a 32-bit value. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3 x86_32 of the UTF-16LE bytes of `text` (two code units per block), so no
 * UTF-8 encoding is needed on the hot path. Equal to the reference implementation run on
 * `Buffer.from(text, 'utf16le')`.
 */
export function murmur3String(text: string, seed: number): number {
  let h = seed | 0;
  const length = text.length;
  const even = length & ~1;
  for (let i = 0; i < even; i += 2) {
    h = mixBlock(h, text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
  }
  if (length & 1) {
    let k = Math.imul(text.charCodeAt(length - 1), C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  return fmix32(h ^ (length * 2));
}

/**
 * MurmurHash3 x86_32 of `count` 32-bit little-endian words taken from `words` at `start`:
 * used to hash a shingle from its word hashes and a band from its signature rows.
 */
export function murmur3Words(words: ArrayLike<number>, start: number, count: number, seed: number): number {
  let h = seed | 0;
  for (let i = start; i < start + count; i++) h = mixBlock(h, words[i] ?? 0);
  return fmix32(h ^ (count * 4));
}

/**
 * A small deterministic generator (mulberry32) for the MinHash coefficients: the same seed
 * gives the same permutations in every process, which is what lets signatures written by
 * one worker be compared by another.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}
