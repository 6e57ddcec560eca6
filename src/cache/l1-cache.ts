import { LRUCache } from 'lru-cache';
import type { Clock } from '../time.js';
import { l1TtlMs } from './ttl.js';
import type { CachedValue } from './value.js';

/** Options of {@link L1Cache}. */
export interface L1CacheOptions {
  /** Bound on the entries' size, measured as UTF-8 bytes of their JSON plus the key. */
  readonly maxBytes: number;
  /** Longest an entry lives here whatever its tier (ms, ≤ 2^31−1). */
  readonly ttlCapMs: number;
  readonly clock: Clock;
}

/** One value in L1: its JSON, and the value parsed from it once it has been read. */
export interface L1Entry {
  readonly json: string;
  /** UTF-8 bytes of `json` (the size measure, with the key). */
  readonly bytes: number;
  readonly expiresAt: number;
  /**
   * The parsed, frozen value. Set when the value entered L1 decoded (an L2 hit, a payload a
   * codec checked), else by its first reader: parsing on every hit would cost ~100× the
   * lookup, and parsing every write up front costs CPU and heap for values never read back.
   */
  value?: CachedValue;
}

/**
 * The in-process tier: an lru-cache bounded by bytes. Expiry is checked on read against
 * the injected clock: no per-entry timers (`ttlAutopurge` off), so no TTL can overflow a
 * Node timer.
 */
export class L1Cache {
  private readonly lru: LRUCache<string, L1Entry>;
  private readonly ttlCapMs: number;
  private readonly clock: Clock;

  constructor(options: L1CacheOptions) {
    if (!Number.isInteger(options.maxBytes) || options.maxBytes < 1) {
      throw new RangeError(`l1.maxBytes must be a positive integer, got ${options.maxBytes}`);
    }
    if (!Number.isInteger(options.ttlCapMs) || options.ttlCapMs < 1 || options.ttlCapMs > 2 ** 31 - 1) {
      throw new RangeError(`l1.ttlCapMs must be an integer in [1, 2^31-1], got ${options.ttlCapMs}`);
    }
    this.ttlCapMs = options.ttlCapMs;
    this.clock = options.clock;
    this.lru = new LRUCache<string, L1Entry>({
      maxSize: options.maxBytes,
      sizeCalculation: (entry, key) => entry.bytes + key.length,
      ttl: options.ttlCapMs,
      ttlAutopurge: false,
      // 0: read the clock on every check. lru-cache's default caches "now" for 1 ms with a
      // timer, which would also make a manual test clock appear not to move.
      ttlResolution: 0,
      perf: { now: () => this.clock.now() },
    });
  }

  get(key: string): L1Entry | undefined {
    return this.lru.get(key);
  }

  /**
   * Stores a value for what remains of its lifetime, capped by `ttlCapMs`. Expired values
   * are not stored; values larger than the whole cache are dropped by lru-cache.
   */
  set(key: string, entry: L1Entry): void {
    const remaining = entry.expiresAt - this.clock.now();
    if (remaining <= 0) return;
    this.lru.set(key, entry, { ttl: l1TtlMs(remaining, this.ttlCapMs) });
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  /** Entries held (expired ones not yet read may still count). */
  get entries(): number {
    return this.lru.size;
  }

  /** Size held, in the units of `maxBytes`. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  clear(): void {
    this.lru.clear();
  }
}
