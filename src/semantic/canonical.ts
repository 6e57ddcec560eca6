/**
 * Canonical text for similarity. Deliberately separate from the cache's exact-key
 * canonicalisation (src/cache/keys.ts): that one must keep every character that could
 * change an artifact, this one throws away whatever should not change a shingle.
 */

/** A `Label: value` line, split. Both parts are as written (trimmed). */
export interface LabelLine {
  readonly label: string;
  readonly value: string;
}

// A label is 1–5 words starting with a letter, optionally after a bullet, then a colon
// and a non-empty value. Longer "labels" are sentences that happen to contain a colon.
const LABEL_LINE = /^\s*(?:[-*•]\s+)?(\p{L}[\p{L}\p{M}\p{N}\s.'’&/()#-]{0,47}?)\s*:\s*(\S.*?)\s*$/u;
const MAX_LABEL_WORDS = 5;
// A "value" of this many words or more that ends like a sentence is prose: "Good news: your order is on its way."
const SENTENCE_VALUE_WORDS = 5;
const BLANK = /^\s*$/u;
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;

/** Lines of `text`, whatever the line-break convention. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n|\u2028|\u2029/u);
}

/**
 * Recognises a `Label: value` line. URLs (`https://…`) and times (`10:30`) are not labels:
 * the first because the value would start with `//`, the second because labels start with
 * a letter.
 */
export function splitLabelLine(line: string): LabelLine | undefined {
  const match = LABEL_LINE.exec(line);
  if (!match) return undefined;
  const label = match[1] ?? '';
  const value = match[2] ?? '';
  if (value.startsWith('//')) return undefined;
  if (label.trim().split(/\s+/u).length > MAX_LABEL_WORDS) return undefined;
  if (/[.!?]["')\]]?$/u.test(value) && value.split(/\s+/u).length >= SENTENCE_VALUE_WORDS) return undefined;
  return { label: label.trim(), value };
}

/** A text's lines, split into `Label: value` lines and the rest (the body, in order). */
export interface ClassifiedLines {
  readonly labels: readonly LabelLine[];
  readonly body: readonly string[];
}

/**
 * Splits `text` (NFC-normalised) into label lines and body lines. A label-like line directly
 * followed by a non-blank, non-label line is the first line of a wrapped paragraph
 * ("Good news: your order ships today. We packed…"), not a label: otherwise rewrapping the
 * paragraph would turn a different stretch of prose into a "value".
 */
export function classifyLines(text: string): ClassifiedLines {
  const lines = splitLines(text.normalize('NFC'));
  const candidates = lines.map(splitLabelLine);
  const labels: LabelLine[] = [];
  const body: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const candidate = candidates[i];
    const next = lines[i + 1];
    const continued = next !== undefined && !BLANK.test(next) && candidates[i + 1] === undefined;
    if (candidate && !continued) labels.push(candidate);
    else body.push(lines[i]!);
  }
  return { labels, body };
}

/** Lower-case words of `text` joined by single spaces: punctuation and whitespace runs become one space. */
export function normaliseWords(text: string): string {
  return text.toLowerCase().replace(NOT_WORD, ' ').trim();
}

/**
 * The canonical text that shingles are taken from: Unicode NFC, lower case, punctuation
 * stripped, whitespace collapsed. `Label: value` lines are moved to the front in sorted
 * order, so reordering a document's label lines (a formatting-only change) leaves its
 * shingles, and therefore its signature, unchanged.
 */
export function canonicalForSimilarity(text: string): string {
  return canonicalOfLines(classifyLines(text));
}

/** {@link canonicalForSimilarity} of lines already classified (prepare classifies once for both uses). */
export function canonicalOfLines({ labels, body }: ClassifiedLines): string {
  const labelTexts = labels.map((line) => normaliseWords(`${line.label} ${line.value}`)).sort();
  return normaliseWords([...labelTexts, ...body].join(' '));
}

/** The words of the canonical text, in order. Empty for empty or punctuation-only text. */
export function similarityWords(text: string | ClassifiedLines): string[] {
  const canonical = typeof text === 'string' ? canonicalForSimilarity(text) : canonicalOfLines(text);
  return canonical === '' ? [] : canonical.split(' ');
}
