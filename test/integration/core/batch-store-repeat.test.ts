import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchStore, type ResultLine } from '../../../src/batches/index.js';
import { producerConnection } from '../../../src/redis/connections.js';
import { jobIdFor } from '../../../src/batches/ids.js';
import { connectBroker } from '../../../src/redis/broker-client.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

/*
 * Each batch store write, sent twice (as ioredis does when a reply was lost and it
 * reconnects, or as a caller does when it retries), changes the batch once.
 */

let broker: RedisServer;
let redis: Redis;

beforeAll(async () => {
  broker = await startRedis('broker');
  redis = await connectBroker(broker.url, 'producer');
});

afterAll(async () => {
  redis.disconnect();
  await stopRedis(broker);
});

const ok = (batchId: string, id: string): ResultLine => ({ id, batchId, status: 'ok', cache: 'miss', artifact: {}, pipeline: 'noop@1', durationMs: 1 });

async function openBatch() {
  const prefix = `{${uniqueName('r')}}`;
  const store = new BatchStore(redis, prefix, 3_600);
  const batchId = uniqueName('b');
  await store.open({ batchId, source: 't', queue: 'default', pipeline: 'noop@1' });
  return { store, batchId, prefix };
}

describe('batch store writes are safe to repeat', () => {
  it('recording ids twice counts them once', async () => {
    const { store, batchId } = await openBatch();
    expect(await store.markEnqueued(batchId, 'run1', ['a', 'b', 'c'])).toBe(3);
    expect(await store.markEnqueued(batchId, 'run1', ['a', 'b', 'c'])).toBe(0);
    expect(await store.markEnqueued(batchId, 'run2', ['c', 'd'])).toBe(1);
    expect((await store.get(batchId))?.total).toBe(4);
  });

  it('a result sent twice with one write id is recorded once and answers the same both times', async () => {
    const { store, batchId } = await openBatch();
    await store.markEnqueued(batchId, 'run', ['a', 'b']);
    await store.seal(batchId);
    const usage = { calls: 1, tokensIn: 100, tokensOut: 10, tokensSaved: 0 };
    expect(await store.recordResult(ok(batchId, 'a'), usage, 1, 'w-a')).toEqual({ recorded: true, finished: false });
    expect(await store.recordResult(ok(batchId, 'a'), usage, 1, 'w-a')).toEqual({ recorded: true, finished: false });
    expect(await store.recordResult(ok(batchId, 'b'), usage, 1, 'w-b')).toEqual({ recorded: true, finished: true });
    // The reply that finished the batch was lost: its repeat still says so, so learning is still queued.
    expect(await store.recordResult(ok(batchId, 'b'), usage, 1, 'w-b')).toEqual({ recorded: true, finished: true });
    // A failure kept out by an earlier success, sent twice: kept out twice, its tokens counted once.
    const failure = { ...ok(batchId, 'a'), status: 'failed' as const };
    expect(await store.recordResult(failure, usage, 1, 'w-a2')).toEqual({ recorded: false, finished: false });
    expect(await store.recordResult(failure, usage, 1, 'w-a2')).toEqual({ recorded: false, finished: false });
    expect(await store.get(batchId)).toMatchObject({
      total: 2,
      ok: 2,
      failed: 0,
      reprocessed: 0,
      cache: { miss: 2 },
      llm: { calls: 3, tokensIn: 300, tokensOut: 30 },
    });
    // A new write (another delivery of the job) is a reprocessing, as before.
    expect(await store.recordResult(ok(batchId, 'a'), usage, 1, 'w-a3')).toEqual({ recorded: true, finished: false });
    expect((await store.get(batchId))?.reprocessed).toBe(1);
    expect(await store.succeededAmong(batchId, ['a', 'no-such-doc'])).toEqual([true, false]);
  });

  it('several results in one call are each recorded as alone, and the call sent twice changes the batch once', async () => {
    const { store, batchId } = await openBatch();
    await store.markEnqueued(batchId, 'run', ['a', 'b', 'c']);
    await store.seal(batchId);
    const usage = { calls: 1, tokensIn: 100, tokensOut: 10, tokensSaved: 0 };
    const failedA = { ...ok(batchId, 'a'), status: 'failed' as const };
    // a succeeds, then a failure of a is kept out in the same call; b fails; c is still missing.
    const first = [
      { result: ok(batchId, 'a'), usage, writeId: 'w-a' },
      { result: failedA, usage, writeId: 'w-a2' },
      { result: { ...ok(batchId, 'b'), status: 'failed' as const }, usage, writeId: 'w-b' },
    ];
    const outcomes = [
      { recorded: true, finished: false },
      { recorded: false, finished: false },
      { recorded: true, finished: false },
    ];
    expect(await store.recordResults(batchId, first, 1)).toEqual(outcomes);
    expect(await store.recordResults(batchId, first, 1)).toEqual(outcomes);
    // b succeeds on a retry and c arrives: the call finishes the batch, on its last recorded document only.
    const second = [
      { result: ok(batchId, 'b'), writeId: 'w-b2' },
      { result: ok(batchId, 'c'), writeId: 'w-c' },
    ];
    const finishing = [
      { recorded: true, finished: false },
      { recorded: true, finished: true },
    ];
    expect(await store.recordResults(batchId, second, 2)).toEqual(finishing);
    expect(await store.recordResults(batchId, second, 2)).toEqual(finishing);
    expect(await store.get(batchId)).toMatchObject({
      total: 3,
      ok: 3,
      failed: 0,
      reprocessed: 1,
      cache: { miss: 3 },
      llm: { calls: 3, tokensIn: 300, tokensOut: 30 },
    });
    // The timeline counts first results only: a and c ok, b failed.
    expect(await store.timeline(batchId)).toEqual([{ minute: 0, ok: 2, failed: 1, cacheExact: 0, cacheSemantic: 0, cacheMiss: 2 }]);
  });

  it('a seal sent twice with one write id answers the same both times', async () => {
    const { store, batchId } = await openBatch();
    await store.markEnqueued(batchId, 'run', ['a']);
    await store.recordResult(ok(batchId, 'a'));
    expect(await store.seal(batchId, 1, 'seal-1')).toBe(true);
    expect(await store.seal(batchId, 1, 'seal-1')).toBe(true);
    expect(await store.seal(batchId, 1, 'seal-2')).toBe(false);
  });

  it('stranded: documents with no result whose job is gone or finished; not those with a live job or a result', async () => {
    const { store, batchId, prefix } = await openBatch();
    const queue = new Queue('default', { connection: producerConnection(broker.url), prefix });
    try {
      await store.markEnqueued(batchId, 'run', ['live', 'gone', 'done', 'failed-no-result']);
      for (const id of ['live', 'done', 'failed-no-result']) await queue.add('document', {}, { jobId: jobIdFor(batchId, id) });
      await store.recordResult(ok(batchId, 'done'));
      // A job BullMQ failed without a result (as after the stall limit): in the failed set.
      const failedJob = jobIdFor(batchId, 'failed-no-result');
      await redis.multi().lrem(`${prefix}:default:wait`, 0, failedJob).zadd(`${prefix}:default:failed`, Date.now(), failedJob).exec();
      const stranded = await store.stranded(batchId, 'default', ['live', 'gone', 'done', 'failed-no-result']);
      expect(stranded.sort()).toEqual(['failed-no-result', 'gone']);
      const pending: string[] = [];
      for await (const page of store.pendingDocs(batchId)) pending.push(...page);
      expect(pending.sort()).toEqual(['failed-no-result', 'gone', 'live']);
    } finally {
      await queue.close();
    }
  });
});
