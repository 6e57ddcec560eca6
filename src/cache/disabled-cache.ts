import { type L2Operations, noL2Operations } from './l2-operations.js';
import type { TtlTier } from './ttl.js';
import type { Cache, CacheHealth, CacheHit, CacheStats, ValueToCache } from './types.js';

/**
 * The cache when `enabled` is false (`--no-cache`): every lookup misses, nothing is
 * stored, and `singleFlight` runs every call, so the pipeline runs once per document —
 * the baseline the cache is measured against.
 */
export class DisabledCache implements Cache {
  readonly mode = 'off' as const;
  private misses = 0;

  async get<V>(_key: string): Promise<CacheHit<V> | undefined> {
    this.misses++;
    return undefined;
  }

  async set<V>(_key: string, _value: ValueToCache<V>, _tier: TtlTier): Promise<void> {}

  delete(_key: string): void {}

  async singleFlight<T>(_key: string, fn: () => Promise<T> | T): Promise<T> {
    return fn();
  }

  readonly l2: L2Operations = noL2Operations;

  l2Down(): boolean {
    return false;
  }

  async ready(): Promise<boolean> {
    return false;
  }

  async flush(): Promise<void> {}

  stats(): CacheStats {
    return {
      hitsL1: 0,
      hitsL2: 0,
      misses: this.misses,
      invalidValues: 0,
      l2Writes: 0,
      droppedWrites: 0,
      writesInFlight: 0,
      timeouts: 0,
      errors: 0,
      shortCircuits: 0,
      l1Entries: 0,
      l1Bytes: 0,
    };
  }

  health(): CacheHealth {
    return { mode: this.mode, connected: false };
  }

  async close(): Promise<void> {}
}
