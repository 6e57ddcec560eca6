import { describe, expect, it } from 'vitest';
import { CacheBreaker } from '../../../src/breaker/cache-breaker.js';
import { CacheGateway } from '../../../src/cache/cache-gateway.js';
import { createCache } from '../../../src/cache/create-cache.js';
import { TieredCache } from '../../../src/cache/tiered-cache.js';
import { TTL_MS, TtlTier } from '../../../src/cache/ttl.js';
import { CACHE_SCHEMA_VERSION, type StoredPayload, type ValueCodec } from '../../../src/cache/value.js';
import { ManualClock } from '../../../src/time.js';
import { configSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/log.js';
import { fakeStore, mapKeyv } from './fake-store.js';

const ttlCapMs = 600_000;
const made = { pipeline: 'extract', version: '1', scope: null, input: 'h1' };
const doc = { artifact: { total: 10, emails: ['a@b.c'] }, docId: 'doc-1', made };

function l1Only(overrides: { maxBytes?: number; maxWritesInFlight?: number } = {}) {
  const clock = new ManualClock();
  const cache = new TieredCache({
    l1: { maxBytes: overrides.maxBytes ?? 1_048_576, ttlCapMs },
    maxWritesInFlight: overrides.maxWritesInFlight ?? 4,
    clock,
  });
  return { clock, cache };
}

function withFakeL2(keyv = mapKeyv(), maxWritesInFlight = 4) {
  const clock = new ManualClock();
  const { store } = fakeStore({ keyv: keyv.keyv });
  const gateway = new CacheGateway(store, { opTimeoutMs: 20, breaker: new CacheBreaker({ failureThreshold: 5, openMs: 300_000, probeTimeoutMs: 20, clock }) });
  const cache = new TieredCache({ l1: { maxBytes: 1_048_576, ttlCapMs }, maxWritesInFlight, clock, gateway });
  return { clock, cache, ...keyv };
}

describe('TieredCache, L1', () => {
  it('misses, then hits L1 after a set, with the envelope filled in', async () => {
    const { cache, clock } = l1Only();
    expect(await cache.get('k')).toBeUndefined();
    cache.set('k', doc, TtlTier.BATCH);
    expect(await cache.get('k')).toEqual({
      tier: 'l1',
      value: { v: CACHE_SCHEMA_VERSION, key: 'k', ...doc, createdAt: clock.now(), expiresAt: clock.now() + TTL_MS.BATCH },
    });
    expect(cache.stats()).toMatchObject({ hitsL1: 1, hitsL2: 0, misses: 1, l1Entries: 1 });
    expect(cache.mode).toBe('l1');
  });

  it('keeps an entry at most ttlCapMs, whatever its tier (PATTERN included, no timer overflow)', async () => {
    for (const tier of Object.values(TtlTier)) {
      const { cache, clock } = l1Only();
      cache.set('k', doc, tier);
      clock.advance(ttlCapMs - 1);
      expect((await cache.get('k'))?.tier).toBe('l1');
      clock.advance(2);
      expect(await cache.get('k')).toBeUndefined();
    }
  });

  it('is bounded by bytes: least recently used entries go first, oversize entries are not kept', async () => {
    const { cache } = l1Only({ maxBytes: 2_000 });
    const big = { artifact: { text: 'x'.repeat(400) }, docId: 'd', made };
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, big, TtlTier.DEFAULT);
    const stats = cache.stats();
    expect(stats.l1Bytes).toBeLessThanOrEqual(2_000);
    expect(stats.l1Entries).toBeLessThan(10);
    expect(await cache.get('k0')).toBeUndefined();
    expect((await cache.get('k9'))?.tier).toBe('l1');
    cache.set('huge', { artifact: { text: 'y'.repeat(5_000) }, docId: 'd', made }, TtlTier.DEFAULT);
    expect(await cache.get('huge')).toBeUndefined();
  });

  it('serves frozen copies: neither the caller nor a reader can change what is cached', async () => {
    const { cache } = l1Only();
    const artifact = { list: [1, 2] };
    cache.set('k', { artifact, docId: 'd', made }, TtlTier.DEFAULT);
    artifact.list.push(3);
    const hit = await cache.get('k');
    expect(hit?.value.artifact).toEqual({ list: [1, 2] });
    const list = hit?.value.artifact.list as number[];
    expect(() => list.push(4)).toThrow(TypeError);
  });

  it('parses a written value once, at its first read, and serves that one copy to every later reader', async () => {
    const { cache } = l1Only();
    cache.set('k', { artifact: { list: [1, 2] }, docId: 'd', made }, TtlTier.DEFAULT);
    const first = await cache.get('k');
    const second = await cache.get('k');
    expect(first?.value).toEqual(expect.objectContaining({ artifact: { list: [1, 2] } }));
    expect(second?.value).toBe(first?.value);
    expect(cache.stats()).toMatchObject({ hitsL1: 2, invalidValues: 0 });
  });

  it('counts an artifact that cannot be stored as invalid instead of throwing', async () => {
    const { cache } = l1Only();
    expect(() => cache.set('k', { artifact: { n: 1n }, docId: 'd', made }, TtlTier.DEFAULT)).not.toThrow();
    expect(() => cache.set('a', { artifact: [1, 2] as unknown as StoredPayload, docId: 'd', made }, TtlTier.DEFAULT)).not.toThrow();
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.get('a')).toBeUndefined();
    expect(cache.stats().invalidValues).toBe(2);
  });

  it('runs concurrent misses of one key once (single-flight)', async () => {
    const { cache } = l1Only();
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'artifact';
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => cache.singleFlight('k', compute)));
    expect(results).toEqual(Array(8).fill('artifact'));
    expect(runs).toBe(1);
  });

  it('has no L2: L2 operations answer at once with no answer, health says l1', async () => {
    const { cache } = l1Only();
    expect(await cache.l2.setMembers('s', 10)).toBeUndefined();
    expect(await cache.l2.acquireLock('lock', 'me', 1_000)).toBeUndefined();
    expect(await cache.ready(10)).toBe(false);
    expect(cache.health()).toEqual({ mode: 'l1', connected: false });
    await cache.close();
    expect(await cache.get('k')).toBeUndefined();
  });

  it('rejects a bad write bound with RangeError', () => {
    expect(() => l1Only({ maxWritesInFlight: 0 })).toThrow(RangeError);
  });
});

