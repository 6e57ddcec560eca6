/**
 * Patterns and word lists for salient-token extraction (salient.ts). Kept apart so the
 * extraction logic reads as logic and the lists can grow without touching it.
 */

/** Matches `word` in any letter case without the `i` flag, which would make `\p{Lu}` match lower case too. */
function anyCase(word: string): string {
  return [...word].map((c) => (c.toLowerCase() === c.toUpperCase() ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`)).join('');
}

const MONTH_NAMES = [
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
];
/** Month number by lower-case name or 3–4 letter abbreviation. */
export const MONTHS: ReadonlyMap<string, number> = new Map(
  MONTH_NAMES.flatMap((name, i) => [[name, i + 1], [name.slice(0, 3), i + 1], ...(name === 'september' ? [['sept', 9]] : [])] as [string, number][]),
);
const MONTH = `(?:${[...MONTHS.keys()].sort((a, b) => b.length - a.length).map(anyCase).join('|')})\\.?`;
const DAY = '\\d{1,2}(?:st|nd|rd|th)?';

const CURRENCY_CODES = ['USD', 'EUR', 'GBP', 'CHF', 'JPY', 'CAD', 'AUD', 'NZD', 'INR', 'CNY', 'SEK', 'NOK', 'DKK', 'PLN'];
/** Currency symbols and the code each stands for. `$` is taken as USD: the guard only needs consistency. */
export const CURRENCY_SYMBOLS: ReadonlyMap<string, string> = new Map([
  ['$', 'USD'], ['US$', 'USD'], ['€', 'EUR'], ['£', 'GBP'], ['¥', 'JPY'], ['₹', 'INR'], ['CHF', 'CHF'],
]);
const CURRENCY = `(?:US\\$|[$€£¥₹]|\\b(?:${CURRENCY_CODES.join('|')})\\b)`;
// Amount digits: 1,234.56 | 1.234,56 | 1234.56 | 1234,56
const AMOUNT = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d{1,3}(?:\\.\\d{3})+(?:,\\d+)?|\\d+(?:[.,]\\d+)?';

/** Kinds of token the scanner recognises, in priority order. */
export type TokenKind =
  | 'plain' | 'email' | 'url' | 'isoDate' | 'numDate' | 'mdyDate' | 'dmyDate'
  | 'moneyBefore' | 'moneyAfter' | 'time' | 'number' | 'compound';

const ALTERNATIVES: readonly (readonly [TokenKind, string])[] = [
  // Fast path first: most tokens are plain lower-case words that nothing else could claim
  // (not followed by anything that could make them part of an e-mail, id, URL or contraction).
  ['plain', "\\p{Ll}[\\p{Ll}\\p{M}]*(?![\\p{L}\\p{M}\\p{N}._%+@'’/:-])"],
  ['email', '[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+'],
  ['url', `(?:${anyCase('https')}?://|${anyCase('www')}\\.)[^\\s<>"'()\\[\\]]+`],
  ['isoDate', '\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}(?!\\d)'],
  ['numDate', '\\d{1,2}[-/.]\\d{1,2}[-/.](?:\\d{4}|\\d{2})(?![\\d.,]\\d)'],
  ['mdyDate', `${MONTH}\\s+${DAY},?\\s+\\d{4}(?!\\d)`],
  ['dmyDate', `${DAY}\\s+(?:of\\s+)?${MONTH},?\\s+\\d{4}(?!\\d)`],
  ['moneyBefore', `${CURRENCY}\\s*-?(?:${AMOUNT})`],
  ['moneyAfter', `(?:${AMOUNT})\\s*${CURRENCY}`],
  ['time', '\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s*[AaPp]\\.?[Mm]\\.?(?![\\p{L}]))?'],
  ['number', '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?(?![\\p{L}\\p{N}])|\\d+(?:\\.\\d+)?(?![\\p{L}\\p{N}])'],
  ['compound', "[\\p{L}\\p{N}]+(?:[-_/.][\\p{L}\\p{N}]+)*(?:['’]\\p{L}+)?"],
];

/** Token kind by capture group number (group i + 1 is `TOKEN_KINDS[i]`). */
export const TOKEN_KINDS: readonly TokenKind[] = ALTERNATIVES.map(([kind]) => kind);

/**
 * One pass over a text finds every token of interest; at each position the first matching
 * alternative wins, so order matters: e-mail before URL before dates before money before
 * numbers, ids and words. Plain numbered groups, not named ones: building a `groups` object
 * for every match cost more than the matching itself.
 */
export const TOKEN_PATTERN = new RegExp(ALTERNATIVES.map(([, source]) => `(${source})`).join('|'), 'gu');

/** Words that make a sentence mean its opposite; counted, so "not" cannot silently appear or vanish. */
export const NEGATIONS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'none', 'nor', 'neither', 'cannot', 'without', 'nothing', 'nobody', 'nowhere',
]);

/** Abbreviations whose full stop does not end a sentence (the next capitalised word may be a name). */
export const ABBREVIATIONS: ReadonlySet<string> = new Set([
  // Not "Inc.", "Ltd.", "Corp.", "etc.": they end sentences as often as not.
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'mt', 'no', 'nr', 'vs', 'approx', 'dept', 'ref', 'fig', 'vol', 'rev', 'gen',
  'capt', 'sgt', 'hon', 'messrs', 'e.g', 'i.e',
]);

/**
 * Common words that start sentences in business text: capitalised, they are still not
 * names. Every other capitalised word is — including a sentence's first word, so that
 * "Jane will call" cannot match "John will call" — at the cost of a miss when a reworded
 * sentence starts with an unlisted word ("Late payments…" / "A late fee…").
 */
export const SENTENCE_STARTERS: ReadonlySet<string> = new Set(
  `a an the this that these those there here it its we our us you your they their them he she his her i my me
  someone somebody anyone anybody everyone everybody something anything everything
  if when whenever while as at by for from in into of on onto to with within upon after before once until since
  because although though unless whether and or but so yet also then thus hence therefore however otherwise
  meanwhile furthermore moreover additionally finally further accordingly instead all any each every some many
  most other such both either one please kindly thank thanks dear hello hi greetings regards best kind sincerely
  yours cheers welcome sorry unfortunately fortunately note notice important attention reminder re fw fwd
  should would could will shall may might must can do does did is are was were be been has have had let
  feel see find contact call reply visit keep remember ensure make use click follow review confirm check send
  pay sign return read refer what which who whom whose where why how yes ok okay good great just only even
  following below above attached enclosed per regarding according subject`.split(/\s+/u),
);
