import { pino } from 'pino';
import { configSchema } from '../../../src/config/schema.js';
import type { EnabledLlmConfig } from '../../../src/llm/index.js';
import type { Logger } from '../../../src/log.js';

export const API_KEY = 'sk-test-DO-NOT-LEAK-4f1c9a7e2b';

/** A validated `llm` section pointing at `baseUrl`, with timings small enough for tests. */
export function llmConfig(baseUrl: string, overrides: Record<string, unknown> = {}): EnabledLlmConfig {
  const llm = configSchema.parse({
    llm: { baseUrl, model: 'stand-in', apiKey: API_KEY, timeoutMs: 2_000, maxRetries: 3, retryBaseMs: 20, retryMaxMs: 3_000, ...overrides },
  }).llm;
  return llm as EnabledLlmConfig;
}

/** A logger at trace level whose raw output (no redaction) is kept, to prove what was never written. */
export function rawLogger(): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => chunks.push(line) });
  return { logger, text: () => chunks.join('') };
}

/** What a promise rejected with (fails the test if it resolved). */
export async function rejectionOf(promise: unknown): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

/** A signal that never aborts. */
export const live = (): AbortSignal => new AbortController().signal;
