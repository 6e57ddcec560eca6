import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { BatchlineError, ErrorCode, messageOf } from '../errors.js';

/**
 * Runs a broker operation, retrying with backoff while the broker is unreachable (a
 * restart), for at most `budgetMs`. Logs once when it starts waiting and once when the
 * broker is back, never once per attempt.
 */
export async function withBrokerRetry<T>(what: string, budgetMs: number, logger: Logger, operation: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + budgetMs;
  let waiting = false;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await operation();
      if (waiting) logger.info({ what }, 'broker reachable again; ingest resumed');
      return result;
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new BatchlineError(ErrorCode.BROKER_UNAVAILABLE, `broker unreachable while ${what}: ${messageOf(error)}`, {
          cause: error,
        });
      }
      if (!waiting) logger.warn({ what, err: messageOf(error) }, 'broker call failed; retrying until it is back');
      waiting = true;
      await sleep(Math.min(100 * 2 ** attempt, 2_000));
    }
  }
}
