import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createClient, type RedisClientType } from '@redis/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import {
  RedisSemanticStore,
  resolveSemanticSettings,
  SemanticIndex,
  SemanticLookup,
  type SemanticHashes,
  SemanticSigner,
} from '../../../src/semantic/index.js';
import { ManualClock } from '../../../src/time.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';
import { invoiceText } from '../../unit/semantic/fixtures.js';

const settings = resolveSemanticSettings({ mode: 'similar', threshold: 0.8, shingleSize: 3, permutations: 128, minWords: 8, seed: 1 });
const scope = { pipeline: 'extract', version: '1', scope: 'tenant-a' };
const DAY = 86_400_000;

let server: RedisServer;
let client: RedisClientType;
let namespace: string;
let failing = false;

const defaults = configSchema.parse({});

// The cache's hash operations, reduced to their contract: an answer, or undefined/false on any failure.
async function guarded<T>(fn: () => Promise<T>): Promise<T | undefined> {
  if (failing) return undefined;
  try {
    return await fn();
  } catch {
    return undefined;
  }
}
const hashes: SemanticHashes = {
  hashEntries: (hash) => guarded(() => client.hGetAll(hash)),
  hashPut: async (hash, field, value, ttlMs) => (await guarded(() => client.multi().hSet(hash, field, value).pExpire(hash, Math.floor(ttlMs)).exec())) !== undefined,
  hashRemove: async (hash, fields) => (await guarded(() => client.hDel(hash, [...fields]))) !== undefined,
};

function lookup(clock = new ManualClock()): SemanticLookup {
  const signer = new SemanticSigner(settings);
  const store = new RedisSemanticStore({ hashes, namespace, signatureLength: settings.permutations, maxBucketEntries: defaults.semantic.maxBucketEntries, clock });
  return new SemanticLookup({ l1: new SemanticIndex({ signer, clock }), l2: store, l1TtlCapMs: defaults.cache.l1.ttlCapMs, clock });
}

beforeAll(async () => {
  server = await startRedis('cache');
  client = createClient({ url: server.url });
  client.on('error', () => {}); // an unhandled 'error' would crash the test process
  await client.connect();
});

afterAll(async () => {
  client.destroy();
  await stopRedis(server);
});

beforeEach(() => {
  namespace = uniqueName('sem');
  failing = false;
});

