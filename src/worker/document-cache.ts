import type { DocumentQueueName } from '../config/index.js';
import type { Artifact, Document } from '../pipeline/index.js';
import type { SemanticDifference } from '../semantic/index.js';

/** How a document's artifact was obtained. */
export type ServedArtifact =
  | { artifact: Artifact; kind: 'miss' }
  | {
      artifact: Artifact;
      kind: 'exact' | 'semantic';
      /** Semantic hits: estimated similarity to the document that produced the artifact. */
      similarity?: number;
      /** Semantic hits: what kind of difference from that document was accepted. */
      difference?: SemanticDifference;
      /** The document whose artifact is reused. */
      sourceId?: string;
    };

/**
 * What the worker needs from the cache: an artifact for a document, from the cache when
 * possible, else from `compute` (the pipeline). Safe with the cache down: lookups miss,
 * stores happen in the background, nothing throws but `compute`'s own errors.
 */
export interface DocumentCache {
  resolve(doc: Document, queue: DocumentQueueName, compute: () => Promise<Artifact>): Promise<ServedArtifact>;
  close(): Promise<void>;
}

/** `--no-cache`: the pipeline runs for every document and nothing is stored. */
export const noDocumentCache: DocumentCache = {
  resolve: async (_doc, _queue, compute) => ({ artifact: await compute(), kind: 'miss' }),
  close: async () => {},
};
