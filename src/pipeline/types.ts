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
  /**
   * Learned templates by fingerprint, when the worker has a cache Redis and
   * `patterns.enabled`. A hint, never required: the artifact must be correct without it,
   * and `undefined` (no pattern, cache down, slow or holding garbage) means "carry on".
   * Using it does not change the pipeline's version; say in the artifact which pattern was used.
   */
  readonly patterns?: PatternLookup;
}

/**
 * A named, versioned function from a document to an artifact. It knows nothing of caches,
 * queues or Redis. Bump `version` whenever its output for the same input may change: the
 * version is part of every cache key, so old artifacts are never served.
 *
 * Optional convention, usage reporting: a pipeline that pays for calls (an LLM) reports
 * what the document cost as a top-level `usage: { calls, tokensIn, tokensOut }` in the
 * artifact (non-negative integers: calls made for this document, and the sums of each
 * reply's `prompt_tokens` / `completion_tokens`). Batch accounting reads it; because it is
 * stored with the artifact, a cache hit tells what it saved. Without `usage` a document
 * costs nothing. The built-in `extract` reports it only when its LLM step is on. A failed
 * document's LLM error carries the same shape as `error.usage`.
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
  /**
   * Optional: how this pipeline's artifacts teach batchline their document templates, so
   * that later batches get `context.patterns` hints. Without it nothing is learned from
   * the pipeline's batches. The hints themselves reach `run` as `context.patterns`.
   */
  readonly patterns?: PatternHook;
}

/**
 * A pipeline's side of pattern learning: after a batch finishes, the `patterns` queue reads
 * its successful artifacts back from the results (so of unknown shape: garbage in must be
 * `undefined` out, never a throw), counts documents per template fingerprint, and for the
 * templates seen often enough adds up what each artifact shows into a {@link PatternHint}.
 */
export interface PatternHook {
  /**
   * The artifact's template fingerprint (1-128 of `A-Z a-z 0-9 _ -`), or undefined when it
   * has none. Cheap: it is asked of every artifact of the batch, before any is observed.
   */
  fingerprint(artifact: Artifact): string | undefined;
  /**
   * What the artifact shows about its template. Leave out whatever a pattern hint filled
   * in, so patterns are learned from the pipeline's own findings and never feed on
   * themselves. Undefined: nothing to learn from this artifact.
   */
  observe(artifact: Artifact): TemplateObservation | undefined;
}

/** What one artifact shows about its template: the material of a {@link PatternHint}. */
export interface TemplateObservation {
  readonly fingerprint: string;
  /** The document type the pipeline found, when it is one a pattern may teach; undefined when none (a type the input gave). */
  readonly type: string | undefined;
  /** Distinct labels, in document order. */
  readonly labels: readonly string[];
  /** Artifact fields that are non-empty (`emails`, `total`, `ids.invoice`, ...). */
  readonly fields: readonly string[];
  /** For a label, the field its value fed, when one did: `[label, field]`. */
  readonly labelFields: readonly (readonly [string, string])[];
}

/**
 * What documents sharing one template fingerprint usually look like, learned from earlier
 * batches by the `patterns` queue. Names only structure (labels, fields, a type), never a
 * document's values.
 */
export interface PatternHint {
  /** The template fingerprint it was learned for. */
  readonly fingerprint: string;
  /** Documents it was learned from, over all batches so far. */
  readonly documents: number;
  /** The template's dominant document type (`invoice`, ...), or null when none dominates. */
  readonly type: string | null;
  /** Labels present in most of the template's documents (its vocabulary). */
  readonly labels: readonly string[];
  /** Artifact fields usually non-empty in its documents (`emails`, `total`, `ids.invoice`, ...). */
  readonly fields: readonly string[];
  /** Vocabulary labels whose value usually feeds one field: label → field (`invoice no` → `ids.invoice`). */
  readonly labelFields: Readonly<Record<string, string>>;
}

/** Learned patterns by template fingerprint. Never rejects: anything but a pattern is `undefined`. */
export interface PatternLookup {
  get(fingerprint: string): Promise<PatternHint | undefined>;
}
