import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStatus } from '../../../src/cli/batch-summary.js';
import { loadConfig } from '../../../src/config/index.js';
import { ErrorsFile } from '../../../src/ingest/errors-file.js';
import { Ingester } from '../../../src/ingest/ingester.js';
import { silentLogger } from '../../../src/log.js';
import { batchPhase, INGEST_QUIET_MS } from '../../../src/batches/batch-phase.js';
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

function setUp() {
  const config = loadConfig({
    env: {},
    cwd: tempDir('cfg'),
    overrides: { queuePrefix: `{${uniqueName('q')}}`, ingest: { chunkSize: 50, brokerRetryMs: 300 } },
  });
  const queue = openQueue(config, 'batch', broker.url);
  queues.push(queue);
  const store = new BatchStore(redis, config.queuePrefix, 3_600);
  return { queue, store, ingester: new Ingester(config, queue, store, silentLogger) };
}

describe('an ingest that fails', () => {
  it('marks its batch ingest-failed with the reason, and a later successful ingest clears it', async () => {
    const { store, ingester } = setUp();
    const dir = tempDir('ingest-fail');
    const { file } = writeCorpus(dir, 120);
    appendFileSync(file, 'this line is not JSON\n');
    // The errors file cannot be created (its folder is a file): like a read-only /app in the image.
    writeFileSync(path.join(dir, 'not-a-dir'), '');
    const unwritable = new ErrorsFile(path.join(dir, 'not-a-dir', 'errors.jsonl'), 'x', 'append');
    const batchId = uniqueName('fails');

    await expect(ingester.ingest({ batchId, queueName: 'batch', inputs: [file], pipeline: 'noop', errors: unwritable })).rejects.toThrow();
    const failed = await store.get(batchId);
    expect(failed).toMatchObject({ sealed: false, total: 100 }); // two chunks of 50 went in before the bad line
    expect(failed?.ingestError?.message).toMatch(/not-a-dir|ENOTDIR/);
    expect(batchPhase(failed!)).toBe('ingest-failed');
    const text = formatStatus(failed!);
    expect(text).toContain('ingest-failed');
    expect(text).toContain(`ingest failed at`);
    expect(text).toContain(`--batch-id ${batchId}`);

    const writable = new ErrorsFile(path.join(dir, 'errors.jsonl'), batchId, 'append');
    const report = await ingester.ingest({ batchId, queueName: 'batch', inputs: [file], pipeline: 'noop', errors: writable });
    await writable.close();
    expect(report).toMatchObject({ rejected: 1, skipped: 100, enqueued: 20 });
    const healed = await store.get(batchId);
    expect(healed).toMatchObject({ sealed: true, total: 120 });
    expect(healed?.ingestError).toBeUndefined();
    expect(batchPhase(healed!)).toBe('processing');
  });

  it('leaves a batch whose broker refused every write unsealed, and status calls it stalled once it stands still', async () => {
    const { store, ingester } = setUp();
    const dir = tempDir('ingest-oom');
    const { file } = writeCorpus(dir, 200);
    const batchId = uniqueName('oom');
    const errors = new ErrorsFile(path.join(dir, 'errors.jsonl'), batchId, 'append');
    // Open the batch, then make the broker refuse writes (noeviction at a 1-byte limit): the ingest and its failure mark are both refused.
    const [, used] = /used_memory:(\d+)/.exec(await redis.info('memory')) ?? [];
    const opened = ingester.ingest({ batchId, queueName: 'batch', inputs: [file], pipeline: 'noop', errors }, () => {});
    await redis.config('SET', 'maxmemory', String(Math.max(1, Number(used) - 1_000_000)));
    try {
      await expect(opened).rejects.toThrow(/refuses writes|OOM/);
    } finally {
      await redis.config('SET', 'maxmemory', '0');
    }
    await errors.close();
    const batch = await store.get(batchId);
    if (!batch) return; // refused before the batch was opened: nothing is stuck
    expect(batch.sealed).toBe(false);
    if (batch.ingestError) return; // the mark got through after all
    expect(batchPhase(batch, batch.updatedAt + 1_000)).toBe('ingesting');
    const later = batch.updatedAt + INGEST_QUIET_MS + 5_000;
    expect(batchPhase(batch, later)).toBe('ingest-stalled');
    expect(formatStatus(batch, undefined, later)).toMatch(/no ingest progress for 65 s.*probably killed.*--batch-id/);
  });

  it('records a failure only for the batch\'s latest ingest run, and repeats of it change nothing', async () => {
    const { store } = setUp();
    const batchId = uniqueName('runs');
    const batch = { batchId, source: 'x', queue: 'batch' as const, pipeline: 'noop' };
    await store.open(batch, 1_000, 'run-a');
    await store.open(batch, 2_000, 'run-b');
    expect(await store.markIngestFailed(batchId, 'run-a', 'late', 3_000)).toBe(false);
    expect((await store.get(batchId))?.ingestError).toBeUndefined();
    expect(await store.markIngestFailed(batchId, 'run-b', 'disk full', 4_000)).toBe(true);
    expect(await store.markIngestFailed(batchId, 'run-b', 'disk full', 4_000)).toBe(true);
    expect((await store.get(batchId))?.ingestError).toEqual({ message: 'disk full', at: 4_000 });
    await store.open(batch, 5_000, 'run-c');
    expect((await store.get(batchId))?.ingestError).toBeUndefined();
  });
});
