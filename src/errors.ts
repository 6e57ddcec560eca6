/**
 * The one error module. Every error batchline raises on purpose is a `BatchlineError`
 * with a stable `code` (for logs, results and tests) and, where there is one, the
 * original `cause`. Use the type guards instead of `instanceof`, so errors that crossed a
 * process boundary (job failure reasons) or a second copy of the package still match.
 */

export const ErrorCode = {
  /** A configuration value is missing or invalid. Exit code 2. */
  CONFIG: 'E_CONFIG',
  /** The command line names something that is not there: an input path, a batch. Exit code 2. */
  USAGE: 'E_USAGE',
  /** An input record is malformed; the record is rejected, never retried. */
  BAD_INPUT: 'E_BAD_INPUT',
  /** `redis-server` is not on the PATH or an embedded server could not start. Exit code 2. */
  NO_REDIS_SERVER: 'E_NO_REDIS_SERVER',
  /** Another process owns the embedded broker's data directory. Exit code 2. */
  DATA_DIR_LOCKED: 'E_DATA_DIR_LOCKED',
  /** The broker Redis cannot be reached. */
  BROKER_UNAVAILABLE: 'E_BROKER_UNAVAILABLE',
  /** The pipeline threw for a document; the document is failed, the batch goes on. */
  PIPELINE: 'E_PIPELINE',
  /** The pipeline did not finish within the per-job time limit. */
  JOB_TIMEOUT: 'E_JOB_TIMEOUT',
  /** A user pipeline module could not be loaded or does not have the right shape. */
  PIPELINE_LOAD: 'E_PIPELINE_LOAD',
  /** Writing results or error files failed. */
  SINK: 'E_SINK',
  /** A cache operation ran past its time budget; it is a miss, never a job failure. */
  CACHE_TIMEOUT: 'E_CACHE_TIMEOUT',
  /** The cache Redis is not connected; the operation is a miss, never a job failure. */
  CACHE_UNAVAILABLE: 'E_CACHE_UNAVAILABLE',
  /** The LLM endpoint kept failing (429, 5xx, timeouts, network) past `llm.maxRetries`; the job is retried later. */
  LLM: 'E_LLM',
  /** The LLM endpoint refused the request (4xx other than 408/429: bad key, model, request); permanent. */
  LLM_REJECTED: 'E_LLM_REJECTED',
  /** The LLM's reply was not valid JSON or failed the reply schema, `llm.maxInvalidReplies` re-asks included; permanent. */
  LLM_INVALID_REPLY: 'E_LLM_INVALID_REPLY',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const brand = Symbol.for('batchline.error');

export class BatchlineError extends Error {
  readonly [brand] = true;
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BatchlineError';
    this.code = code;
  }
}

export function isBatchlineError(value: unknown): value is BatchlineError {
  return typeof value === 'object' && value !== null && brand in value;
}

export function hasCode(value: unknown, code: ErrorCode): value is BatchlineError {
  return isBatchlineError(value) && value.code === code;
}

/** Errors that mean "fix your setup": the CLI prints one line and exits 2. */
const usageCodes: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.CONFIG,
  ErrorCode.USAGE,
  // Thrown up to the CLI only for what the user typed (a batch id, a fingerprint); records are rejected, never thrown.
  ErrorCode.BAD_INPUT,
  ErrorCode.NO_REDIS_SERVER,
  ErrorCode.DATA_DIR_LOCKED,
  ErrorCode.PIPELINE_LOAD,
]);

export function exitCodeFor(error: unknown): number {
  return isBatchlineError(error) && usageCodes.has(error.code) ? 2 : 1;
}

/** The message of anything thrown, without assuming it is an Error. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
