/**
 * Time in one place: the clock (behind a small interface, so the breaker, caches and TTLs
 * can be tested without sleeping) and the two ways a wait is bounded. Every race of a
 * promise against a timer goes through {@link within} or {@link settleWithin}; a hung
 * peer (a paused broker, a network that drops packets) never errors, so each wait bounds
 * itself, and the abandoned promise settles later unobserved.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock for tests: it only moves when told to. */
export class ManualClock implements Clock {
  constructor(private current = 1_700_000_000_000) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/**
 * Resolves like `promise`, or rejects once `timeoutMs` has passed (with `onTimeout()`, or
 * an Error naming `what`). For reads whose answer the caller needs.
 */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string, onTimeout?: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => {}); // the losing side of the race must not become an unhandled rejection
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout?.() ?? new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for `promise` to settle (fulfil or reject, either is fine), at most `timeoutMs`.
 * True if it settled in time, false if the wait gave up. Never rejects. For waits that
 * only bound how long a stop or a flush may take.
 */
export async function settleWithin(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
