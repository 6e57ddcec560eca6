import { type ConnectionTarget, classifyConnectionError } from '../errors.js';
import type { Logger } from '../log.js';

const windowMs = 60_000;
/** Connection lines per minute at most; a connection that flaps faster is summarised. */
const maxLinesPerWindow = 6;

/**
 * Log lines about the cache Redis connection: one when an outage begins, one when the
 * connection is back — never one per failed reconnect attempt. A connection that keeps
 * dropping right after connecting would still produce a pair of lines per cycle, so lines
 * are also capped per minute; the next line that passes says how many were held back.
 */
export function connectionLog(logger: Logger, target: ConnectionTarget, now: () => number = Date.now) {
  let outage = true; // not connected yet counts as an outage
  let errorsThisOutage = 0;
  let windowStart = now();
  let linesInWindow = 0;
  let suppressed = 0;

  const emit = (write: (fields: Record<string, unknown>) => void, fields: Record<string, unknown>) => {
    if (now() - windowStart >= windowMs) {
      windowStart = now();
      linesInWindow = 0;
    }
    if (linesInWindow >= maxLinesPerWindow) {
      suppressed++;
      return;
    }
    linesInWindow++;
    write(suppressed > 0 ? { ...fields, suppressedLines: suppressed } : fields);
    suppressed = 0;
  };

  return {
    /** The client reported an error (a failed attempt, or a lost connection). */
    error(error: unknown): void {
      errorsThisOutage++;
      if (errorsThisOutage > 1) return;
      outage = true;
      emit((f) => logger.warn(f, 'cache redis connection error; retrying in the background'), { err: classifyConnectionError(error, target).message });
    },
    /** The client is connected and ready. */
    ready(): void {
      if (outage) emit((f) => logger.info(f, 'cache redis connected'), { afterErrors: errorsThisOutage });
      outage = false;
      errorsThisOutage = 0;
    },
  };
}
