import { createHash } from 'node:crypto';
import { parseLabelLine } from './labels.js';
import { isTableRow } from './lines.js';
import { DATE_RE, EMAIL_RE, MONEY_RE, PERCENT_RE, PHONE_RE, URL_RE } from './patterns.js';

const TOKEN_RE = /<[a-z]+>|[\p{L}\p{N}]+/gu;
const HAS_DIGIT = /\p{N}/u;
const LOWER_WORD = /^\p{Ll}+$/u;

/**
 * A template fingerprint: 16 hex characters of the SHA-256 of the document's skeleton,
 * the document with its values masked. Two invoices printed from one template get the
 * same fingerprint whatever their customer, numbers, dates, amounts and number of line
 * items; an invoice and an e-mail do not.
 *
 * The skeleton, line by line (blank lines dropped, runs of identical lines kept once so
 * the number of line items does not matter):
 * - a `Label: value` line keeps its normalised label and masks the whole value, which is
 *   where names and numbers live (`invoice no: <v>`);
 * - any other line masks URLs, e-mails, dates, amounts, percentages and phones, then
 *   numbers; on a data row (a table row with a value, or a line with at least one value
 *   per three words) every word is masked too, since a line item's description is data;
 *   elsewhere only capitalised words are (names), while lower-case prose, which belongs
 *   to the template, is kept.
 */
export function templateFingerprint(text: string): string {
  return createHash('sha256').update(skeleton(text)).digest('hex').slice(0, 16);
}

/** The masked skeleton that `templateFingerprint` hashes; exported for tests and debugging. */
export function skeleton(text: string): string {
  // One pass per pattern over the whole text is far cheaper than six per line. Masking
  // before finding labels only affects a "label" that holds a value (`5 March 2024: …`),
  // which then reads as a plain line, the same way in every document of its template.
  const masked = text
    .replace(URL_RE, ' <url> ')
    .replace(EMAIL_RE, ' <email> ')
    .replace(DATE_RE, ' <date> ')
    .replace(MONEY_RE, ' <money> ')
    .replace(PERCENT_RE, ' <pct> ')
    .replace(PHONE_RE, ' <phone> ');
  const lines: string[] = [];
  for (const line of masked.split('\n')) {
    const shape = lineShape(line);
    if (shape !== '' && shape !== lines.at(-1)) lines.push(shape);
  }
  return lines.join('\n');
}

function lineShape(line: string): string {
  const pair = parseLabelLine(line);
  if (pair !== undefined) return `${pair.label}: <v>`;
  const tokens = line.match(TOKEN_RE) ?? [];
  const values = tokens.filter((t) => t.startsWith('<') || HAS_DIGIT.test(t)).length;
  const dataRow = values > 0 && (isTableRow(line) || values * 3 >= tokens.length - values);
  const shape: string[] = [];
  for (const t of tokens) {
    const masks = t.startsWith('<') ? t : HAS_DIGIT.test(t) ? '<n>' : !dataRow && LOWER_WORD.test(t) ? t : '<w>';
    if (masks !== shape.at(-1)) shape.push(masks);
  }
  return shape.join(' ');
}
