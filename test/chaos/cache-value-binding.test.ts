import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactKey, CACHE_SCHEMA_VERSION } from '../../src/cache/index.js';
import type { Document } from '../../src/pipeline/types.js';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { scopeOf } from '../../src/worker/cached-artifacts.js';
import { cleanEnv, tempDir } from '../helpers/cli.js';
import { invoiceText } from '../helpers/corpus.js';
import { startRedis, stopRedis, uniqueName } from '../helpers/redis.js';
import { type LabelledDoc, startWorker, writeDocs } from '../integration/semantic/helpers.js';

/*
 * Cache values are tied to their keys (issue 11, item 5), through real worker processes on
 * a real broker and cache Redis. A valid entry copied under another document's key (by a
 * bug, a migration script, a person with redis-cli) used to make that document an `exact`
 * hit carrying the other invoice's values and ids. Now every value names its key and what
 * it was made from (pipeline, version, scope, input hash), and a value that does not match
 * is a miss counted as corrupt: the document gets its own artifact from the pipeline.
 */

const FIXTURE = path.resolve('test/fixtures/semantic-v1.js');
const dir = tempDir('value-binding');
let broker: RedisServer;
let cache: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
  cache = await startRedis('cache');
});

afterAll(async () => {
  await stopRedis(broker, cache);
});

const env = (queuePrefix: string) =>
  cleanEnv({
    BATCHLINE_BROKER_URL: broker.url,
    BATCHLINE_CACHE_URL: cache.url,
    BATCHLINE_QUEUE_PREFIX: queuePrefix,
    BATCHLINE_PIPELINE: FIXTURE,
    BATCHLINE_LOG_LEVEL: 'info',
    BATCHLINE_CACHE_TIMEOUT_MS: '2000',
  });

const doc = (id: string, n: number, scope?: string): LabelledDoc & Document => ({
  id,
  text: invoiceText(n),
  base: n,
  role: 'original',
  kind: 'original',
  ...(scope ? { meta: { scope } } : {}),
});

/** The exact-cache key the workers use for `d` (namespace `batchline`, the fixture pipeline). */
const keyOf = (d: Document) => artifactKey({ namespace: 'batchline', pipeline: 'semantic-fixture', version: '1', scope: scopeOf(d), text: d.text });

describe('a cache value under a key that is not its own', () => {
  it('is a miss counted as corrupt, and the document gets its own artifact from the pipeline', async () => {
    const queuePrefix = `{${uniqueName('bind')}}`;
    const invoice1 = doc('invoice-1', 1);
    const tenantX = doc('tenant-x-invoice-3', 3, 'tenant-x');
    const workerA = await startWorker(env(queuePrefix), dir);
    const first = await workerA.process(writeDocs(path.join(dir, 'first.jsonl'), [invoice1, tenantX]));
    await workerA.stop();
    expect([...first.values()].map((line) => line.cache)).toEqual(['miss', 'miss']);

    const invoice2 = doc('invoice-2', 2);
    const tenantY = doc('tenant-y-invoice-3', 3, 'tenant-y');
    const invoice4 = doc('invoice-4', 4);
    const raw = new Redis(cache.port, '127.0.0.1');
    try {
      const valid1 = (await raw.get(keyOf(invoice1))) ?? '';
      const validX = (await raw.get(keyOf(tenantX))) ?? '';
      expect(JSON.parse(valid1)).toMatchObject({ v: CACHE_SCHEMA_VERSION, key: keyOf(invoice1), docId: 'invoice-1' });
      // Another document's key: invoice 1's valid entry copied as it is.
      await raw.set(keyOf(invoice2), valid1, 'PX', 3_600_000);
      // Another tenant's key for the very same text.
      await raw.set(keyOf(tenantY), validX, 'PX', 3_600_000);
      // A copy whose key field was rewritten too: what it was made from (invoice 1's input hash) still gives it away.
      await raw.set(keyOf(invoice4), JSON.stringify({ ...JSON.parse(valid1), key: keyOf(invoice4) }), 'PX', 3_600_000);

      // A fresh worker: nothing in its L1, everything from the cache Redis.
      const workerB = await startWorker(env(queuePrefix), dir);
      const second = await workerB.process(writeDocs(path.join(dir, 'second.jsonl'), [invoice2, tenantY, invoice4, doc('invoice-1-again', 1)]));
      const { counters } = await workerB.stop();

      expect(second.get('invoice-2')).toMatchObject({ cache: 'miss', artifact: { docId: 'invoice-2', scope: null } });
      expect(second.get('invoice-2')?.sourceId).toBeUndefined();
      expect(second.get('tenant-y-invoice-3')).toMatchObject({ cache: 'miss', artifact: { docId: 'tenant-y-invoice-3', scope: 'tenant-y' } });
      expect(second.get('invoice-4')).toMatchObject({ cache: 'miss', artifact: { docId: 'invoice-4' } });
      // Control: the entry is served where it belongs.
      expect(second.get('invoice-1-again')).toMatchObject({ cache: 'exact', sourceId: 'invoice-1', artifact: { docId: 'invoice-1' } });
      expect(counters.invalidValues).toBe(3);

      // The misplaced values are gone: each key now holds the value its own document made.
      for (const d of [invoice2, tenantY, invoice4]) {
        const now = JSON.parse((await raw.get(keyOf(d))) ?? 'null') as { key: string; docId: string } | null;
        if (now !== null) expect({ key: now.key, docId: now.docId }).toEqual({ key: keyOf(d), docId: d.id });
      }
    } finally {
      raw.disconnect();
    }
  }, 120_000);

  it('a value of the previous format (not tied to its key) is a miss, never served', async () => {
    const queuePrefix = `{${uniqueName('bind')}}`;
    const invoice5 = doc('invoice-5', 5);
    const raw = new Redis(cache.port, '127.0.0.1');
    try {
      const now = Date.now();
      const old = { v: 1, artifact: { producedBy: 'semantic-fixture@1', docId: 'someone-else', scope: null, type: null }, docId: 'someone-else', createdAt: now, expiresAt: now + 3_600_000 };
      await raw.set(keyOf(invoice5), JSON.stringify(old), 'PX', 3_600_000);
      const worker = await startWorker(env(queuePrefix), dir);
      const results = await worker.process(writeDocs(path.join(dir, 'old-format.jsonl'), [invoice5]));
      const { counters } = await worker.stop();
      expect(results.get('invoice-5')).toMatchObject({ cache: 'miss', artifact: { docId: 'invoice-5' } });
      expect(counters.invalidValues).toBe(1);
    } finally {
      raw.disconnect();
    }
  }, 120_000);
});
