/**
 * Output bounds. Artifacts are cached in a 250 MB Redis and shipped in job results, so a
 * pathological 1 MiB document must not yield a multi-megabyte artifact.
 */
export const LIMITS = {
  /** Most entries kept in each extracted list (emails, dates, amounts, ...). */
  maxItems: 100,
  /** Most `Label: value` pairs kept. */
  maxLabels: 200,
  /** Longest label value kept, in characters; longer values are cut. */
  maxLabelValue: 300,
  /** Keywords returned. */
  keywords: 10,
  /** Longest summary, in characters. */
  summaryChars: 300,
  /** Most sentences in a summary. */
  summarySentences: 3,
} as const;

/**
 * The first entries of `items` with a distinct `key`, in input order, at most `max`. Used
 * by every extractor so "unique, first occurrence wins, bounded" means one thing.
 */
export function uniqueBy<T>(items: Iterable<T>, key: (item: T) => string, max: number = LIMITS.maxItems): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}
