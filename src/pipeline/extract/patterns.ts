/**
 * Regular expressions shared by the extractors and the fingerprint. Documents may be
 * 1 MiB, and V8's regex engine backtracks, so every pattern here follows two rules:
 * every quantifier is bounded, and a match may only start at a token boundary (enforced
 * by a lookbehind). A failed attempt then costs a bounded number of steps, and a scan is
 * linear in the document's length whatever the input.
 *
 * All are global: use them with `matchAll` or `replace`, which never share `lastIndex`
 * state between callers.
 */

/** Month names and abbreviations; `monthNumber` maps a match to 1-12. */
export const MONTH_SOURCE =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** 1-12 for a month name or abbreviation matched by `MONTH_SOURCE`, else 0. */
export function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** E-mail addresses (RFC 5321 length limits on the local part and labels). */
export const EMAIL_RE =
  /(?<![\w.%+-])[A-Za-z0-9][\w.%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\w-])/g;

/** http(s) URLs and bare `www.` hosts; trailing punctuation is trimmed by the caller. */
export const URL_RE = /(?<![\w@./-])(?:https?:\/\/|www\.)[^\s<>"'`{}|\\^]{1,2048}/gi;

/** One digit group of a phone number: `0132`, `12345678` or a parenthesised `(415)`, `(0)`. */
const PHONE_GROUP = String.raw`(?:\(\d{1,4}\)|\d{1,8})`;
/** Exactly one separator between groups, or none right after a closing parenthesis. */
const PHONE_SEP = String.raw`(?:[ .-]|(?<=\)))`;

/**
 * Phone number candidates: `+`/`00` and digits (separated or not), or 2-7 digit groups
 * with separators. Separators are mandatory between plain groups so a digit run can be
 * split only one way (optional separators would make a long run backtrack through every
 * split). `phones.ts` decides which candidates are phone numbers.
 */
export const PHONE_RE = new RegExp(
  String.raw`(?<![\w+#/.,-])(?:(?:\+|00)(?:\(\d{1,4}\)|\d{1,14})(?:${PHONE_SEP}${PHONE_GROUP}){0,6}|${PHONE_GROUP}(?:${PHONE_SEP}${PHONE_GROUP}){1,6})(?![\w-]|[.,:/]\d)`,
  'g',
);

/** ISO-like dates, year first: 2024-03-05, 2024/3/5, 2024.03.05 (a time may follow). */
const ISO_DATE = String.raw`(?<![\d.\/-])(?<iy>\d{4})(?<is>[-/.])(?<im>\d{1,2})\k<is>(?<id>\d{1,2})(?!\d|[.\/-]\d)`;
/** Numeric dates, year last: 05/03/2024, 3.5.2024, 05-03-24. Order is resolved later. */
const NUMERIC_DATE = String.raw`(?<![\d.\/-])(?<na>\d{1,2})(?<ns>[./-])(?<nb>\d{1,2})\k<ns>(?<ny>\d{4}|\d{2})(?!\d|[.\/-]\d)`;
/** Month first: March 5, 2024; Mar. 5th 2024. */
const MONTH_FIRST = String.raw`\b(?<wm>${MONTH_SOURCE})\.?\s{1,3}(?<wd>\d{1,2})(?:st|nd|rd|th)?,?\s{1,3}(?<wy>\d{4})(?!\d)`;
/** Day first: 5 March 2024; 5th of March, 2024; 05-Mar-2024. */
const DAY_FIRST = String.raw`(?<![\d.\/-])(?<vd>\d{1,2})(?:st|nd|rd|th)?(?:\s{1,3}of)?(?:\s{1,3}|-)(?<vm>${MONTH_SOURCE})\.?,?(?:\s{1,3}|-)(?<vy>\d{4})(?!\d)`;

/** Every date form `dates.ts` understands, in one pass so matches never overlap. */
export const DATE_RE = new RegExp([ISO_DATE, NUMERIC_DATE, MONTH_FIRST, DAY_FIRST].join('|'), 'gi');

/** ISO 4217 codes recognised next to an amount. */
export const CURRENCY_CODES = [
  'USD', 'EUR', 'GBP', 'CHF', 'JPY', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK',
  'HUF', 'INR', 'CNY', 'SGD', 'HKD', 'ZAR', 'MXN', 'BRL',
] as const;

/** Currency symbols and the code each one stands for. A bare `$` is taken to be USD. */
export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  US$: 'USD', C$: 'CAD', A$: 'AUD', $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR',
};

/**
 * An amount as written: grouped thousands (1,234.50 / 1.234,56 / 1'234.50) or plain
 * digits, with up to two decimals. Plain spaces are not thousands separators: "5 100
 * units" is two numbers. `numbers.ts` decides which separator is the decimal one.
 */
export const AMOUNT_SOURCE = String.raw`\d{1,3}(?:[,.\u00a0\u202f']\d{3}){1,4}(?:[.,]\d{1,2})?|\d{1,12}(?:[.,]\d{1,2})?`;

const CODES = CURRENCY_CODES.join('|');
const SYMBOLS = String.raw`US\$|C\$|A\$|\$|€|£|¥|₹`;

/** Money: currency before (`$1,234.50`, `EUR 99`) or after (`99,00 €`, `1.234,56 EUR`). */
export const MONEY_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}$€£¥₹])(?:(?<pc>${CODES})|(?<ps>${SYMBOLS}))\s?(?<pn>${AMOUNT_SOURCE})(?!\p{N}|[.,]\p{N})` +
    '|' +
    String.raw`(?<![\p{L}\p{N}.,])(?<sn>${AMOUNT_SOURCE})\s?(?:(?<sc>${CODES})|(?<ss>[€£¥₹]))(?![\p{L}\p{N}])`,
  'gu',
);

/** Percentages: 20%, 7,5 %, 12.25 percent. */
export const PERCENT_RE = /(?<![\p{L}\p{N}.,])(?<num>\d{1,3}(?:[.,]\d{1,3})?)\s?(?:%|percent\b|per cent\b)/giu;
