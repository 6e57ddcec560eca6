import { type Clock, systemClock } from '../time.js';
import { messageOf } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';

/** Breaker states, as the design names them. `UNHEALTHY` is the open breaker. */
export const BreakerState = {
  /** No call has finished yet. */
  UNKNOWN: 'UNKNOWN',
  /** The last call succeeded. */
  HEALTHY: 'HEALTHY',
  /** 1 … threshold−1 consecutive failures; calls still go through. */
  DEGRADED: 'DEGRADED',
  /** Open: calls short-circuit with no I/O until the window ends, then one probe goes through. */
  UNHEALTHY: 'UNHEALTHY',
} as const;
export type BreakerState = (typeof BreakerState)[keyof typeof BreakerState];

/** Options of {@link CacheBreaker}; bad values throw RangeError at construction. */
export interface CacheBreakerOptions {
  /** Consecutive failures (errors or timeouts) that open the breaker (`cache.breaker.failureThreshold`). */
  readonly failureThreshold: number;
  /** How long an open breaker short-circuits every call before letting one probe through (`cache.breaker.openMs`). */
  readonly openMs: number;
  /**
   * A probe that has not settled this long after it started counts as failed and the
   * breaker opens again. The gateway settles probes at its own time budget already; this
   * only guards against a permit that is never settled (the gateway passes `cache.opTimeoutMs`).
   */
  readonly probeTimeoutMs: number;
  /** Time source, so tests can drive every transition without sleeping. @defaultValue systemClock */
  readonly clock?: Clock;
  /** Receives one line per transition. @defaultValue silentLogger */
  readonly logger?: Logger;
  /** Name used in log lines. @defaultValue 'cache' */
  readonly name?: string;
}

/** A permission to make one call; settle it exactly once (later settlements are ignored). */
export interface BreakerPermit {
  /** True for the single call let through after an open window. */
  readonly probe: boolean;
  success(): void;
  failure(error?: unknown): void;
  /**
   * Settles the permit without judging the cache: for a call whose failure says nothing
   * about it (a background write). A probe cannot be released: it fails instead.
   */
  release(error?: unknown): void;
}

/** One state change, as logged and passed to listeners. */
export interface BreakerTransition {
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: string;
  readonly at: number;
}

/** What the rest of the app may read about the breaker (heartbeat, dashboard, metrics). */
export interface BreakerHealth {
  readonly state: BreakerState;
  /** When the current state began (epoch ms). */
  readonly since: number;
  readonly consecutiveFailures: number;
  /** Message of the most recent failure, if any. */
  readonly lastError?: string;
  /** Transitions so far, a re-open after a failed probe included. */
  readonly transitions: number;
  /** Transitions so far by the state entered. */
  readonly transitionsTo: Readonly<Record<BreakerState, number>>;
  /** Calls refused without I/O. */
  readonly shortCircuits: number;
  /** Probes let through after open windows. */
  readonly probes: number;
  /** While open: when the next probe may go (epoch ms). */
  readonly openUntil?: number;
  readonly probeInFlight: boolean;
  readonly lastTransition?: BreakerTransition;
}

interface ResolvedOptions {
  failureThreshold: number;
  openMs: number;
  probeTimeoutMs: number;
}

function resolveOptions(options: CacheBreakerOptions): ResolvedOptions {
  const { failureThreshold, openMs, probeTimeoutMs } = options;
  if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
    throw new RangeError(`failureThreshold must be an integer ≥ 1, got ${failureThreshold}`);
  }
  if (!Number.isFinite(openMs) || openMs <= 0) throw new RangeError(`openMs must be > 0, got ${openMs}`);
  if (!Number.isFinite(probeTimeoutMs) || probeTimeoutMs <= 0) {
    throw new RangeError(`probeTimeoutMs must be > 0, got ${probeTimeoutMs}`);
  }
  return { failureThreshold, openMs, probeTimeoutMs };
}

/**
 * The per-process breaker in front of the cache Redis. It performs no I/O and owns no
 * timers: time comes from the injected clock, and the caller reports each call's outcome
 * through the permit it was given.
 */
export class CacheBreaker {
  private readonly options: ResolvedOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly name: string;
  private readonly listeners = new Set<(transition: BreakerTransition) => void>();

  private state: BreakerState = BreakerState.UNKNOWN;
  private since: number;
  private consecutiveFailures = 0;
  private lastError: string | undefined;
  private openUntil = 0;
  private probe: { startedAt: number } | undefined;
  /** Bumped on every open: outcomes of permits issued earlier no longer count. */
  private generation = 0;
  private transitions = 0;
  private readonly transitionsTo: Record<BreakerState, number> = { UNKNOWN: 0, HEALTHY: 0, DEGRADED: 0, UNHEALTHY: 0 };
  private shortCircuits = 0;
  private probes = 0;
  private lastTransition: BreakerTransition | undefined;

