import { BatchlineError, type ErrorCode } from '../errors.js';
import type { LlmUsage } from './usage.js';

/**
 * An error of the LLM step. `permanent` tells the worker not to retry the job (a reply
 * that never validates, a request the endpoint refuses); `usage` is what the document
 * spent before it failed, for accounting. Messages never carry the API key.
 */
export class LlmError extends BatchlineError {
  readonly permanent: boolean;
  readonly usage: LlmUsage;

  constructor(code: ErrorCode, message: string, options: { permanent: boolean; usage: LlmUsage; cause?: unknown }) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LlmError';
    this.permanent = options.permanent;
    this.usage = options.usage;
  }
}
