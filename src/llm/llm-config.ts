import type { Config } from '../config/index.js';

/** The `llm` section of the config. */
export type LlmConfig = Config['llm'];

/** An `llm` section with the LLM step on: endpoint and model both set. */
export type EnabledLlmConfig = LlmConfig & { readonly baseUrl: string; readonly model: string };

/** A BullMQ `limiter`: at most `max` jobs start per `duration` ms, across all workers of a queue. */
export interface QueueLimiter {
  readonly max: number;
  readonly duration: number;
}

/** The LLM step is on only when both `llm.baseUrl` and `llm.model` are set. */
export function isLlmEnabled(llm: LlmConfig | undefined): llm is EnabledLlmConfig {
  return llm !== undefined && typeof llm.baseUrl === 'string' && typeof llm.model === 'string';
}

/**
 * The limiter a document queue's workers get: the LLM rate when the step is on and
 * `llm.requestsPerMinute` is set (`max` = that, `duration` = `llm.rateLimitWindowMs`),
 * and `other` (the `batch` queue's `workers.batchRateLimit`); when both apply, the
 * stricter. BullMQ counts jobs in the broker, so the limit holds across every worker
 * process of the queue, but it counts jobs, not HTTP requests: a job normally makes one
 * call; its HTTP retries and re-asks are not counted, and a job served from the cache is.
 */
export function queueLimiter(llm: LlmConfig | undefined, other?: QueueLimiter): QueueLimiter | undefined {
  const fromLlm = isLlmEnabled(llm) && llm.requestsPerMinute !== undefined ? { max: llm.requestsPerMinute, duration: llm.rateLimitWindowMs } : undefined;
  if (!fromLlm) return other;
  if (!other) return fromLlm;
  return fromLlm.max / fromLlm.duration <= other.max / other.duration ? fromLlm : other;
}

/** Worker options spread: `{ limiter }`, or nothing without one. */
export function withLimiter(limiter: QueueLimiter | undefined): { limiter?: QueueLimiter } {
  return limiter ? { limiter } : {};
}
