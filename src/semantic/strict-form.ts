import { createHash } from 'node:crypto';

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
const LINE_BREAK = /\r\n|\r|\n|\u2028|\u2029/u;
const BLANK = /^\s*$/u;
const QUOTED = /^\s*>/u;
const QUOTE_MARKER = /^\s*> ?/u;
// Punctuation dropped wherever it does not stand inside a word or number.
const DROPPABLE = /[.,:;!"'*_\u2022\u00B7\u00A1\u00BF]/u;
const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;
// A token: a run of digits, a run of letters (with their marks), or any single other character.
const TOKEN = /\p{N}+|[\p{L}\p{M}]+|\S/gu;

/** The paragraphs of `text` in strict canonical form, in document order (blank ones dropped). */
export function strictParagraphs(text: string): string[] {
  const unified = text
    .normalize('NFKC')
    .replace(FORMAT_CHARACTERS, '')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-');
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) paragraphs.push(canonicalParagraph(current.join(' ')));
    current = [];
  };
  for (const line of withoutQuoteMarkers(unified.split(LINE_BREAK))) {
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
function canonicalParagraph(paragraph: string): string {
  const folded = paragraph.toUpperCase().toLowerCase();
  let kept = '';
  for (let i = 0; i < folded.length; i++) {
    const ch = folded[i]!;
    kept += DROPPABLE.test(ch) && !between(folded[i - 1], folded[i + 1]) ? ' ' : ch;
  }
  return (kept.match(TOKEN) ?? []).join(' ');
}

/** Whether both neighbours are letters or digits: `7,052.27`, `10:30`, `don't` keep their punctuation. */
function between(before: string | undefined, after: string | undefined): boolean {
  return before !== undefined && after !== undefined && WORD_CHARACTER.test(before) && WORD_CHARACTER.test(after);
}

/** Digests of a text's strict form: equal `content` ⇔ same paragraphs (any order); equal `order` ⇔ same order too. */
export interface StrictDigests {
  /** Digest of the paragraphs as a sorted multiset. */
  readonly content: string;
  /** Digest of the paragraphs in document order. */
  readonly order: string;
}

/** 132-bit digests (base64url) of the strict form; JSON keeps paragraph boundaries unambiguous. */
export function strictDigests(paragraphs: readonly string[]): StrictDigests {
  return { content: digest([...paragraphs].sort()), order: digest(paragraphs) };
}

function digest(paragraphs: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(paragraphs), 'utf8').digest('base64url').slice(0, 22);
}

/** The kind of difference between two texts of equal `content` digest. */
export function differenceOf(a: StrictDigests, b: StrictDigests): SemanticDifference {
  return a.order === b.order ? 'formatting' : 'paragraph-order';
}
