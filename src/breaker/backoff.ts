/**
 * Reconnect pacing for the cache client. It runs inside the Redis client's background
 * reconnect loop only: no caller ever waits for it (callers are short-circuited by the
 * breaker or fail fast while the client is offline).
 */

/** Options of {@link backoffDelay} (the cache client's are `cache.backoff` in the config). */
export interface BackoffOptions {
  /** Delay before the first retry (ms). */
  readonly baseMs: number;
  /** Longest delay between retries (ms). */
  readonly capMs: number;
}

/** Throws RangeError unless base and cap are positive finite numbers with base ≤ cap. */
export function validateBackoff(options: BackoffOptions): BackoffOptions {
  const { baseMs, capMs } = options;
  if (!Number.isFinite(baseMs) || baseMs <= 0) throw new RangeError(`backoff baseMs must be > 0, got ${baseMs}`);
  if (!Number.isFinite(capMs) || capMs < baseMs) throw new RangeError(`backoff capMs must be ≥ baseMs, got ${capMs}`);
  return options;
}

/**
 * Delay before retry number `attempt` (0-based): exponential from `baseMs`, capped at
 * `capMs`, with "equal jitter" — a random point in the upper half of the step — so that
 * many workers losing the same Redis do not reconnect in lockstep, yet never retry at 0.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * A node-redis `socket.reconnectStrategy`: always retry (a cache that comes back should be
 * used again), paced by {@link backoffDelay}. `stopped()` lets the owner end the loop on close.
 */
export function reconnectStrategy(options: BackoffOptions, stopped: () => boolean = () => false): (retries: number) => number | false {
  validateBackoff(options);
  return (retries) => (stopped() ? false : backoffDelay(retries, options));
}
