import type { Document } from '../pipeline/index.js';

/** What a document job carries. Kept small: the text is the only large part. */
export interface DocumentJobData {
  batchId: string;
  doc: Document;
  /** Where the document came from, for failure reports: `file:line` or `file`. */
  origin: string;
}
