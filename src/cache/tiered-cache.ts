import { type Clock, settleWithin } from '../time.js';
import type { CacheGateway, CacheIo } from './cache-gateway.js';
import { L1Cache, type L1Entry } from './l1-cache.js';
import { GatewayL2Operations, type L2Operations, noL2Operations } from './l2-operations.js';
import { SingleFlight } from './single-flight.js';
import { type TtlTier, ttlMs } from './ttl.js';
import type { Cache, CacheHealth, CacheHit, CacheMode, CacheStats, ValueToCache } from './types.js';
import {
  anyPayload,
  CACHE_SCHEMA_VERSION,
  type CachedValue,
  decodePayload,
  decodeValue,
  type EncodedValue,
  encodeValue,
  readStored,
  type StoredPayload,
  serialiseValue,
  type ValueCodec,
  type ValueOrigin,
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
    const entry = this.l1.get(key);
    if (entry !== undefined) {
      const local = (entry.value ?? this.decodeLocal(key, entry, codec)) as CachedValue<V> | undefined;
      if (local === undefined || !valueMatches(local, key, expected)) return this.unexpected();
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
    const { value: decoded, json, bytes } = read.value as EncodedValue;
    this.l1.set(key, { json, bytes, expiresAt: decoded.expiresAt, value: decoded });
    this.counts.hitsL2++;
    return { value: read.value.value, tier: 'l2' };
  }

  async set<V>(key: string, value: ValueToCache<V>, tier: TtlTier, codec: ValueCodec<V> = anyPayload as unknown as ValueCodec<V>): Promise<void> {
    if (this.closing) return;
    const lifetime = ttlMs(tier);
    const createdAt = this.clock.now();
    const envelope = { v: CACHE_SCHEMA_VERSION, key, ...value, createdAt, expiresAt: createdAt + lifetime } as const;
    // L1 keeps what an L2 reader would get: the JSON, read back through the codec. A codec
    // that takes any payload as it is has nothing to refuse, so the value is parsed by its
    // first L1 reader, if any (most values written are not read back in the same process).
    const entry = this.entryOf(envelope, codec);
    if (entry === undefined) {
      this.counts.invalidValues++;
      return;
    }
    this.l1.set(key, entry);
    await this.writeBehind('set', (io) => io.keyv.set(key, entry.json, lifetime));
  }

  delete(key: string): void {
    this.l1.delete(key);
    this.writeBehind('delete', (io) => io.keyv.delete(key));
  }

  l2Down(): boolean {
    return this.gateway !== undefined && !this.gateway.reachable;
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

  /** The L1 entry of a value being written; `undefined` when it cannot be stored. */
  private entryOf<V>(envelope: CachedValue<V>, codec: ValueCodec<V>): L1Entry | undefined {
    if (codec === (anyPayload as unknown)) {
      const serialised = serialiseValue(envelope);
      return serialised && { ...serialised, expiresAt: envelope.expiresAt };
    }
    const encoded = encodeValue(envelope);
    const decoded = encoded && decodePayload(encoded, codec);
    return decoded && { json: decoded.json, bytes: decoded.bytes, expiresAt: decoded.value.expiresAt, value: decoded.value as CachedValue };
  }

  /** Parses an L1 value at its first read; one that does not read back is dropped (the caller counts it). */
  private decodeLocal<V>(key: string, entry: L1Entry, codec: ValueCodec<V>): CachedValue<V> | undefined {
    const encoded = decodeValue(entry.json);
    const decoded = encoded && decodePayload(encoded, codec);
    if (decoded === undefined) {
      this.l1.delete(key);
      return undefined;
    }
    entry.value = decoded.value as CachedValue;
    return decoded.value;
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
