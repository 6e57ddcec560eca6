import type { BreakerHealth } from '../breaker/index.js';
import type { L2Operations } from './l2-operations.js';
import type { TtlTier } from './ttl.js';
import type { CachedValue, StoredPayload, ValueCodec, ValueOrigin } from './value.js';

/** Which tier served a hit. */
export type CacheTier = 'l1' | 'l2';

/** A cache hit: the stored value (frozen: read it, never mutate it) and where it came from. */
export interface CacheHit<V = StoredPayload> {
  readonly value: CachedValue<V>;
  readonly tier: CacheTier;
}

/** What a write stores: the payload (a JSON object), who produced it, and what it was made from. */
export interface ValueToCache<V = StoredPayload> {
  readonly artifact: V;
  readonly docId: string;
  /** Stored with the value and checked by readers: a value is only ever served for what it was made from. */
  readonly made: ValueOrigin;
}

/** `off`: `enabled: false`, every lookup misses. `l1`: no cache URL. `l1+l2`: in-process plus Redis. */
export type CacheMode = 'off' | 'l1' | 'l1+l2';

/** Counters since the cache was created (never reset), for metrics and heartbeats. */
export interface CacheStats {
  readonly hitsL1: number;
  readonly hitsL2: number;
  /** Lookups that found nothing usable (invalid values included). */
  readonly misses: number;
  /**
   * Corrupt values: values that failed to parse or validate on read (then deleted), values
   * found under a key other than their own (then deleted) or made from something other than
   * the reader expected, and values that could not be encoded on write.
   */
  readonly invalidValues: number;
  /** L2 writes and deletes started. */
  readonly l2Writes: number;
  /** L2 writes and deletes dropped because `maxWritesInFlight` were already running. */
  readonly droppedWrites: number;
  /** L2 writes and deletes running now. */
  readonly writesInFlight: number;
  /** L2 operations abandoned at the time budget. */
  readonly timeouts: number;
  /** L2 operations that failed otherwise. */
  readonly errors: number;
  /** L2 operations answered at once with no I/O (breaker open, not connected yet, closed). */
  readonly shortCircuits: number;
  readonly l1Entries: number;
  readonly l1Bytes: number;
}

/** Cache health for the heartbeat and dashboard. */
export interface CacheHealth {
  readonly mode: CacheMode;
  /** L2 client connected now (always false without L2). */
  readonly connected: boolean;
  /** Why L2 is not connected (one line naming the key to fix), when an attempt failed. */
  readonly connectionError?: string;
  /** The L2 breaker; absent without L2. */
  readonly breaker?: BreakerHealth;
}

/**
 * The cache as workers and the semantic index use it. No method throws and none waits
 * longer than the operation budget; every failure is a miss.
 */
export interface Cache {
  readonly mode: CacheMode;
  /**
   * L1, then L2 (an L2 hit fills L1 with the remaining lifetime). `undefined` on a miss.
   * A value is served only if it was written under `key` and made from what `expected`
   * names (each part given), and only as `codec` decodes it (default: the JSON object as
   * stored); anything else is a miss counted in `invalidValues`.
   */
  get<V = StoredPayload>(key: string, expected?: Partial<ValueOrigin>, codec?: ValueCodec<V>): Promise<CacheHit<V> | undefined>;
  /**
   * Stores in L1 now and in L2 in the background (bounded). `tier` sets the lifetime. The
   * promise settles (never rejects) once the L2 write has: jobs do not wait for it, but a
   * cross-process claim is released only after it.
   */
  set<V>(key: string, value: ValueToCache<V>, tier: TtlTier, codec?: ValueCodec<V>): Promise<void>;
  /** Removes from L1 now and from L2 in the background. */
  delete(key: string): void;
  /** Concurrent calls with one key in this process share one run of `fn` (its result or rejection). */
  singleFlight<T>(key: string, fn: () => Promise<T> | T): Promise<T>;
  /**
   * The named operations on the cache Redis beyond values (sets, hashes, locks, past-L1
   * reads), each guarded like every cache operation; all answer "no answer" without L2.
   */
  readonly l2: L2Operations;
  /**
   * True when there is an L2 and an operation on it now would not reach it (not connected,
   * breaker open): work that pays off only through L2 can be skipped. False without L2.
   */
  l2Down(): boolean;
  /** Waits at most `timeoutMs` for the first L2 connection attempt; true if connected. Optional: nothing needs it. */
  ready(timeoutMs: number): Promise<boolean>;
  /** Waits (at most `timeoutMs`) until the background L2 writes started so far have settled. */
  flush(timeoutMs?: number): Promise<void>;
  stats(): CacheStats;
  health(): CacheHealth;
  /** Lets pending L2 writes finish (bounded), then closes the client. Idempotent. */
  close(timeoutMs?: number): Promise<void>;
}
