import { createHash } from 'node:crypto';
import { splitLines } from './canonical.js';

/**
 * The strict canonical form: what is left of a text once formatting alone is removed.
 * Two texts with the same form differ only in formatting (and, when only their digests of
 * the ordered form differ, in the order of whole paragraphs). Strict mode serves a
 * near-duplicate only then, because any other difference — one word, digit, sign, `%`,
 * currency or unit — may change the artifact.
 *
 * Formatting, removed or unified:
 *   - Unicode compatibility forms (NFKC: ligatures, full-width letters, NBSP → space);
 *   - invisible format characters (zero-width space/joiners, soft hyphen, BOM, bidi marks);
 *   - curly and straight quotes; every dash variant and the minus sign become `-`;
 *   - letter case (full case folding via upper-then-lower, so `ß` and `SS` agree);
 *   - whitespace runs and line wrapping (CRLF, CR, LF, U+2028/9): within a paragraph a
 *     line break is a space; a blank line separates paragraphs;
 *   - `> ` quote markers, but only when every non-blank line carries one (a whole quoted
 *     reply), so a line that starts with `>` as "more than" is never touched;
 *   - sentence punctuation that carries no value: `. , : ; ! " ' * _ • ·` and `¡ ¿`, unless
 *     it stands between two letters or digits (`7,052.27`, `10:30`, `don't`, `user_id`).
 * Everything else is kept as a token: words, digits, `-` `+`, `%`, currency symbols,
 * brackets, `?`, `/`, `&`, `#`, `@` and every other symbol.
 */

/** What kind of difference a semantic hit accepted. */
export type SemanticDifference = 'formatting' | 'paragraph-order' | 'similar';

const FORMAT_CHARACTERS = /\p{Cf}/gu;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/gu;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2039\u203A]/gu;
const DASHES = /[\p{Pd}\u2212]/gu;
const BLANK = /^\s*$/u;
const QUOTED = /^\s*>/u;
const QUOTE_MARKER = /^\s*> ?/u;
// Punctuation dropped wherever it does not stand between two letters or digits (inside a
// word or number): one native pass with lookarounds instead of a loop over characters.
const DROPPABLE_OUTSIDE_WORDS = /(?<![\p{L}\p{M}\p{N}])[.,:;!"'*_\u2022\u00B7\u00A1\u00BF]|[.,:;!"'*_\u2022\u00B7\u00A1\u00BF](?![\p{L}\p{M}\p{N}])/gu;
// A token: a run of digits, a run of letters (with their marks), or any single other character.
const TOKEN = /\p{N}+|[\p{L}\p{M}]+|\S/gu;
// The same for ASCII text, several times faster: most documents are ASCII, and ASCII is
// already in compatibility form, has no format characters, curly quotes or dash variants.
const NON_ASCII = /\P{ASCII}/u;
const ASCII_TOKEN = /[0-9]+|[A-Za-z]+|\S/g;

/** The paragraphs of `text` in strict canonical form, in document order (blank ones dropped). */
export function strictParagraphs(text: string): string[] {
  const ascii = !NON_ASCII.test(text);
  const unified = ascii
    ? text
    : text.normalize('NFKC').replace(FORMAT_CHARACTERS, '').replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-');
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) paragraphs.push(canonicalParagraph(current.join(' '), ascii));
    current = [];
  };
  for (const line of withoutQuoteMarkers(splitLines(unified))) {
    if (BLANK.test(line)) flush();
    else current.push(line);
  }
  flush();
  return paragraphs.filter((paragraph) => paragraph !== '');
}

/** Strips one level of `>` markers while every non-blank line has one (nested replies lose every level). */
function withoutQuoteMarkers(lines: string[]): string[] {
  let current = lines;
  for (;;) {
    const nonBlank = current.filter((line) => !BLANK.test(line));
    if (nonBlank.length === 0 || !nonBlank.every((line) => QUOTED.test(line))) return current;
    current = current.map((line) => line.replace(QUOTE_MARKER, ''));
  }
}

/** One paragraph's tokens, case-folded, separated by single spaces. */
function canonicalParagraph(paragraph: string, ascii: boolean): string {
  const folded = (ascii ? paragraph.toLowerCase() : paragraph.toUpperCase().toLowerCase()).replace(DROPPABLE_OUTSIDE_WORDS, ' ');
  return (folded.match(ascii ? ASCII_TOKEN : TOKEN) ?? []).join(' ');
}

/** What the index keeps of a text's strict form. */
export interface StrictForm {
  /** Digest (132 bits, base64url) of the paragraphs as a sorted multiset: equal ⇔ same paragraphs in any order. */
  readonly content: string;
  /**
   * The paragraphs' order as positions in the sorted list (`"2.0.1"`): with equal content,
   * equal orders ⇔ equal texts up to formatting. Small, and enough to rebuild the other
   * text's token sequence from this one's paragraphs (for the similarity of a reordering).
   */
  readonly order: string;
}

export function strictForm(paragraphs: readonly string[]): StrictForm {
  const sorted = paragraphs.map((text, at) => ({ text, at })).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : a.at - b.at));
  const rank = new Array<number>(paragraphs.length);
  sorted.forEach((entry, position) => {
    rank[entry.at] = position;
  });
  // JSON keeps paragraph boundaries unambiguous whatever the paragraphs hold.
  const content = createHash('sha256').update(JSON.stringify(sorted.map((entry) => entry.text)), 'utf8').digest('base64url').slice(0, 22);
  return { content, order: rank.map((position) => position.toString(36)).join('.') };
}

/**
 * The paragraphs of the text whose order is `order`, given the paragraphs of a text with the
 * same content; undefined when `order` does not fit them (another format, a collision).
 */
export function reorder(paragraphs: readonly string[], order: string): string[] | undefined {
  const sorted = [...paragraphs].sort();
  const positions = order === '' ? [] : order.split('.').map((part) => Number.parseInt(part, 36));
  if (positions.length !== sorted.length || new Set(positions).size !== positions.length) return undefined;
  const texts = positions.map((position) => sorted[position]);
  return texts.every((text) => text !== undefined) ? (texts as string[]) : undefined;
}

/** Exact Jaccard similarity of the `k`-token shingle sets of two token sequences. */
export function shingleJaccard(a: readonly string[], b: readonly string[], k: number): number {
  const shingles = (tokens: readonly string[]) => {
    const set = new Set<string>();
    for (let i = 0; i + k <= Math.max(tokens.length, k); i++) set.add(tokens.slice(i, i + k).join(' '));
    return set;
  };
  const left = shingles(a);
  const right = shingles(b);
  let shared = 0;
  for (const shingle of left) if (right.has(shingle)) shared++;
  return shared / (left.size + right.size - shared);
}
