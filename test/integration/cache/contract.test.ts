import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { artifactKey } from '../../../src/cache/keys.js';
import { TTL_MS, TtlTier } from '../../../src/cache/ttl.js';
import type { Cache, CacheTier } from '../../../src/cache/types.js';
import { anyPayload, CACHE_SCHEMA_VERSION } from '../../../src/cache/value.js';
import { ManualClock } from '../../../src/time.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { startRedis, stopRedis } from '../../helpers/redis.js';
import { expectSocketsBackTo, makeCache, openTcpSockets, rawClient, testCacheConfig } from './helpers.js';

/**
 * One contract, run against both tiers. The L2 variant reads through a second cache (a
 * second "process" with an empty L1) so that reads really come from Redis.
 */
interface Setup {
  readonly writer: Cache;
  readonly reader: Cache;
  /** Tier of the reader's first hit. */
  readonly firstTier: CacheTier;
  readonly clock: ManualClock;
  readonly namespace: string;
}

let server: RedisServer | undefined;
let baselineSockets = 0;
const open: Cache[] = [];

beforeAll(async () => {
  baselineSockets = openTcpSockets();
  server = await startRedis('cache');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((cache) => cache.close()));
});

afterAll(async () => {
  await expectSocketsBackTo(baselineSockets); // every client of this file was really closed
  await stopRedis(server);
});

const variants = [
  {
    name: 'L1 only',
    async setup(): Promise<Setup> {
      const clock = new ManualClock();
      const config = testCacheConfig();
      const cache = makeCache(config, { clock });
      open.push(cache);
      return { writer: cache, reader: cache, firstTier: 'l1', clock, namespace: config.namespace };
    },
  },
  {
    name: 'L1 + L2 (Redis)',
    async setup(): Promise<Setup> {
      const clock = new ManualClock();
      const config = testCacheConfig();
      const writer = makeCache(config, { url: server?.url, clock });
      const reader = makeCache(config, { url: server?.url, clock });
      open.push(writer, reader);
      expect(await writer.ready(2_000)).toBe(true);
      expect(await reader.ready(2_000)).toBe(true);
      return { writer, reader, firstTier: 'l2', clock, namespace: config.namespace };
    },
  },
];

const made = { pipeline: 'extract', version: '1', scope: null, input: 'test' };
const doc = { artifact: { emails: ['a@example.com'], total: { amount: 12.5, currency: 'EUR' } }, docId: 'doc-1', made };

describe.each(variants)('cache contract: $name', (variant) => {
  const key = (namespace: string, text = 'Invoice 1 total 12.50 EUR') =>
    artifactKey({ namespace, pipeline: 'extract', version: '1', text });

  it('misses a key never written', async () => {
    const { reader, namespace } = await variant.setup();
    expect(await reader.get(key(namespace))).toBeUndefined();
    expect(reader.stats().misses).toBe(1);
  });

  it('returns what was set, then serves it from L1', async () => {
    const { writer, reader, firstTier, clock, namespace } = await variant.setup();
    writer.set(key(namespace), doc, TtlTier.DEFAULT);
    await writer.flush();
    const hit = await reader.get(key(namespace));
    expect(hit).toEqual({
      tier: firstTier,
      value: { v: CACHE_SCHEMA_VERSION, key: key(namespace), ...doc, createdAt: clock.now(), expiresAt: clock.now() + TTL_MS.DEFAULT },
    });
    expect((await reader.get(key(namespace)))?.tier).toBe('l1');
  });

  it('finds a whitespace variant of the input, not another pipeline version', async () => {
    const { writer, reader, namespace } = await variant.setup();
    writer.set(key(namespace, 'Invoice 1\n  total 12.50 EUR'), doc, TtlTier.BATCH);
    await writer.flush();
    expect(await reader.get(key(namespace))).toBeDefined();
    const v2 = artifactKey({ namespace, pipeline: 'extract', version: '2', text: 'Invoice 1 total 12.50 EUR' });
    expect(await reader.get(v2)).toBeUndefined();
  });

  it('expires entries at the end of their tier lifetime', async () => {
    const { writer, reader, clock, namespace } = await variant.setup();
    writer.set(key(namespace), doc, TtlTier.DEFAULT);
    await writer.flush();
    clock.advance(TTL_MS.DEFAULT + 1);
    expect(await reader.get(key(namespace))).toBeUndefined();
  });

  it('deletes', async () => {
    const { writer, reader, namespace } = await variant.setup();
    writer.set(key(namespace), doc, TtlTier.DEFAULT);
    await writer.flush();
    writer.delete(key(namespace));
    await writer.flush();
    expect(await reader.get(key(namespace))).toBeUndefined();
  });

  it('counts an invalid value as a miss and never throws', async () => {
    const { writer, reader, namespace } = await variant.setup();
    expect(() => writer.set(key(namespace), { artifact: { n: 1n }, docId: 'd', made }, TtlTier.DEFAULT)).not.toThrow();
    await writer.flush();
    expect(await reader.get(key(namespace))).toBeUndefined();
    expect(writer.stats().invalidValues).toBe(1);
  });

  it('runs concurrent misses of one key once', async () => {
    const { reader, namespace } = await variant.setup();
    let runs = 0;
    const lookupOrCompute = () =>
      reader.singleFlight(key(namespace), async () => (await reader.get(key(namespace))) ?? { computed: ++runs });
    await Promise.all(Array.from({ length: 10 }, lookupOrCompute));
    expect(runs).toBe(1);
  });
});

