import { type ClassifiedLines, classifyLines } from './canonical.js';
import {
  ABBREVIATIONS,
  CURRENCY_SYMBOLS,
  MONTHS,
  NEGATIONS,
  SENTENCE_STARTERS,
  TOKEN_KINDS,
  TOKEN_PATTERN,
  type TokenKind,
} from './salient-patterns.js';

/**
 * Salient tokens: the values that decide an extraction. Two documents may share an
 * artifact only if these are equal, however similar the rest of the text is.
 *
 * Each token is `kind:value` with the value normalised so that formatting never matters
 * (`$1,234.50`, `USD 1234.5` → `m:USD:1234.5`; `March 5, 2024`, `2024-03-05` → `d:2024-3-5`;
 * e-mails, URLs and names lower-cased; ids upper-cased) while any different value does.
 */
export interface SalientTokens {
  /** Tokens of the running text, in document order (also catches two values swapped). */
  readonly ordered: readonly string[];
  /** `l:<label>=<value tokens>` for each `Label: value` line, sorted: line order is formatting. */
  readonly labels: readonly string[];
}

function trimNumber(digits: string): string {
  // Decimal part without trailing zeros: 10.50 = 10.5 and 10.00 = 10.
  const [whole = '', fraction] = digits.split('.');
  const trimmed = fraction?.replace(/0+$/u, '') ?? '';
  return trimmed === '' ? whole : `${whole}.${trimmed}`;
}

/** `1,234.50`, `1.234,50`, `1234,5` → `1234.5`: the last separator is the decimal one unless it groups thousands. */
export function normaliseAmount(raw: string): string {
  const digits = raw.replace(/[\s-]/gu, '');
  const lastComma = digits.lastIndexOf(',');
  const lastDot = digits.lastIndexOf('.');
  let decimal: ',' | '.' | undefined;
  if (lastComma >= 0 && lastDot >= 0) decimal = lastComma > lastDot ? ',' : '.';
  else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    const groups = digits.split(sep);
    const isThousands = groups.length > 2 || groups[groups.length - 1]?.length === 3;
    decimal = isThousands ? undefined : sep;
  }
  const thousands = decimal === ',' ? '.' : decimal === '.' ? ',' : /[.,]/gu;
  let plain = digits.replaceAll(thousands, '');
  if (decimal === ',') plain = plain.replace(',', '.');
  const [whole = '', fraction] = plain.split('.');
  const integer = whole.replace(/^0+(?=\d)/u, '');
  return trimNumber(fraction === undefined ? integer : `${integer}.${fraction}`);
}

function currencyCode(text: string): string {
  const symbol = /US\$|[$€£¥₹]/u.exec(text)?.[0];
  if (symbol) return CURRENCY_SYMBOLS.get(symbol) ?? symbol;
  return /[A-Z]{3}/u.exec(text)?.[0] ?? '?';
}

function dateToken(year: string, month: number, day: string): string {
  return `d:${Number(year)}-${month}-${Number.parseInt(day, 10)}`;
}

function monthOf(text: string): number {
  const name = /\p{L}+/u.exec(text)?.[0]?.toLowerCase() ?? '';
  return MONTHS.get(name) ?? MONTHS.get(name.slice(0, 3)) ?? 0;
}

/** The normalised token for a non-word match, or undefined when the match is a plain word. */
function valueToken(kind: TokenKind, text: string): string | undefined {
  switch (kind) {
    case 'email':
      return `e:${text.toLowerCase()}`;
    case 'url':
      return `u:${text.replace(/[.,;:!?]+$/u, '').toLowerCase().replace(/^https?:\/\//u, '').replace(/\/$/u, '')}`;
    case 'isoDate': {
      const [y = '', m = '', d = ''] = text.split(/[-/.]/u);
      return dateToken(y, Number(m), d);
    }
    case 'numDate':
      return `d:${text.split(/[-/.]/u).map((part) => Number(part)).join('/')}`;
    case 'mdyDate':
    case 'dmyDate': {
      const [, day = '', year = ''] = /(\d{1,2})\D+(\d{4})/u.exec(text) ?? [];
      const monthText = kind === 'dmyDate' ? text.replace(/^\d+\w*\s+(?:of\s+)?/u, '') : text;
      return dateToken(year, monthOf(monthText), day);
    }
    case 'moneyBefore':
    case 'moneyAfter': {
      const amount = /\d[\d.,]*/u.exec(text)?.[0] ?? '';
      return `m:${currencyCode(text)}:${text.includes('-') ? '-' : ''}${normaliseAmount(amount)}`;
    }
    case 'time':
      return `t:${text.toLowerCase().replace(/[\s.]/gu, '').replace(/^0(?=\d)/u, '')}`;
    case 'number':
      return `n:${trimNumber(text.replaceAll(',', ''))}`;
    case 'compound':
      return HAS_DIGIT.test(text) ? `i:${text.toUpperCase()}` : undefined;
    case 'plain':
      return undefined;
  }
}

