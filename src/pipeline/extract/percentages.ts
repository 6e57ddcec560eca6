import { uniqueBy } from './limits.js';
import { parseLocaleNumber } from './numbers.js';
import { PERCENT_RE } from './patterns.js';

/** A percentage found in the text. */
export interface Percentage {
  /** `7,5 %` → 7.5. */
  readonly value: number;
  /** The percentage as written. */
  readonly text: string;
}

/** Distinct percentages (by value) in order of first appearance. */
export function extractPercentages(text: string): Percentage[] {
  const found: Percentage[] = [];
  for (const m of text.matchAll(PERCENT_RE)) {
    const value = parseLocaleNumber(m.groups!.num!);
    if (value !== undefined) found.push({ value, text: m[0] });
  }
  return uniqueBy(found, (p) => String(p.value));
}
