/*
 * A document's result as batchline records it (one per document, in the batch store) and
 * exports it (one JSONL line each), with what it adds to the batch's LLM accounting.
 */

/** How a document's artifact was obtained. */
export type CacheKind = 'miss' | 'exact' | 'semantic';

/** One line of a batch's results file. */
export interface ResultLine {
  id: string;
  batchId: string;
  status: 'ok' | 'failed';
  cache: CacheKind;
  artifact?: unknown;
  error?: { code: string; message: string };
  /** For semantic hits: estimated similarity, the kind of difference accepted and the document whose artifact was reused. */
  similarity?: number;
  difference?: 'formatting' | 'paragraph-order' | 'similar';
  sourceId?: string;
  pipeline: string;
  durationMs: number;
}

/** What one result adds to the batch's LLM accounting. */
export interface TokenUsage {
  calls: number;
  tokensIn: number;
  tokensOut: number;
  /** Tokens a cache hit did not spend: the served artifact's original cost. */
  tokensSaved: number;
}

export const NO_USAGE: TokenUsage = Object.freeze({ calls: 0, tokensIn: 0, tokensOut: 0, tokensSaved: 0 });

/** One document's result to record, with the write id that makes a repeat of it harmless. */
export interface ResultWrite {
  result: ResultLine;
  usage?: TokenUsage;
  writeId: string;
}