describe('TieredCache over a fake L2', () => {
  it('writes L2 in the background with the tier TTL, and an L2 hit fills L1 with the remaining lifetime', async () => {
    const writer = withFakeL2();
    writer.cache.set('k', doc, TtlTier.PATTERN);
    await writer.cache.flush();
    expect(writer.ttls.get('k')).toBe(TTL_MS.PATTERN);

    // A second process sharing the L2: its first read comes from L2, then from L1.
    const stored = JSON.parse(writer.data.get('k') ?? '') as { expiresAt: number };
    const reader = withFakeL2({ ...mapKeyv() });
    reader.data.set('k', JSON.stringify({ ...stored, expiresAt: reader.clock.now() + 5_000 }));
    expect((await reader.cache.get('k'))?.tier).toBe('l2');
    expect((await reader.cache.get('k'))?.tier).toBe('l1');
    reader.clock.advance(5_001); // remaining lifetime (5 s) was shorter than the L1 cap
    expect(await reader.cache.get('k')).toBeUndefined();
    expect(reader.cache.stats()).toMatchObject({ hitsL2: 1, hitsL1: 1, misses: 1 });
  });

  it('treats an invalid L2 value as a counted miss and deletes it', async () => {
    const l2 = withFakeL2();
    l2.data.set('k', '{"v":0}');
    expect(await l2.cache.get('k')).toBeUndefined();
    await l2.cache.flush();
    expect(l2.data.has('k')).toBe(false);
    expect(l2.cache.stats()).toMatchObject({ invalidValues: 1, misses: 1 });
  });

  it('a valid value copied under another key is a counted miss and is deleted; the original still serves', async () => {
    const l2 = withFakeL2();
    l2.cache.set('k', doc, TtlTier.DEFAULT);
    await l2.cache.flush();
    l2.data.set('other', l2.data.get('k') ?? '');
    const reader = withFakeL2({ keyv: l2.keyv, data: l2.data, ttls: l2.ttls });
    expect(await reader.cache.get('other')).toBeUndefined();
    await reader.cache.flush();
    expect(l2.data.has('other')).toBe(false);
    expect(reader.cache.stats()).toMatchObject({ invalidValues: 1, misses: 1, hitsL2: 0 });
    expect((await reader.cache.get('k', made))?.value.docId).toBe('doc-1');
  });

  it('a value made from something else than the reader expects is a counted miss, from either tier, and stays for its own readers', async () => {
    const l2 = withFakeL2();
    l2.cache.set('k', doc, TtlTier.DEFAULT);
    await l2.cache.flush();
    expect(await l2.cache.get('k', { ...made, input: 'h2' })).toBeUndefined(); // from L1
    expect(await l2.cache.get('k', { scope: '["acme",null]' })).toBeUndefined();
    const reader = withFakeL2({ keyv: l2.keyv, data: l2.data, ttls: l2.ttls });
    expect(await reader.cache.get('k', { version: '2' })).toBeUndefined(); // from L2
    await reader.cache.flush();
    expect(l2.cache.stats()).toMatchObject({ invalidValues: 2, misses: 2 });
    expect(reader.cache.stats()).toMatchObject({ invalidValues: 1, misses: 1 });
    expect(l2.data.has('k')).toBe(true);
    expect((await reader.cache.get('k', { pipeline: 'extract', version: '1', scope: null }))?.tier).toBe('l2');
  });

  it('drops and counts writes over the in-flight bound; never waits for them', async () => {
    const hanging = mapKeyv();
    hanging.keyv.set = () => new Promise<boolean>(() => {});
    const l2 = withFakeL2(hanging, 2);
    const started = performance.now();
    for (let i = 0; i < 5; i++) l2.cache.set(`k${i}`, doc, TtlTier.DEFAULT);
    expect(performance.now() - started).toBeLessThan(50);
    expect(l2.cache.stats()).toMatchObject({ l2Writes: 2, droppedWrites: 3, writesInFlight: 2 });
    expect((await l2.cache.get('k4'))?.tier).toBe('l1'); // L1 has it regardless
    await l2.cache.flush(); // the hung writes time out at the 20 ms budget
    expect(l2.cache.stats()).toMatchObject({ writesInFlight: 0, timeouts: 2 });
  });
});

