import type { Document } from '../pipeline/index.js';

/** What a document job carries. Kept small: the text is the only large part. */
export interface DocumentJobData {
  batchId: string;
  doc: Document;
  /** Where the document came from, for failure reports: `file:line` or `file`. */
  origin: string;
  /**
   * Set on a job that may have been added before: sent again after an `addBulk` whose reply
   * was lost, or by a producer whose connection re-sends such commands by itself. Its worker
   * asks the batch store for an existing result before running it; a first delivery of a
   * job without it does not need to (see `Ingester.enqueue` and `ingestConnection`).
   */
  recheck?: true;
}