describe('RedisSemanticStore (L2) with a real redis-server', () => {
  it('serves a near-duplicate written by another index from L2, then from L1', async () => {
    const writer = lookup();
    const original = invoiceText();
    expect(await writer.remember(writer.prepare(original), scope, { key: 'a:1', docId: 'doc-1', ttlMs: DAY })).toBe(true);

    const reader = lookup();
    const duplicate = reader.prepare(original.replaceAll(': ', ':   ').replace('Invoice Number', 'INVOICE NUMBER'));
    const first = await reader.find(duplicate, scope);
    expect(first).toMatchObject({ key: 'a:1', docId: 'doc-1', tier: 'l2' });
    expect(first?.score).toBe(1);
    expect(await reader.find(duplicate, scope)).toMatchObject({ key: 'a:1', tier: 'l1' });
  });

  it('keeps every key of an index under one hash tag, with a TTL', async () => {
    const writer = lookup();
    await writer.remember(writer.prepare(invoiceText()), scope, { key: 'a:1', docId: 'd', ttlMs: DAY });
    await writer.remember(writer.prepare(invoiceText({ number: 'INV-2024-00043' })), scope, { key: 'a:2', docId: 'e', ttlMs: DAY });
    const keys = await client.keys(`${namespace}:*`);
    expect(keys).toHaveLength(2); // one bucket per salient fingerprint
    const tags = new Set(keys.map((key) => /\{[^}]+\}/u.exec(key)?.[0]));
    expect(tags.size).toBe(1);
    for (const key of keys) {
      const ttl = await client.pTTL(key);
      expect(ttl).toBeGreaterThan(DAY - 60_000);
      expect(ttl).toBeLessThanOrEqual(DAY);
    }
  });

  it('never crosses scopes and never serves a hard negative', async () => {
    const writer = lookup();
    await writer.remember(writer.prepare(invoiceText()), scope, { key: 'a:1', docId: 'd', ttlMs: DAY });
    const reader = lookup();
    expect(await reader.find(reader.prepare(invoiceText()), { ...scope, scope: 'tenant-b' })).toBeUndefined();
    expect(await reader.find(reader.prepare(invoiceText()), { ...scope, version: '2' })).toBeUndefined();
    expect(await reader.find(reader.prepare(invoiceText({ total: '$1,234.56' })), scope)).toBeUndefined();
  });

  it('skips and lazily deletes entries that are malformed, of another format or expired', async () => {
    const clock = new ManualClock();
    const writer = lookup(clock);
    const prepared = writer.prepare(invoiceText());
    await writer.remember(prepared, scope, { key: 'a:1', docId: 'd', ttlMs: 60_000 });
    const buckets = await client.keys(`${namespace}:*:f:*`);
    expect(buckets).toHaveLength(1);
    await client.hSet(buckets[0]!, { 'a:2': 'not json', 'a:3': JSON.stringify({ v: 999, d: 'x', x: 9e15, s: '' }) });
    clock.advance(60_001); // a:1 is past its expiry, though Redis still holds it
    expect(await lookup(clock).find(prepared, scope)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50)); // cleanup is fire-and-forget
    expect(await client.exists(buckets[0]!)).toBe(0); // emptied hashes are deleted by Redis
  });

  it('trims a bucket over its bound, keeping the longest-lived entries', async () => {
    const signer = new SemanticSigner(settings);
    const store = new RedisSemanticStore({ hashes, namespace, signatureLength: 128, maxBucketEntries: 2 });
    const prepared = signer.prepare(invoiceText());
    const indexId = signer.indexId(scope);
    const probe = { fingerprint: prepared.fingerprint, bandKeys: [] };
    for (const [i, ttl] of [DAY, 2 * DAY, 3 * DAY].entries()) {
      const entry = { key: `a:${i}`, docId: `d${i}`, signature: prepared.signature, fingerprint: prepared.fingerprint, order: prepared.order, expiresAt: Date.now() + ttl };
      await store.add(indexId, entry, probe, ttl);
    }
    const found = await store.candidates(indexId, probe);
    expect(found.map((e) => e.key).sort()).toEqual(['a:1', 'a:2']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await client.hKeys(store.bucketKey(indexId, prepared.fingerprint))).sort()).toEqual(['a:1', 'a:2']);
  });

  it('forgets an entry', async () => {
    const writer = lookup();
    const prepared = writer.prepare(invoiceText());
    await writer.remember(prepared, scope, { key: 'a:1', docId: 'd', ttlMs: DAY });
    await writer.forget(prepared, scope, 'a:1');
    expect(await writer.find(prepared, scope)).toBeUndefined();
    expect(await lookup().find(prepared, scope)).toBeUndefined();
  });

  it('falls back to L1 alone when the choke point answers nothing (breaker open)', async () => {
    const both = lookup();
    failing = true;
    const prepared = both.prepare(invoiceText());
    expect(await both.remember(prepared, scope, { key: 'a:1', docId: 'd', ttlMs: DAY })).toBe(false);
    expect(await both.find(prepared, scope)).toMatchObject({ key: 'a:1', tier: 'l1' });
    expect(await lookup().find(prepared, scope)).toBeUndefined();
  });

  it('finds an entry written by another process (signatures agree across processes)', async () => {
    const script = `
      import { createClient } from '@redis/client';
      import { RedisSemanticStore, resolveSemanticSettings, SemanticIndex, SemanticLookup, SemanticSigner } from './src/semantic/index.ts';
      import { invoiceText } from './test/unit/semantic/fixtures.ts';
      const client = createClient({ url: process.env.URL });
      client.on('error', () => {});
      await client.connect();
      const settings = resolveSemanticSettings(JSON.parse(process.env.SETTINGS));
      const hashes = {
        hashEntries: (hash) => client.hGetAll(hash),
        hashPut: async (hash, field, value, ttlMs) => (await client.multi().hSet(hash, field, value).pExpire(hash, Math.floor(ttlMs)).exec(), true),
        hashRemove: async (hash, fields) => (await client.hDel(hash, [...fields]), true),
      };
      const store = new RedisSemanticStore({ hashes, namespace: process.env.NS, signatureLength: settings.permutations, maxBucketEntries: 64 });
      const lookup = new SemanticLookup({ l1: new SemanticIndex({ signer: new SemanticSigner(settings) }), l2: store, l1TtlCapMs: 600_000 });
      const ok = await lookup.remember(lookup.prepare(invoiceText()), JSON.parse(process.env.SCOPE), { key: 'child:1', docId: 'from-child', ttlMs: 60000 });
      client.destroy();
      if (!ok) process.exit(1);
    `;
    await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env: { ...process.env, URL: server.url, NS: namespace, SCOPE: JSON.stringify(scope), SETTINGS: JSON.stringify(settings) },
    });
    const reader = lookup();
    const hit = await reader.find(reader.prepare(`${invoiceText()}\n\n`), scope);
    expect(hit).toMatchObject({ key: 'child:1', docId: 'from-child', tier: 'l2', score: 1 });
  });
});
