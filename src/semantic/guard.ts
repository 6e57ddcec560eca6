import { createHash } from 'node:crypto';
import { extractSalient, type SalientTokens } from './salient.js';

/**
 * The guard: a near-duplicate may be served only when both documents carry the same
 * salient tokens. The index never stores texts, so it compares fingerprints of the tokens;
 * the pairwise form is for callers that hold both texts (tests, the harness, a pipeline
 * that re-checks a candidate).
 */

/** Salient tokens of a text. A plain array is compared as a multiset (order ignored). */
export type SalientExtractor = (text: string) => SalientTokens | readonly string[];

/** Pairwise guard: true when `b`'s artifact may be served for `a`. */
export type SemanticGuard = (a: string, b: string) => boolean;

function asTokens(tokens: SalientTokens | readonly string[]): SalientTokens {
  if (Array.isArray(tokens)) return { ordered: [], labels: [...(tokens as readonly string[])].sort() };
  return tokens as SalientTokens;
}

/**
 * A 128-bit digest of the tokens (ordered part in order, labels as a sorted multiset):
 * equal fingerprints ⇔ equal salient tokens, with a collision chance of 2^-128.
 */
export function salientFingerprint(tokens: SalientTokens | readonly string[]): string {
  const { ordered, labels } = asTokens(tokens);
  // JSON keeps token boundaries unambiguous whatever characters a token holds.
  const text = JSON.stringify([ordered, [...labels].sort()]);
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 22);
}

/** Fingerprint of `text` under `extractor` (the default extractor unless a pipeline supplies one). */
export function fingerprintText(text: string, extractor: SalientExtractor = extractSalient): string {
  return salientFingerprint(extractor(text));
}

/** A pairwise guard from an extractor: same fingerprint, same salient tokens. */
export function guardFromExtractor(extractor: SalientExtractor = extractSalient): SemanticGuard {
  return (a, b) => fingerprintText(a, extractor) === fingerprintText(b, extractor);
}

/** The default pairwise guard. */
export const defaultGuard: SemanticGuard = guardFromExtractor(extractSalient);

/** Which tokens differ between two texts (both directions), for logs and tests. */
export function salientDifference(
  a: string,
  b: string,
  extractor: SalientExtractor = extractSalient,
): { onlyInA: string[]; onlyInB: string[] } {
  const flat = (text: string): string[] => {
    const tokens = asTokens(extractor(text));
    return [...tokens.ordered, ...tokens.labels];
  };
  const left = flat(a);
  const right = flat(b);
  const remaining = new Map<string, number>();
  for (const token of right) remaining.set(token, (remaining.get(token) ?? 0) + 1);
  const onlyInA: string[] = [];
  for (const token of left) {
    const count = remaining.get(token) ?? 0;
    if (count > 0) remaining.set(token, count - 1);
    else onlyInA.push(token);
  }
  const onlyInB = [...remaining].flatMap(([token, count]) => Array<string>(count).fill(token));
  return { onlyInA, onlyInB };
}
