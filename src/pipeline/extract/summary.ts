import { isContentWord } from './keywords.js';
import { parseLabelLine } from './labels.js';
import { LIMITS } from './limits.js';
import { isTableRow } from './lines.js';
import { words } from './words.js';

/**
 * Only the start of a document is searched for summary sentences: that is where
 * documents say what they are about, and it bounds the work on a 1 MiB document.
 */
const SCAN_CHARS = 64 * 1024;
/** Sentences looked at, which bounds the sort. */
const MAX_CANDIDATES = 200;
const SENTENCE_BREAK = /(?<=[.!?])\s{1,20}(?=[\p{Lu}\p{N}"'(])/u;
const BULLET = /^(?:[-*•]|\d{1,2}[.)]) /;
const TERMINATED = /[.!?]["'”)]?$/;
const GREETING = /^(?:dear|hi|hello|hey|good (?:morning|afternoon|evening))\b/i;
const SIGN_OFF = /^(?:best|kind|warm|many|thanks|thank you|regards|sincerely|cheers|yours|sent from)\b/i;

interface Sentence {
  readonly index: number;
  readonly text: string;
  readonly score: number;
}

/**
 * A short extractive summary: the first prose sentence, then the most informative other
 * ones (highest document frequency of their content words, normalised by length), in
 * document order, at most `LIMITS.summarySentences` sentences and `LIMITS.summaryChars`
 * characters. Headers, `Label: value` lines, table rows, greetings and sign-offs are not
 * prose. A form (more than twice as many `Label: value` lines as sentences: an invoice)
 * is summarised by its first line and its label lines, a document with neither sentences
 * nor labels by its first lines.
 *
 * @param counts content-word frequencies of the whole document, from `termCounts()`.
 */
export function summarise(fullText: string, counts: ReadonlyMap<string, number>): string {
  const text = fullText.slice(0, SCAN_CHARS);
  const sentences = proseSentences(text).map((s, index) => ({ index, text: s, score: score(s, counts) }));
  const first = sentences[0];
  const form = formLines(text);
  // More label lines than sentences to say about them: a form, best told by its fields.
  if (form.length - 1 > 2 * sentences.length) return clip(form.join('; '));
  if (first === undefined) return clip(firstLines(text).join(' | '));
  const chosen: Sentence[] = [first];
  let length = first.text.length;
  const ranked = sentences.slice(1).sort((a, b) => b.score - a.score || a.index - b.index);
  for (const s of ranked) {
    if (chosen.length >= LIMITS.summarySentences) break;
    if (length + 1 + s.text.length > LIMITS.summaryChars) continue;
    chosen.push(s);
    length += 1 + s.text.length;
  }
  chosen.sort((a, b) => a.index - b.index);
  return clip(chosen.map((s) => s.text).join(' '));
}

function proseSentences(text: string): string[] {
  const sentences: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length === 0) return;
    for (const s of paragraph.join(' ').split(SENTENCE_BREAK, MAX_CANDIDATES)) {
      const count = words(s).length;
      // Unpunctuated short lines are headings and addresses, not sentences.
      if (count >= 10 || (count >= 3 && TERMINATED.test(s))) sentences.push(s);
    }
    paragraph = [];
  };
  for (const raw of text.split('\n')) {
    if (sentences.length >= MAX_CANDIDATES) break;
    const line = raw.replace(/\s+/g, ' ').trim();
    // A list item is a sentence of its own, however its neighbours end.
    const item = BULLET.exec(line);
    if (item !== null) flush();
    const content = item === null ? line : line.slice(item[0].length);
    if (isProse(content) && !isTableRow(raw)) paragraph.push(content);
    else flush();
    if (item !== null) flush();
  }
  flush();
  return sentences.slice(0, MAX_CANDIDATES);
}

function isProse(line: string): boolean {
  if (line === '' || line.startsWith('>') || line.endsWith(':')) return false;
  const lineWords = words(line);
  if (GREETING.test(line) && lineWords.length <= 6) return false;
  if (SIGN_OFF.test(line) && lineWords.length <= 4) return false;
  if (parseLabelLine(line) !== undefined) return false;
  const digits = line.replace(/\D/g, '').length;
  // Table rows are mostly figures; headings are a few words without a full stop.
  if (digits / line.replace(/\s/g, '').length > 0.25) return false;
  return lineWords.length >= 4 || (lineWords.length >= 2 && /[.!?]$/.test(line));
}

function score(sentence: string, counts: ReadonlyMap<string, number>): number {
  const content = new Set(words(sentence).filter(isContentWord));
  if (content.size === 0) return 0;
  let total = 0;
  for (const word of content) total += counts.get(word) ?? 0;
  return total / Math.sqrt(content.size);
}

/** The first line, then every `Label: value` line, as written, until the summary is full. */
function formLines(text: string): string[] {
  const lines: string[] = [];
  let length = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (line === '' || (lines.length > 0 && parseLabelLine(line) === undefined)) continue;
    lines.push(line);
    length += line.length + 2;
    if (length >= LIMITS.summaryChars) break;
  }
  return lines;
}

function firstLines(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n', 50)) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (line !== '') lines.push(line);
    if (lines.length >= 3) break;
  }
  return lines;
}

/** At most `LIMITS.summaryChars` characters, cut at a word boundary with an ellipsis. */
function clip(summary: string): string {
  if (summary.length <= LIMITS.summaryChars) return summary;
  const cut = summary.slice(0, LIMITS.summaryChars - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > LIMITS.summaryChars / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
