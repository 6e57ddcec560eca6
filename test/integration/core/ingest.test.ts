import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { ErrorsFile } from '../../../src/ingest/errors-file.js';
import { Ingester } from '../../../src/ingest/ingester.js';
import { silentLogger } from '../../../src/log.js';
import { BatchStore } from '../../../src/batches/batch-store.js';
import { openQueue } from '../../../src/queue/queues.js';
import { connectBroker } from '../../../src/redis/broker-client.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { tempDir, writeCorpus } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

let broker: RedisServer;
let redis: Redis;
const queues: Queue[] = [];

beforeAll(async () => {
  broker = await startRedis('broker');
  redis = await connectBroker(broker.url, 'producer');
});

afterAll(async () => {
  for (const queue of queues) await queue.close();
  redis.disconnect();
  await stopRedis(broker);
});

function setUp(overrides: Record<string, unknown> = {}) {
  const config = loadConfig({ env: {}, cwd: tempDir('cfg'), overrides: { queuePrefix: `{${uniqueName('q')}}`, ...overrides } });
  const queue = openQueue(config, 'batch', broker.url);
  queues.push(queue);
  const store = new BatchStore(redis, config.queuePrefix, 3_600);
  return { config, queue, store, ingester: new Ingester(config, queue, store, silentLogger) };
}

describe('Ingester', () => {
  it('enqueues nothing the second time the same batch is ingested', async () => {
    const { queue, store, ingester } = setUp({ ingest: { chunkSize: 64 } });
    const dir = tempDir('ingest');
    const { file } = writeCorpus(dir, 500);
    const batchId = uniqueName('twice');
    const errors = () => new ErrorsFile(`${dir}/errors.jsonl`, batchId, 'append');

    const first = await ingester.ingest({ batchId, queueName: 'batch', inputs: [file], pipeline: 'noop', errors: errors() });
    expect(first).toMatchObject({ read: 500, enqueued: 500, skipped: 0, rejected: 0 });
    const countsAfterFirst = await queue.getJobCounts();

    const second = await ingester.ingest({ batchId, queueName: 'batch', inputs: [file], pipeline: 'noop', errors: errors() });
    expect(second).toMatchObject({ read: 500, enqueued: 0, skipped: 500, rejected: 0 });
    expect(await queue.getJobCounts()).toEqual(countsAfterFirst);
    expect(countsAfterFirst.waiting).toBe(500);
    expect(await store.get(batchId)).toMatchObject({ total: 500, sealed: true });
  });

  it('stops reading while the queue is above its high-water mark, and resumes as it drains', async () => {
    const { queue, ingester } = setUp({ ingest: { chunkSize: 50, highWaterMark: 100 } });
    const dir = tempDir('backpressure');
    const { file } = writeCorpus(dir, 400);
    const batchId = uniqueName('bp');
    let pausedAt = -1;
    const drain = setInterval(async () => {
      if (pausedAt >= 0) await queue.drain().catch(() => {});
    }, 100);
    const report = await ingester.ingest(
      { batchId, queueName: 'batch', inputs: [file], pipeline: 'noop', errors: new ErrorsFile(`${dir}/e.jsonl`, batchId, 'append') },
      (progress) => {
        if (progress.paused && pausedAt < 0) pausedAt = progress.enqueued;
      },
    );
    clearInterval(drain);
    // It paused once the queue held more than 100 waiting jobs, long before the end of the input.
    expect(pausedAt).toBeGreaterThan(100);
    expect(pausedAt).toBeLessThanOrEqual(200);
    expect(report.enqueued).toBe(400);
  });
});
