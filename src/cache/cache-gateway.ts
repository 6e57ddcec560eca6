import type { Keyv } from '@keyv/redis';
import { type BreakerHealth, BreakerState, type CacheBreaker } from '../breaker/index.js';
import { BatchlineError, ErrorCode, hasCode } from '../errors.js';
import { settleWithin } from '../time.js';
import type { CacheRedisClient, RedisStore } from './redis-store.js';

/** What an operation run through the gateway may use. Do not keep references to it. */
export interface CacheIo {
  /** Keyv over the cache Redis: values are raw strings, keys are used as given. */
  readonly keyv: Keyv<string>;
  /** The node-redis client under Keyv, for the named L2 operations (`l2-operations.ts`). */
  readonly redis: CacheRedisClient;
}

/** Counters of the gateway since start (never reset). */
export interface GatewayStats {
  /** Operations that reached the cache Redis (were given a breaker permit). */
  readonly calls: number;
  readonly successes: number;
  /** Operations abandoned at the time budget. */
  readonly timeouts: number;
  /** Operations that failed otherwise (offline, refused, error reply). */
  readonly errors: number;
  /** Operations answered `undefined` at once with no I/O (breaker open, or not connected yet). */
  readonly shortCircuits: number;
  /** Operations running now. */
  readonly inFlight: number;
}

/** Breaker health plus whether the client is connected right now. */
export interface GatewayHealth extends BreakerHealth {
  readonly connected: boolean;
  /** Why the client is not connected, when it is not and an attempt failed. */
  readonly connectionError?: string;
}

/** How one operation is judged. */
export interface RunOptions {
  /**
   * A fire-and-forget write nobody waits for: its failure is counted but not charged to the
   * breaker, so writes alone (a value too big to send in the budget, say) never switch the
   * cache off; reads on a dead or hung cache still open it.
   */
  readonly background?: boolean;
}

/**
 * Above this share of an operation's budget spent running JavaScript (event-loop
 * utilisation), the process itself was busy (a CPU-bound pipeline), not the cache Redis.
 */
const BUSY_LOOP_UTILISATION = 0.5;
/** Fresh budgets an operation gets while its process is busy; a hung cache still fails after them. */
const MAX_BUSY_EXTENSIONS = 3;

/** Options of {@link CacheGateway}. */
export interface CacheGatewayOptions {
  /** Time budget of every operation, measured by the gateway's own timer (ms). */
  readonly opTimeoutMs: number;
  readonly breaker: CacheBreaker;
}

/**
 * THE choke point of the cache Redis: every operation — Keyv get/set/delete and the
 * named L2 operations (sets, hashes, locks) — goes through {@link CacheGateway.run}. It consults the
 * breaker, bounds the operation with its own timer (client-side timeouts stop counting
 * once a command is on the socket, so a hung server would hang the call), catches every
 * error, and answers `undefined` on any failure. It never throws and never waits longer
 * than the budget.
 */
export class CacheGateway {
  private readonly io: CacheIo;
  private closed = false;
  private firstAttemptDone = false;
  private counts = { calls: 0, successes: 0, timeouts: 0, errors: 0, shortCircuits: 0, inFlight: 0 };

  constructor(
    private readonly store: RedisStore,
    private readonly options: CacheGatewayOptions,
  ) {
    if (!Number.isFinite(options.opTimeoutMs) || options.opTimeoutMs <= 0) {
      throw new RangeError(`opTimeoutMs must be > 0, got ${options.opTimeoutMs}`);
    }
    this.io = { keyv: store.keyv, redis: store.client };
    void store.firstAttempt.then(() => {
      this.firstAttemptDone = true;
    });
  }

  /**
   * Runs `fn` against the cache Redis, or not at all. Resolves to its result, or to
   * `undefined` when the breaker is open, the client is not connected, `fn` fails, or it
   * runs past the budget. `opName` names the operation (kept for errors and tracing).
   */
  async run<T>(opName: string, fn: (io: CacheIo) => Promise<T> | T, options: RunOptions = {}): Promise<T | undefined> {
    // Until the first connection attempt has an outcome the cache has not been observed:
    // a miss at no cost, and not a failure the breaker should count.
    if (this.closed || (!this.firstAttemptDone && !this.store.isReady())) {
      this.counts.shortCircuits++;
      return undefined;
    }
    const permit = this.options.breaker.tryAcquire();
    if (permit === undefined) {
      this.counts.shortCircuits++;
      return undefined;
    }
    this.counts.calls++;
    this.counts.inFlight++;
    try {
      const value = await this.withinBudget(opName, fn);
      this.counts.successes++;
      permit.success();
      return value;
    } catch (error) {
      if (hasCode(error, ErrorCode.CACHE_TIMEOUT)) this.counts.timeouts++;
      else this.counts.errors++;
      if (options.background) permit.release(error);
      else permit.failure(error);
      return undefined;
    } finally {
      this.counts.inFlight--;
    }
  }

  /** Whether the client is connected right now. */
  get connected(): boolean {
    return this.store.isReady();
  }

  /**
   * Whether an operation started now would be sent to the cache Redis: connected, and the
   * breaker not open. No side effects (no permit, no probe): for callers deciding whether
   * work that only pays off with L2 is worth doing.
   */
  get reachable(): boolean {
    return !this.closed && this.store.isReady() && this.options.breaker.currentState !== BreakerState.UNHEALTHY;
  }

  /** Resolves after the first connection attempt has an outcome, or after `timeoutMs`; true if connected. */
  async ready(timeoutMs: number): Promise<boolean> {
    await settleWithin(this.store.firstAttempt, timeoutMs);
    return this.store.isReady();
  }

  stats(): GatewayStats {
    return { ...this.counts };
  }

  health(): GatewayHealth {
    const connectionError = this.store.connectionError();
    return { ...this.options.breaker.health(), connected: this.store.isReady(), ...(connectionError ? { connectionError } : {}) };
  }

  /** Refuses further operations and closes the client, waiting at most `timeoutMs`. */
  close(timeoutMs: number): Promise<void> {
    this.closed = true;
    return this.store.close(timeoutMs);
  }

  private async withinBudget<T>(opName: string, fn: (io: CacheIo) => Promise<T> | T): Promise<T> {
    const budget = this.options.opTimeoutMs;
    const work = (async () => {
      // Offline: fail now rather than let node-redis queue a pipeline until a reconnect.
      if (!this.store.isReady()) throw new BatchlineError(ErrorCode.CACHE_UNAVAILABLE, 'cache redis is not connected');
      return fn(this.io);
    })();
    // The losing side of the race still settles later; its rejection must not go unhandled.
    work.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const expire = () => reject(new BatchlineError(ErrorCode.CACHE_TIMEOUT, `cache ${opName} took longer than ${budget} ms`));
      let extensions = 0;
      let window = performance.eventLoopUtilization();
      const check = () => {
        // A busy event loop (CPU-bound jobs) may have written the command late, or not yet
        // read a reply that came back in time: not the cache's fault. While the process spent
        // most of the budget running JavaScript, the operation gets a fresh budget, a few
        // times at most; an idle process that waited the budget in vain blames the cache.
        const { utilization } = performance.eventLoopUtilization(window);
        if (utilization > BUSY_LOOP_UTILISATION && extensions < MAX_BUSY_EXTENSIONS) {
          extensions++;
          window = performance.eventLoopUtilization();
          timer = setTimeout(check, budget);
          return;
        }
        // Deciding in the check phase (setImmediate) lets a reply that has arrived but is
        // not read yet win: it is read in the poll phase, which comes first.
        setImmediate(expire);
      };
      timer = setTimeout(check, budget);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
