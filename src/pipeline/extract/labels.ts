import { LIMITS } from './limits.js';

/** One `Label: value` line. */
export interface LabelPair {
  /** Lower-case, abbreviation dots dropped, other punctuation and spaces collapsed: `P.O. Number` → `po number`. */
  readonly label: string;
  /** Trimmed, inner whitespace collapsed, at most `LIMITS.maxLabelValue` characters. */
  readonly value: string;
}

/** 1-5 words of letters, digits and the punctuation labels use (`Invoice No.`, `Bill-to (ref)`). */
const LABEL_SHAPE = /^\p{L}[\p{L}\p{N} .#/&()'’-]{0,39}$/u;
/** List bullets and quote markers in front of a label line (`- Action: …`, `> From: …`). */
const LEADER = /^[ \t]{0,8}(?:[-*•>][ \t]{1,4}){0,3}/;

/**
 * `Label: value` pairs, one per line, in document order (duplicates kept: a repeated
 * label is part of the document's structure). A line is a pair when the text before its
 * first colon looks like a label and there is a value after it; `10:30` (a time) and
 * `https://…` are not pairs.
 */
export function extractLabels(text: string): LabelPair[] {
  const pairs: LabelPair[] = [];
  for (const line of text.split('\n')) {
    const pair = parseLabelLine(line);
    if (pair === undefined) continue;
    pairs.push(pair);
    if (pairs.length >= LIMITS.maxLabels) break;
  }
  return pairs;
}

/** The pair on one line, or `undefined` when the line is not a `Label: value` line. */
export function parseLabelLine(line: string): LabelPair | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0 || colon > 60) return undefined;
  const rawLabel = line.slice(0, colon).replace(LEADER, '').trim();
  const rest = line.slice(colon + 1);
  if (!LABEL_SHAPE.test(rawLabel) || rawLabel.split(/\s+/).length > 5) return undefined;
  if (rest.startsWith('//') || (/\d$/.test(rawLabel) && /^\d/.test(rest))) return undefined;
  const value = rest.slice(0, LIMITS.maxLabelValue * 2).replace(/\s+/g, ' ').trim().slice(0, LIMITS.maxLabelValue);
  if (value === '') return undefined;
  return { label: normaliseLabel(rawLabel), value };
}

/** The canonical form of a label, so `INVOICE NO.` and `Invoice No` are the same label. */
export function normaliseLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/(?<=\p{L})\./gu, '')
    .replace(/[^\p{L}\p{N}#]+/gu, ' ')
    .trim();
}
