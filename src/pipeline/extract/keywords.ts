import { LIMITS } from './limits.js';
import { STOP_WORDS } from './stop-words.js';

/**
 * The most frequent content words: at least 3 letters, not a stop word. Ties go to the
 * word that sorts first by UTF-16 code units (not `localeCompare`, whose order depends
 * on the ICU data of the running Node).
 *
 * @param counts content-word frequencies, from `termCounts()`.
 */
export function topKeywords(counts: ReadonlyMap<string, number>, max: number = LIMITS.keywords): string[] {
  return Array.from(counts)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, max)
    .map(([word]) => word);
}

/** How often each content word occurs. */
export function termCounts(words: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) {
    if (isContentWord(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

/** Whether a lower-case word carries meaning (long enough and not a stop word). */
export function isContentWord(word: string): boolean {
  return word.length >= 3 && !STOP_WORDS.has(word);
}