const HAS_DIGIT = /\p{N}/u;
const CAPITALISED = /^\p{Lu}/u;
const SINGLE_CAPITAL = /^\p{Lu}$/u;
// "No. 42", "No 42": the number sign, not a negation.
const NUMBER_SIGN_AFTER = /^\.?\s*#?\d/u;
// Between a title and a name: its full stop and spaces ("Dr. May Chen").
const TITLE_GAP = /^\.?[ \t]+$/u;

interface ScanOptions {
  /** Keep every word (lower-cased): used for label values, where all of the value matters. */
  readonly allWords: boolean;
}

/** Which alternative of TOKEN_PATTERN matched. */
function kindOf(match: RegExpExecArray): TokenKind {
  for (let group = 1; group < match.length; group++) {
    if (match[group] !== undefined) return TOKEN_KINDS[group - 1]!;
  }
  return 'compound';
}

/**
 * Tokens of one stretch of text, in order. A capitalised word is a name unless it is a
 * common sentence starter ("Thank", "Please", "We"); a starter still counts right after a
 * title ("Ms. May"). Deciding by word list rather than by sentence position keeps line
 * wrapping and salutations ("Dear Ann, Thank you…", or without the comma) from changing the
 * tokens; the price is that a name which is also a common word ("Will") is not guarded.
 */
function scan(text: string, options: ScanOptions): string[] {
  const tokens: string[] = [];
  const pattern = new RegExp(TOKEN_PATTERN); // own lastIndex: scans may nest or interleave
  let previousEnd = 0;
  let previousWasTitle = false;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const afterTitle = previousWasTitle && TITLE_GAP.test(text.slice(previousEnd, match.index));
    previousEnd = pattern.lastIndex;
    previousWasTitle = false;
    const kind = kindOf(match);
    const word = match[0];
    if (kind === 'plain') {
      // Lower case already: a negation, a label-value word, or nothing.
      if (NEGATIONS.has(word)) tokens.push('x:not');
      else if (options.allWords) tokens.push(`w:${word}`);
      continue;
    }
    const token = valueToken(kind, word);
    if (token) {
      tokens.push(token);
      continue;
    }
    const lower = word.toLowerCase();
    const numberSign = lower === 'no' && NUMBER_SIGN_AFTER.test(text.slice(previousEnd, previousEnd + 4));
    const negation = NEGATIONS.has(lower) || lower.endsWith("n't") || lower.endsWith('n’t');
    if (negation && !numberSign) tokens.push('x:not');
    else if (options.allWords) tokens.push(`w:${lower}`);
    else if (CAPITALISED.test(word) && lower !== 'i' && (afterTitle || !SENTENCE_STARTERS.has(lower))) {
      tokens.push(`p:${lower}`);
    }
    previousWasTitle = ABBREVIATIONS.has(lower) || SINGLE_CAPITAL.test(word);
  }
  return tokens;
}

/** Lower-case label words, punctuation dropped: `INVOICE NO.` and `Invoice no` are one label. */
function labelKey(label: string): string {
  return label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * The default salient-token extractor: numbers, dates, times, money amounts, ids, e-mail
 * addresses, URLs, negations and proper names from the running text, and each `Label: value`
 * line as one label token. Body lines are joined so a wrapped paragraph scans like an
 * unwrapped one; each line start still counts as a possible sentence start.
 */
export function extractSalient(text: string | ClassifiedLines): SalientTokens {
  const lines = typeof text === 'string' ? classifyLines(text) : text;
  const labels = lines.labels.map((line) => `l:${labelKey(line.label)}=${scan(line.value, { allWords: true }).join(' ')}`);
  return { ordered: scan(lines.body.join('\n'), { allWords: false }), labels: labels.sort() };
}
