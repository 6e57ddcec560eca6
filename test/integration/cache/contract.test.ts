import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { artifactKey } from '../../../src/cache/keys.js';
import { TTL_MS, TtlTier } from '../../../src/cache/ttl.js';
import type { Cache, CacheTier } from '../../../src/cache/types.js';
import { CACHE_SCHEMA_VERSION } from '../../../src/cache/value.js';
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

  it('runs raw set/hash commands, pipelines and MULTI for the semantic index through the choke point', async () => {
    const config = testCacheConfig();
    const cache = makeCache(config, { url: server?.url });
    open.push(cache);
    await cache.ready(2_000);
    const band = `${config.namespace}:sem:band:1`;
    const sig = `${config.namespace}:sem:sig:1`;
    const written = await cache.redis('index-add', (client) =>
      client.multi().sAdd(band, ['doc-a', 'doc-b']).hSet(sig, { h0: '17', h1: '42' }).expire(band, 60).expire(sig, 60).exec(),
    );
    expect(written).toEqual([2, 2, 1, 1]);
    const read = await cache.redis('index-read', (client) =>
      client.multi().sMembers(band).hGetAll(sig).execAsPipeline(),
    );
    expect(new Set(read?.[0] as unknown as string[])).toEqual(new Set(['doc-a', 'doc-b']));
    expect(read?.[1]).toEqual({ h0: '17', h1: '42' });
    expect(await cache.redis('index-remove', (client) => client.sRem(band, 'doc-a'))).toBe(1);
    expect(await cache.redis('wrong-type', (client) => client.sMembers(sig))).toBeUndefined(); // WRONGTYPE: a miss, not a throw
    expect(cache.stats().errors).toBe(1);
  });
});

