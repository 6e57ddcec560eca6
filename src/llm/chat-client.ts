import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Logger } from 'pino';
import { backoffDelay } from '../breaker/index.js';
import { ErrorCode, messageOf } from '../errors.js';
import { silentLogger } from '../log.js';
import { LlmError } from './llm-error.js';
import { parseRetryAfter } from './retry-after.js';
import { NO_LLM_USAGE } from './usage.js';

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** One completion: the reply's text (`null` when the model sent none) and what it cost. */
export interface ChatCompletion {
  readonly content: string | null;
  readonly tokensIn: number;
  readonly tokensOut: number;
}

/** Options of {@link ChatClient}; the numbers are the `llm` config's. */
export interface ChatClientOptions {
  /** Base URL of the OpenAI-compatible API; `/chat/completions` is appended. */
  readonly baseUrl: string;
  readonly model: string;
  /** Sent as `Authorization: Bearer …` and nowhere else. */
  readonly apiKey?: string | undefined;
  /** Per HTTP request, until the whole body is read (ms). */
  readonly timeoutMs: number;
  /** Retries after 408, 429, 5xx, a malformed answer, a timeout or a network error. */
  readonly maxRetries: number;
  /** First backoff step (ms); doubles per retry, equal jitter. */
  readonly retryBaseMs: number;
  /** Longest wait between attempts, `Retry-After` included (ms). */
  readonly retryMaxMs: number;
  readonly logger?: Logger;
  /** For tests: the `fetch` to use, time and randomness. */
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly random?: () => number;
}

type Attempt = { kind: 'done'; completion: ChatCompletion } | { kind: 'retry'; reason: string; retryAfterMs?: number | undefined };

const RETRYABLE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * A minimal client of an OpenAI-compatible `POST /chat/completions` in JSON mode: per-request
 * timeout, exponential backoff with jitter on 408/429/5xx/timeouts/network errors honouring
 * `Retry-After` (seconds or HTTP date), at most `maxRetries` retries, and the caller's
 * signal (a job's time limit) aborting everything at once.
 *
 * Errors are {@link LlmError}s: `E_LLM` (retries exhausted; the job may try again later)
 * or `E_LLM_REJECTED` (a 4xx the endpoint will repeat; permanent). Neither the key nor the
 * request headers ever reach a message, a cause or a log line.
 */
export class ChatClient {
  /** The endpoint as shown in messages and logs: no credentials, no query string. */
  readonly endpoint: string;
  private readonly url: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly logger: Logger;

  constructor(private readonly options: ChatClientOptions) {
    const url = new URL(options.baseUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
    this.url = url.toString();
    this.endpoint = `${url.origin}${url.pathname}`;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? silentLogger;
  }

  /** One completion for `messages`, retried as configured. */
  async complete(messages: readonly ChatMessage[], signal: AbortSignal): Promise<ChatCompletion> {
    const body = JSON.stringify({
      model: this.options.model,
      messages,
      response_format: { type: 'json_object' },
      temperature: 0,
    });
    for (let attempt = 0; ; attempt++) {
      signal.throwIfAborted();
      const outcome = await this.attempt(body, signal);
      if (outcome.kind === 'done') return outcome.completion;
      if (attempt >= this.options.maxRetries) {
        throw new LlmError(
          ErrorCode.LLM,
          `LLM endpoint ${this.endpoint} failed ${attempt + 1} time${attempt === 0 ? '' : 's'}; last: ${outcome.reason}`,
          { permanent: false, usage: NO_LLM_USAGE },
        );
      }
      const backoff = backoffDelay(attempt, { baseMs: this.options.retryBaseMs, capMs: this.options.retryMaxMs }, this.random);
      const waitMs = Math.min(this.options.retryMaxMs, outcome.retryAfterMs ?? backoff);
      this.logger.debug({ endpoint: this.endpoint, attempt: attempt + 1, reason: outcome.reason, waitMs }, 'LLM request failed; retrying');
      await sleep(waitMs, signal);
    }
  }

  private async attempt(body: string, signal: AbortSignal): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (this.options.apiKey !== undefined) headers.authorization = `Bearer ${this.options.apiKey}`;
      const response = await this.fetch(this.url, { method: 'POST', headers, body, signal: controller.signal });
      const text = await response.text();
      if (response.ok) return this.completionOf(text, response.status);
      const problem = `HTTP ${response.status}${this.excerpt(text)}`;
      if (RETRYABLE_STATUS(response.status)) {
        return { kind: 'retry', reason: problem, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), this.now()) };
      }
      throw new LlmError(ErrorCode.LLM_REJECTED, `LLM endpoint ${this.endpoint} refused the request: ${problem}`, {
        permanent: true,
        usage: NO_LLM_USAGE,
      });
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      if (error instanceof LlmError) throw error;
      if (timedOut) return { kind: 'retry', reason: `no complete answer within ${this.options.timeoutMs} ms` };
      return { kind: 'retry', reason: `network error: ${this.scrub(networkMessage(error))}` };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private completionOf(text: string, status: number): Attempt {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: 'retry', reason: `HTTP ${status} with a body that is not JSON` };
    }
    const reply = json as { choices?: { message?: { content?: unknown } }[]; usage?: Record<string, unknown> } | null;
    const message = Array.isArray(reply?.choices) ? reply.choices[0]?.message : undefined;
    if (typeof message !== 'object' || message === null) {
      return { kind: 'retry', reason: `HTTP ${status} without choices[0].message` };
    }
    const content = typeof message.content === 'string' ? message.content : null;
    return {
      kind: 'done',
      completion: { content, tokensIn: tokens(reply?.usage?.prompt_tokens), tokensOut: tokens(reply?.usage?.completion_tokens) },
    };
  }

  /** A short, single-line excerpt of an error body (its `error.message` when it has one), key removed. */
  private excerpt(text: string): string {
    let detail = text;
    try {
      const json = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
      const inner = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message);
      if (typeof inner === 'string') detail = inner;
    } catch {
      // not JSON: show the text itself
    }
    detail = this.scrub(detail.replace(/\s+/g, ' ').trim());
    if (detail === '') return '';
    return `: ${detail.length > 200 ? `${detail.slice(0, 200)}…` : detail}`;
  }

  /** Providers sometimes quote the key they were sent; it never travels further. */
  private scrub(text: string): string {
    const key = this.options.apiKey;
    return key && key.length >= 4 ? text.split(key).join('***') : text;
  }
}

function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/** `fetch failed` says nothing; its cause (`ECONNREFUSED`, `UND_ERR_SOCKET`) does. */
function networkMessage(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  const code = (cause as { code?: unknown })?.code;
  if (typeof code === 'string') return `${code} (${messageOf(cause)})`;
  return cause instanceof Error ? messageOf(cause) : messageOf(error);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  try {
    await sleepFor(ms, undefined, { signal });
  } catch {
    throw abortReason(signal);
  }
}