describe('TieredCache with a codec per value type', () => {
  const totals: ValueCodec<{ total: number }> = {
    decode: (payload) => (typeof payload.total === 'number' ? { total: payload.total } : undefined),
  };

  it('decodes a value once as it enters L1 (a write, an L2 hit) and serves it frozen', async () => {
    const writer = withFakeL2();
    await writer.cache.set('k', { artifact: { total: 10, extra: 'dropped' } as { total: number }, docId: 'd', made }, TtlTier.DEFAULT, totals);
    const local = await writer.cache.get('k', made, totals);
    expect(local?.value.artifact).toEqual({ total: 10 });
    expect(Object.isFrozen(local?.value.artifact)).toBe(true);
    const reader = withFakeL2();
    reader.data.set('k', writer.data.get('k') ?? '');
    expect(await reader.cache.get('k', made, totals)).toMatchObject({ tier: 'l2', value: { artifact: { total: 10 } } });
  });

  it('treats a payload its codec refuses as a corrupt value: a counted miss, deleted from L2, never kept', async () => {
    const writer = withFakeL2();
    await writer.cache.set('k', { artifact: { total: 'ten' } as unknown as { total: number }, docId: 'd', made }, TtlTier.DEFAULT, totals);
    expect(writer.data.has('k')).toBe(false);
    const reader = withFakeL2();
    reader.data.set('k', JSON.stringify({ v: CACHE_SCHEMA_VERSION, key: 'k', made, artifact: { total: 'ten' }, docId: 'd', createdAt: 0, expiresAt: reader.clock.now() + 5_000 }));
    expect(await reader.cache.get('k', made, totals)).toBeUndefined();
    await reader.cache.flush();
    expect(reader.data.has('k')).toBe(false);
    expect(reader.cache.stats()).toMatchObject({ invalidValues: 1, misses: 1 });
  });
});

describe('createCache', () => {
  const config = configSchema.parse({}).cache;
  const deps = { logger: silentLogger, clock: new ManualClock() };

  it('enabled: false gives a cache that always misses and never shares pipeline runs', async () => {
    const cache = createCache({ ...config, enabled: false }, deps);
    cache.set('k', doc, TtlTier.DEFAULT);
    expect(await cache.get('k')).toBeUndefined();
    let runs = 0;
    await Promise.all([cache.singleFlight('k', async () => ++runs), cache.singleFlight('k', async () => ++runs)]);
    expect(runs).toBe(2);
    expect(cache.health()).toEqual({ mode: 'off', connected: false });
    expect(cache.stats()).toMatchObject({ misses: 1, hitsL1: 0 });
    await cache.close();
  });

  it('no URL gives a working L1-only cache', async () => {
    const cache = createCache(config, deps);
    expect(cache.mode).toBe('l1');
    cache.set('k', doc, TtlTier.DEFAULT);
    expect((await cache.get('k'))?.tier).toBe('l1');
    await cache.close();
  });

  it('rejects a backoff cap below its base with RangeError', () => {
    expect(() =>
      createCache({ ...config, backoff: { baseMs: 500, capMs: 100 } }, { ...deps, url: 'redis://127.0.0.1:1' }),
    ).toThrow(RangeError);
  });
});
