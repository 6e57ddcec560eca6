import { type Clock, settleWithin } from '../time.js';
import type { CacheGateway, CacheIo } from './cache-gateway.js';
import { L1Cache } from './l1-cache.js';
import { SingleFlight } from './single-flight.js';
import { type TtlTier, ttlMs } from './ttl.js';
import { GatewayL2Operations, type L2Operations, noL2Operations } from './l2-operations.js';
import type { Cache, CacheHealth, CacheHit, CacheMode, CacheStats, ValueToCache } from './types.js';
import {
  anyPayload,
  CACHE_SCHEMA_VERSION,
  type CachedValue,
  decodePayload,
  type EncodedValue,
  encodeValue,
  type StoredPayload,
  type ValueCodec,
  type ValueOrigin,
  readStored,
  valueMatches,
} from './value.js';

/** Options of {@link TieredCache}. */
export interface TieredCacheOptions {
  readonly l1: { readonly maxBytes: number; readonly ttlCapMs: number };
  /** L2 writes (and deletes) in flight at most; more are dropped and counted. */
  readonly maxWritesInFlight: number;
  readonly clock: Clock;
  /** The guarded L2; without it the cache is L1 only. */
  readonly gateway?: CacheGateway | undefined;
}

const defaultCloseTimeoutMs = 1_000;

/**
 * Two tiers: an in-process LRU (L1) and Keyv/Redis (L2) behind the gateway. Reads go L1 →
 * L2; writes go to L1 at once and to L2 in the background, never awaited by the caller.
 */
export class TieredCache implements Cache {
  readonly mode: CacheMode;
  readonly l2: L2Operations;
  private readonly l1: L1Cache;
  private readonly gateway: CacheGateway | undefined;
  private readonly clock: Clock;
  private readonly maxWritesInFlight: number;
  private readonly flights = new SingleFlight();
  private readonly pendingWrites = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;
  private counts = { hitsL1: 0, hitsL2: 0, misses: 0, invalidValues: 0, l2Writes: 0, droppedWrites: 0 };

  constructor(options: TieredCacheOptions) {
    if (!Number.isInteger(options.maxWritesInFlight) || options.maxWritesInFlight < 1) {
      throw new RangeError(`maxWritesInFlight must be a positive integer, got ${options.maxWritesInFlight}`);
    }
    this.l1 = new L1Cache({ ...options.l1, clock: options.clock });
    this.gateway = options.gateway;
    this.clock = options.clock;
    this.maxWritesInFlight = options.maxWritesInFlight;
    this.mode = this.gateway ? 'l1+l2' : 'l1';
    this.l2 = this.gateway ? new GatewayL2Operations(this.gateway, options.clock) : noL2Operations;
  }

  async get<V = StoredPayload>(
    key: string,
    expected?: Partial<ValueOrigin>,
    codec: ValueCodec<V> = anyPayload as unknown as ValueCodec<V>,
  ): Promise<CacheHit<V> | undefined> {
    // L1 holds what this key space's codec made when the value entered it (one codec per key space).
    const local = this.l1.get(key) as CachedValue<V> | undefined;
    if (local !== undefined) {
      if (!valueMatches(local, key, expected)) return this.unexpected();
      this.counts.hitsL1++;
      return { value: local, tier: 'l1' };
    }
    const raw = this.gateway && (await this.gateway.run('get', (io) => io.keyv.get<string>(key)));
    if (raw === undefined || raw === null) return this.miss();
    const read = readStored(raw, key, expected, codec, this.clock.now());
    switch (read.kind) {
      case 'corrupt':
        // Never served, and removed so the next lookup does not pay for it again.
        this.counts.invalidValues++;
        this.writeBehind('delete', (io) => io.keyv.delete(key));
        return this.miss();
      case 'expired':
        return this.miss();
      case 'unexpected':
        // E.g. a semantic index entry pointing at another value: the value stays for the readers it belongs to.
        return this.unexpected();
    }
    this.l1.set(key, read.value as EncodedValue);
    this.counts.hitsL2++;
    return { value: read.value.value, tier: 'l2' };
  }

  async set<V>(key: string, value: ValueToCache<V>, tier: TtlTier, codec: ValueCodec<V> = anyPayload as unknown as ValueCodec<V>): Promise<void> {
    if (this.closing) return;
    const lifetime = ttlMs(tier);
    const createdAt = this.clock.now();
    const json = encodeValue({ v: CACHE_SCHEMA_VERSION, key, ...value, createdAt, expiresAt: createdAt + lifetime });
    // L1 keeps what an L2 reader would get: the JSON round trip, through the codec.
    const encoded = json && (decodePayload(json, codec) as EncodedValue | undefined);
    if (encoded === undefined) {
      this.counts.invalidValues++;
      return;
    }
    this.l1.set(key, encoded);
    await this.writeBehind('set', (io) => io.keyv.set(key, encoded.json, lifetime));
  }

  delete(key: string): void {
    this.l1.delete(key);
    this.writeBehind('delete', (io) => io.keyv.delete(key));
  }

  singleFlight<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    return this.flights.run(key, fn);
  }

  async ready(timeoutMs: number): Promise<boolean> {
    return (await this.gateway?.ready(timeoutMs)) ?? false;
  }

  async flush(timeoutMs = defaultCloseTimeoutMs): Promise<void> {
    if (this.pendingWrites.size === 0) return;
    await settleWithin(Promise.all(this.pendingWrites), timeoutMs);
  }

  stats(): CacheStats {
    const gateway = this.gateway?.stats();
    return {
      ...this.counts,
      writesInFlight: this.pendingWrites.size,
      timeouts: gateway?.timeouts ?? 0,
      errors: gateway?.errors ?? 0,
      shortCircuits: gateway?.shortCircuits ?? 0,
      l1Entries: this.l1.entries,
      l1Bytes: this.l1.bytes,
    };
  }

  health(): CacheHealth {
    if (!this.gateway) return { mode: this.mode, connected: false };
    const { connected, connectionError, ...breaker } = this.gateway.health();
    return { mode: this.mode, connected, ...(connectionError ? { connectionError } : {}), breaker };
  }

  close(timeoutMs = defaultCloseTimeoutMs): Promise<void> {
    this.closing ??= (async () => {
      const started = Date.now();
      await this.flush(timeoutMs);
      await this.gateway?.close(Math.max(0, timeoutMs - (Date.now() - started)));
      this.l1.clear();
    })();
    return this.closing;
  }

  /** A value that is not what its reader expected: counted as corrupt, and a miss. */
  private unexpected(): undefined {
    this.counts.invalidValues++;
    return this.miss();
  }

  private miss(): undefined {
    this.counts.misses++;
    return undefined;
  }

  /** Fire-and-forget L2 write, bounded: over the bound the write is dropped and counted. */
  private writeBehind(opName: string, fn: (io: CacheIo) => Promise<unknown>): Promise<unknown> {
    if (!this.gateway) return Promise.resolve();
    if (this.pendingWrites.size >= this.maxWritesInFlight) {
      this.counts.droppedWrites++;
      return Promise.resolve();
    }
    this.counts.l2Writes++;
    // run() never rejects; the promise is kept so flush() and close() can wait for it.
    const write = this.gateway.run(opName, fn, { background: true }).finally(() => this.pendingWrites.delete(write));
    this.pendingWrites.add(write);
    return write;
  }
}
