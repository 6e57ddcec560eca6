import { uniqueBy } from './limits.js';
import { parseLocaleNumber } from './numbers.js';
import { CURRENCY_SYMBOLS, MONEY_RE } from './patterns.js';

/** A money amount found in the text. */
export interface Money {
  /** The value in the currency's main unit: `$1,234.50` → 1234.5. */
  readonly amount: number;
  /** ISO 4217 code; a bare `$` is read as USD. */
  readonly currency: string;
  /** The amount as written. */
  readonly text: string;
}

/**
 * Distinct amounts (by currency and value) in order of first appearance. An amount
 * needs a currency next to it: a bare `1,234.50` could be a quantity or an id.
 */
export function extractMoney(text: string): Money[] {
  const found: Money[] = [];
  // Price lists repeat the same few amounts thousands of times: parse each spelling once.
  const spellings = new Set<string>();
  for (const m of text.matchAll(MONEY_RE)) {
    if (spellings.has(m[0])) continue;
    spellings.add(m[0]);
    const money = toMoney(m);
    if (money !== undefined) found.push(money);
  }
  return uniqueBy(found, (money) => `${money.currency} ${money.amount}`);
}

function toMoney(m: RegExpMatchArray): Money | undefined {
  const g = m.groups!;
  const written = g.pn ?? g.sn!;
  const currency = g.pc ?? g.sc ?? CURRENCY_SYMBOLS[g.ps ?? g.ss ?? ''];
  const amount = parseLocaleNumber(written);
  if (currency === undefined || amount === undefined) return undefined;
  return { amount, currency, text: m[0] };
}

/**
 * A line that starts with a phrase naming the amount to pay: `strong` ("Amount due",
 * "Balance due", "Grand total") or `plain` ("Total", but not "Total VAT"). "Subtotal"
 * never qualifies. The rest of the line is bounded: the amount follows the phrase.
 */
const TOTAL_LINE_RE =
  /^[^\S\n]{0,40}(?:(?<strong>(?:amount|balance|total)[ \t]{1,3}(?:due|payable|to[ \t]pay)|grand[ \t]{1,3}total|invoice[ \t]{1,3}total)|(?<plain>total(?![ \t]{1,3}(?:vat|tax|net|excl))))\b[^\n]{0,200}/gim;

/**
 * The amount a document asks to be paid: the first amount on the line of the strongest
 * total phrase ("Amount due" beats "Total"), the last such line when several tie (the
 * final total of an invoice follows any intermediate ones). `null` when there is none.
 */
export function findTotal(text: string): Money | null {
  let best: Money | null = null;
  let bestRank = 0;
  for (const m of text.matchAll(TOTAL_LINE_RE)) {
    const rank = m.groups!.strong !== undefined ? 2 : 1;
    if (rank < bestRank) continue;
    const money = extractMoney(m[0])[0];
    if (money === undefined) continue;
    best = money;
    bestRank = rank;
  }
  return best;
}
