import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { BatchlineError, brokerRefusalOf, ErrorCode, isBrokerReply, messageOf } from '../errors.js';

/** What went wrong with a broker call, in words: unreachable, or reachable but refusing (and why). */
function brokerTrouble(error: unknown): { code: ErrorCode; trouble: string } {
  const refusal = brokerRefusalOf(error);
  if (refusal) return { code: ErrorCode.BROKER_REFUSED, trouble: `broker refuses writes: ${refusal}` };
  if (isBrokerReply(error)) return { code: ErrorCode.BROKER_REFUSED, trouble: 'broker rejected the command' };
  return { code: ErrorCode.BROKER_UNAVAILABLE, trouble: 'broker unreachable' };
}

/**
 * Runs a broker operation, retrying with backoff while the broker is unreachable (a
 * restart) or refuses writes (out of memory, ...), for at most `budgetMs`. Logs once when
 * it starts waiting, naming the cause, and once when the broker is back, never once per
 * attempt. The operation must be safe to repeat: a call whose reply was lost may have
 * taken effect.
 */
export async function withBrokerRetry<T>(what: string, budgetMs: number, logger: Logger, operation: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + budgetMs;
  let waiting = false;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await operation();
      if (waiting) logger.info({ what }, 'broker answering again; ingest resumed');
      return result;
    } catch (error) {
      const { code, trouble } = brokerTrouble(error);
      if (Date.now() >= deadline) {
        throw new BatchlineError(code, `${trouble} while ${what}: ${messageOf(error)}`, { cause: error });
      }
      if (!waiting) logger.warn({ what, err: messageOf(error) }, `${trouble}; retrying until it is back`);
      waiting = true;
      await sleep(Math.min(100 * 2 ** attempt, 2_000));
    }
  }
}
