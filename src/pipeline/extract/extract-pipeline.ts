import { BatchlineError, ErrorCode } from '../../errors.js';
import type { Document, Pipeline, PipelineContext } from '../types.js';
import { extractEmails, extractUrls } from './contacts.js';
import { type DateOrder, extractDates, type FoundDate } from './dates.js';
import { guessType } from './doc-type.js';
import { templateFingerprint } from './fingerprint.js';
import { extractIdentifiers, type Identifier } from './identifiers.js';
import { termCounts, topKeywords } from './keywords.js';
import { extractLabels, type LabelPair } from './labels.js';
import { extractMoney, findTotal, type Money } from './money.js';
import { extractPatternHook, withPatternHints } from './pattern-hints.js';
import { extractPercentages, type Percentage } from './percentages.js';
import { extractPhones } from './phones.js';
import { summarise } from './summary.js';
import { withoutAddresses, words } from './words.js';

/**
 * What `extract` produces for a document. Keys are always present and always in this
 * order, so the same input serialises to the same bytes in every process.
 */
export type ExtractArtifact = {
  /** `doc.type` when the input gave one, else the guess (`invoice`, `email`, `contract`, `support_ticket`, `other`). */
  readonly type: string;
  /** Distinct, lower-cased. */
  readonly emails: readonly string[];
  /** Distinct, `+` and digits (see `extractPhones` for national numbers). */
  readonly phones: readonly string[];
  readonly urls: readonly string[];
  /** Distinct by date, `YYYY-MM-DD`. */
  readonly dates: readonly FoundDate[];
  /** Distinct by currency and amount. */
  readonly amounts: readonly Money[];
  /** The amount to pay ("Total", "Amount due"), or `null`. */
  readonly total: Money | null;
  readonly percentages: readonly Percentage[];
  /** Invoice, order, PO, ticket, reference, customer and contract numbers. */
  readonly ids: readonly Identifier[];
  /** `Label: value` lines in document order. */
  readonly labels: readonly LabelPair[];
  /** Most frequent content words, most frequent first. */
  readonly keywords: readonly string[];
  /** A few of the document's own sentences. */
  readonly summary: string;
  /** 16 hex characters shared by documents printed from the same template. */
  readonly fingerprint: string;
  /** Size of the text: UTF-16 code units, words outside e-mail addresses and URLs, lines. */
  readonly stats: { readonly chars: number; readonly words: number; readonly lines: number };
};

/**
 * Runs every extractor over one document. Pure and synchronous: the same text gives a
 * byte-identical artifact on any machine, and the work is linear in the text's length.
 *
 * @throws BatchlineError `E_BAD_INPUT` when `doc.text` is not a string.
 */
export function extractDocument(doc: Document, signal?: AbortSignal): ExtractArtifact {
  if (typeof doc?.text !== 'string') {
    throw new BatchlineError(ErrorCode.BAD_INPUT, `document ${String(doc?.id)} has no text`);
  }
  // One line-break convention, so offsets, labels and the fingerprint ignore CRLF vs LF.
  const text = doc.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const emails = extractEmails(text);
  const urls = extractUrls(text);
  const phones = extractPhones(text, [...emails, ...urls]);
  const amounts = extractMoney(text);
  const dates = extractDates(text, dateOrderHint(amounts));
  signal?.throwIfAborted();
  const percentages = extractPercentages(text);
  const ids = extractIdentifiers(text);
  const labels = extractLabels(text);
  // Words of addresses (`com`, `https`, user names) are noise for keywords and type cues.
  const allWords = words(withoutAddresses(text));
  const counts = termCounts(allWords);
  signal?.throwIfAborted();
  const given = typeof doc.type === 'string' ? doc.type.trim() : '';
  return {
    type: given !== '' ? given : guessType(allWords, labels, ids),
    emails,
    phones,
    urls,
    dates,
    amounts,
    total: findTotal(text),
    percentages,
    ids,
    labels,
    keywords: topKeywords(counts),
    summary: summarise(text, counts),
    fingerprint: templateFingerprint(text),
    stats: { chars: text.length, words: allWords.length, lines: lineCount(text) },
  };
}

function lineCount(text: string): number {
  if (text === '') return 0;
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** A document priced only in dollars is probably American and writes 03/05/2024 month first. */
function dateOrderHint(amounts: readonly Money[]): DateOrder {
  const dollars = amounts.some((m) => m.currency === 'USD');
  const european = amounts.some((m) => m.currency === 'EUR' || m.currency === 'GBP');
  return dollars && !european ? 'mdy' : 'dmy';
}

/**
 * The built-in `extract` pipeline: rule-based extraction of contacts, dates, amounts,
 * ids, `Label: value` pairs, keywords, a summary and a template fingerprint. Bump
 * `version` whenever any extractor's output may change for the same input.
 */
export const extractPipeline: Pipeline = {
  name: 'extract',
  version: '1.0.0',
  // A learned pattern (context.patterns) may fill what the rules left empty; see pattern-hints.ts.
  run: (doc: Document, context: PipelineContext) => withPatternHints(doc, extractDocument(doc, context?.signal), context),
  // What learning reads back from its artifacts: the fingerprint, labels, fields and type.
  patterns: extractPatternHook,
};
