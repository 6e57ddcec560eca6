/** One input document, as ingested. */
export interface Document {
  /** Unique within its batch; for folders, the file's path relative to the folder. */
  readonly id: string;
  readonly text: string;
  /** Optional kind hint from the input (`invoice`, `email`, ...). */
  readonly type?: string;
  /** Free-form metadata carried through to the result; `meta.scope` scopes cache lookups. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** What a pipeline produces for one document. Must be JSON-serialisable. */
export type Artifact = { readonly [key: string]: unknown };

export interface PipelineContext {
  /** Aborted when the job's time limit passes or the worker shuts down. */
  readonly signal: AbortSignal;
}

/**
 * A named, versioned function from a document to an artifact. It knows nothing of caches,
 * queues or Redis. Bump `version` whenever its output for the same input may change: the
 * version is part of every cache key, so old artifacts are never served.
 */
export interface Pipeline {
  readonly name: string;
  readonly version: string;
  run(doc: Document, context: PipelineContext): Artifact | Promise<Artifact>;
  /**
   * Optional: the tokens that decide this pipeline's output (numbers, names, ids, ...). A
   * near-duplicate is served only when both documents have the same multiset of them.
   * Without it, batchline's default salient-token guard applies.
   */
  salient?(text: string): readonly string[];
}
