import type { Artifact, Document } from '../pipeline/types.js';
import type { DocumentQueueName } from '../queue/queue-names.js';

/** An artifact served from the cache, and how. */
export interface CachedArtifact {
  artifact: Artifact;
  kind: 'exact' | 'semantic';
  /** Semantic hits: estimated similarity to the document that produced the artifact. */
  similarity?: number;
  /** The document whose artifact is reused. */
  sourceId?: string;
}

/**
 * What the worker needs from the cache. Every method is safe to call with the cache
 * down: lookups resolve to undefined, stores return at once, nothing throws.
 */
export interface DocumentCache {
  lookup(doc: Document, queue: DocumentQueueName): Promise<CachedArtifact | undefined>;
  /** Fire-and-forget: the job never waits for the cache write. */
  store(doc: Document, queue: DocumentQueueName, artifact: Artifact): void;
  /** Runs `compute` once for concurrent callers with the same document text in this process. */
  once<T>(doc: Document, compute: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `--no-cache`: every lookup misses, nothing is stored. */
export const noDocumentCache: DocumentCache = {
  lookup: async () => undefined,
  store: () => {},
  once: (_doc, compute) => compute(),
  close: async () => {},
};