  constructor(options: CacheBreakerOptions) {
    this.options = resolveOptions(options);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.name = options.name ?? 'cache';
    this.since = this.clock.now();
  }

  /** A permit to make one call, or `undefined`: short-circuit, do no I/O. */
  tryAcquire(): BreakerPermit | undefined {
    if (this.state !== BreakerState.UNHEALTHY) return this.permit(false);
    const now = this.clock.now();
    if (this.probe !== undefined && now - this.probe.startedAt >= this.options.probeTimeoutMs) {
      this.reopen(now, `probe did not settle within ${this.options.probeTimeoutMs} ms`);
    }
    if (this.probe !== undefined || now < this.openUntil) {
      this.shortCircuits++;
      return undefined;
    }
    this.probes++;
    this.probe = { startedAt: now };
    return this.permit(true);
  }

  /** Current state without side effects. */
  get currentState(): BreakerState {
    return this.state;
  }

  health(): BreakerHealth {
    return {
      state: this.state,
      since: this.since,
      consecutiveFailures: this.consecutiveFailures,
      ...(this.lastError !== undefined && { lastError: this.lastError }),
      transitions: this.transitions,
      transitionsTo: { ...this.transitionsTo },
      shortCircuits: this.shortCircuits,
      probes: this.probes,
      ...(this.state === BreakerState.UNHEALTHY && { openUntil: this.openUntil }),
      probeInFlight: this.probe !== undefined,
      ...(this.lastTransition !== undefined && { lastTransition: this.lastTransition }),
    };
  }

  /** Calls `listener` after every transition (metrics, heartbeat). Returns an unsubscribe function. */
  onTransition(listener: (transition: BreakerTransition) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private permit(probe: boolean): BreakerPermit {
    const generation = this.generation;
    let settled = false;
    // A permit from before the last open (or an abandoned probe) must not move the state.
    const live = () => !settled && generation === this.generation && (!probe || this.probe !== undefined);
    return {
      probe,
      success: () => {
        if (live()) this.onSuccess(probe);
        settled = true;
      },
      failure: (error?: unknown) => {
        if (live()) this.onFailure(probe, error);
        settled = true;
      },
      release: (error?: unknown) => {
        if (live() && probe) this.onFailure(probe, error);
        settled = true;
      },
    };
  }

  private onSuccess(probe: boolean): void {
    this.consecutiveFailures = 0;
    if (probe) this.probe = undefined;
    if (this.state !== BreakerState.HEALTHY) {
      this.transition(BreakerState.HEALTHY, probe ? 'probe succeeded' : 'call succeeded', this.clock.now());
    }
  }

  private onFailure(probe: boolean, error: unknown): void {
    const now = this.clock.now();
    this.lastError = error === undefined ? 'unknown error' : messageOf(error);
    if (probe) {
      this.reopen(now, `probe failed: ${this.lastError}`);
      return;
    }
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.options.failureThreshold) {
      this.generation++;
      this.openUntil = now + this.options.openMs;
      this.transition(BreakerState.UNHEALTHY, `${this.consecutiveFailures} consecutive failures, last: ${this.lastError}`, now);
    } else if (this.state !== BreakerState.DEGRADED) {
      this.transition(BreakerState.DEGRADED, `call failed: ${this.lastError}`, now);
    }
  }

  /** A failed or abandoned probe: stay open for another full window. */
  private reopen(now: number, reason: string): void {
    this.probe = undefined;
    this.generation++;
    this.openUntil = now + this.options.openMs;
    this.transition(BreakerState.UNHEALTHY, reason, now);
  }

  private transition(to: BreakerState, reason: string, at: number): void {
    const from = this.state;
    if (from !== to) this.since = at;
    this.state = to;
    this.transitions++;
    this.transitionsTo[to]++;
    const transition: BreakerTransition = { from, to, reason, at };
    this.lastTransition = transition;
    const fields = { breaker: this.name, from, to, reason, consecutiveFailures: this.consecutiveFailures };
    if (to === BreakerState.HEALTHY) this.logger.info(fields, 'cache breaker state change');
    else this.logger.warn(fields, 'cache breaker state change');
    for (const listener of this.listeners) {
      try {
        listener(transition);
      } catch {
        // a broken listener must not break the cache path
      }
    }
  }
}