describe('L2 storage format', () => {
  it('stores the JSON envelope under the key itself with the tier TTL as PX', async () => {
    const config = testCacheConfig();
    const cache = makeCache(config, { url: server?.url });
    open.push(cache);
    await cache.ready(2_000);
    const key = artifactKey({ namespace: config.namespace, pipeline: 'extract', version: '1', text: 'x' });
    cache.set(key, doc, TtlTier.PATTERN);
    await cache.flush();
    const raw = await rawClient(server?.url ?? '');
    try {
      expect(JSON.parse((await raw.get(key)) ?? '')).toMatchObject({ v: CACHE_SCHEMA_VERSION, key, ...doc });
      const pttl = await raw.pTTL(key);
      expect(pttl).toBeGreaterThan(TTL_MS.PATTERN - 60_000);
      expect(pttl).toBeLessThanOrEqual(TTL_MS.PATTERN);
    } finally {
      raw.destroy();
    }
  });

  it('runs the named set, hash and lock operations of the stores in the cache Redis through the choke point', async () => {
    const config = testCacheConfig();
    const cache = makeCache(config, { url: server?.url });
    open.push(cache);
    await cache.ready(2_000);
    const set = `${config.namespace}:index:1`;
    const hash = `${config.namespace}:sem:f:1`;
    const lock = `${config.namespace}:lock:1`;
    expect(await cache.l2.addToSets([{ set, member: 'doc-a' }, { set, member: 'doc-b' }], 60_000)).toBe(true);
    expect(new Set(await cache.l2.setMembers(set, 10))).toEqual(new Set(['doc-a', 'doc-b']));
    expect(await cache.l2.setContains(set, ['doc-a', 'doc-c'])).toEqual([true, false]);
    expect(await cache.l2.removeFromSet(set, ['doc-a'])).toBe(true);
    expect(await cache.l2.setMembers(set, 10)).toEqual(['doc-b']);
    expect(await cache.l2.hashPut(hash, 'h0', '17', 60_000)).toBe(true);
    expect(await cache.l2.hashEntries(hash)).toEqual({ h0: '17' });
    expect(cache.stats().errors).toBe(0);
    expect(await cache.l2.setMembers(hash, 10)).toBeUndefined(); // WRONGTYPE: no answer, not a throw
    expect(cache.stats().errors).toBe(1);
    expect(await cache.l2.hashRemove(hash, ['h0'])).toBe(true);
    expect(await cache.l2.hashEntries(hash)).toEqual({});
    expect(await cache.l2.acquireLock(lock, 'me', 60_000)).toBe(true);
    expect(await cache.l2.acquireLock(lock, 'other', 60_000)).toBe(false);
    expect(await cache.l2.releaseLock(lock, 'other')).toBe(true); // not the holder: the lock stays
    expect(await cache.l2.exists(lock)).toBe(true);
    expect(await cache.l2.releaseLock(lock, 'me')).toBe(true);
    expect(await cache.l2.exists(lock)).toBe(false);
    expect(await cache.l2.maxMemoryPolicy()).toBeTypeOf('string');
    expect(cache.stats().errors).toBe(1);
  });

  it('reads values past L1 with the checks of a get (key, origin, codec)', async () => {
    const config = testCacheConfig();
    const writer = makeCache(config, { url: server?.url });
    const reader = makeCache(config, { url: server?.url });
    open.push(writer, reader);
    await Promise.all([writer.ready(2_000), reader.ready(2_000)]);
    const made = { pipeline: 'p', version: '1', scope: null, input: 'i' };
    const [a, b] = [`${config.namespace}:v:a`, `${config.namespace}:v:b`];
    await writer.set(a, { artifact: { n: 1 }, docId: 'd', made }, TtlTier.DEFAULT);
    await writer.set(b, { artifact: { n: 2 }, docId: 'd', made: { ...made, input: 'other' } }, TtlTier.DEFAULT);
    const found = await reader.l2.readLatest([a, b, `${config.namespace}:v:none`], () => made, anyPayload);
    expect(found?.map((value) => value?.artifact)).toEqual([{ n: 1 }, undefined, undefined]);
    expect(reader.stats().l1Entries).toBe(0); // past L1: nothing kept
  });
});

