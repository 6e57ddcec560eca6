import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { ErrorsFile } from '../../../src/ingest/errors-file.js';
import { Ingester } from '../../../src/ingest/ingester.js';
import { silentLogger } from '../../../src/log.js';
import { LEARN_PATTERNS_JOB, learnJobId } from '../../../src/patterns/index.js';
import { BatchStore, type ResultLine } from '../../../src/batches/index.js';
import { producerConnection } from '../../../src/redis/connections.js';
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

const ok = (batchId: string, id: string): ResultLine => ({ id, batchId, status: 'ok', cache: 'miss', artifact: {}, pipeline: 'noop@1', durationMs: 1 });

function setUp(overrides: Record<string, unknown> = {}) {
  const config = loadConfig({ env: {}, cwd: tempDir('cfg'), overrides: { queuePrefix: `{${uniqueName('q')}}`, ...overrides } });
  const store = new BatchStore(redis, config.queuePrefix, 3_600);
  const patterns = new Queue('patterns', { connection: producerConnection(broker.url), prefix: config.queuePrefix });
  queues.push(patterns);
  return { config, store, patterns };
}

describe('a batch says once when it finishes', () => {
  it('the result that completes a sealed batch is the only one told', async () => {
    const { store } = setUp();
    const batchId = uniqueName('b');
    await store.open({ batchId, source: 't', queue: 'batch', pipeline: 'noop@1' });
    await store.markEnqueued(batchId, 'run', ['a', 'b']);
    expect(await store.recordResult(ok(batchId, 'a'))).toEqual({ recorded: true, finished: false });
    expect(await store.seal(batchId)).toBe(false);
    expect(await store.recordResult({ ...ok(batchId, 'b'), status: 'failed' })).toEqual({ recorded: true, finished: true });
    // Redelivered jobs after the finish: recorded or kept, never "finished" again.
    expect(await store.recordResult(ok(batchId, 'b'))).toEqual({ recorded: true, finished: false });
    expect(await store.recordResult({ ...ok(batchId, 'a'), status: 'failed' })).toEqual({ recorded: false, finished: false });
    expect(await store.seal(batchId)).toBe(false);
  });

  it('the seal is told when every document already had its result', async () => {
    const { store } = setUp();
    const batchId = uniqueName('b');
    await store.open({ batchId, source: 't', queue: 'batch', pipeline: 'noop@1' });
    await store.markEnqueued(batchId, 'run', ['a']);
    expect(await store.recordResult(ok(batchId, 'a'))).toEqual({ recorded: true, finished: false });
    expect(await store.seal(batchId)).toBe(true);
    expect(await store.seal(batchId)).toBe(false);
  });

  it('an ingest whose seal finishes the batch queues its learn job (once per batch id), unless patterns are off', async () => {
    const { config, store, patterns } = setUp();
    const queue = openQueue(config, 'batch', broker.url);
    queues.push(queue);
    const ingester = new Ingester(config, queue, store, silentLogger);
    const dir = tempDir('seal');
    const { file, ids } = writeCorpus(dir, 3);
    const batchId = uniqueName('b');
    const request = () => ({ batchId, queueName: 'batch' as const, inputs: [file], pipeline: 'noop@1', errors: new ErrorsFile(`${dir}/e.jsonl`, batchId, 'append') });

    await ingester.ingest(request());
    expect(await patterns.getJob(learnJobId(batchId))).toBeUndefined(); // documents still waiting
    for (const id of ids) await store.recordResult(ok(batchId, id));
    expect(await patterns.getJob(learnJobId(batchId))).toBeUndefined(); // nobody told: no worker recorded these
    await ingester.ingest(request()); // a re-run: everything seen, the seal finishes the batch again
    const job = await patterns.getJob(learnJobId(batchId));
    expect(job).toMatchObject({ name: LEARN_PATTERNS_JOB, data: { batchId } });
    await ingester.ingest(request());
    expect(await patterns.getJobCounts('waiting')).toEqual({ waiting: 1 });

    const off = setUp({ patterns: { enabled: false } });
    const offQueue = openQueue(off.config, 'batch', broker.url);
    queues.push(offQueue);
    const offBatch = uniqueName('off');
    await new Ingester(off.config, offQueue, off.store, silentLogger).ingest({ ...request(), batchId: offBatch });
    for (const id of ids) await off.store.recordResult(ok(offBatch, id));
    await new Ingester(off.config, offQueue, off.store, silentLogger).ingest({ ...request(), batchId: offBatch });
    expect(await off.patterns.getJobCounts('waiting')).toEqual({ waiting: 0 });
  });
});
