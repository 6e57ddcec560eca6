import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { batchCommandKinds } from '../helpers/broker-commands.js';
import { batchCounters, faultBatch, runWithin, tallyResults } from '../helpers/fault-batch.js';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { startRedis, stopRedis } from '../helpers/redis.js';

/*
 * A command the broker executed whose reply never came back (a reset connection, a proxy,
 * a broker that died between its AOF write and its answer): ioredis sends it again on
 * reconnect, and the callers retry. For each kind of write a batch makes, one such lost
 * reply mid-batch must still end with exactly one line per document and total equal to
 * the documents, with no hang.
 */

const DOCS = 300;
let broker: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
});

afterAll(async () => {
  await stopRedis(broker);
});

// The cases run concurrently: each has its own proxy, key prefix and batch id on the shared
// broker, and one case alone leaves a core idle while its processes start.
describe.concurrent('one lost reply of each kind of broker write', () => {
  it.each(batchCommandKinds.map((kind) => [kind.name, kind] as const))('%s: one line per document, total = documents', async (_, kind) => {
    const proxy = await FaultProxy.start(broker.url);
    try {
      const batch = faultBatch(DOCS);
      let fired = false;
      void proxy.dropReplyOnce(kind.match, kind.skip, kind.weigh).then(() => {
        fired = true;
      });
      const result = await runWithin(batch.args, batch.env(proxy.url), 45_000);
      expect(fired, `the ${kind.name} reply was never dropped`).toBe(true);
      expect(result.hung, `run hung: ${result.stderr.slice(-2_000)}`).toBe(false);
      expect(result.code, result.stderr.slice(-2_000)).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
      expect(tallyResults(batch)).toEqual({ lines: DOCS, lost: 0, duplicated: 0, failed: 0 });
      // No document ran twice, so nothing was counted twice either: a re-sent write changed nothing.
      expect(await batchCounters(batch, broker.url)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0, reprocessed: 0 });
    } finally {
      await proxy.close();
    }
  });
});
