import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchStore, type ResultLine } from '../../../src/batches/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { ErrorsFile } from '../../../src/ingest/errors-file.js';
import { Ingester } from '../../../src/ingest/ingester.js';
import { silentLogger } from '../../../src/log.js';
import { LEARN_PATTERNS_JOB, learnJobId, learnWhenBatchesFinish } from '../../../src/patterns/index.js';
import { openQueue } from '../../../src/queue/queues.js';
import { connectBroker } from '../../../src/redis/broker-client.js';
import { producerConnection } from '../../../src/redis/connections.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { tempDir, writeCorpus } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

let broker: RedisServer;
let redis: Redis;
const queues: Queue[] = [];
const triggers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  broker = await startRedis('broker');
  redis = await connectBroker(broker.url, 'producer');
});

afterAll(async () => {
  for (const trigger of triggers) await trigger.close();
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

/** The store with the learn trigger subscribed to its "batch finished" event, as a process composes it. */
function learning(setup: ReturnType<typeof setUp>) {
  triggers.push(learnWhenBatchesFinish(setup.store, setup.config, broker.url, silentLogger));
  return setup;
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

  it('its listeners are told once per finish, by the result or the seal that finished it, before that write returns', async () => {
    const { store } = setUp();
    const told: string[] = [];
    const unsubscribe = store.onBatchFinished(async (batchId) => {
      await new Promise((resolve) => setImmediate(resolve));
      told.push(batchId);
    });
    // A listener that fails is its own affair: the write that finished the batch still succeeds.
    store.onBatchFinished(() => {
      throw new Error('listener bug');
    });
    store.onBatchFinished(async () => Promise.reject(new Error('listener bug')));
    const byResult = uniqueName('b');
    await store.open({ batchId: byResult, source: 't', queue: 'batch', pipeline: 'noop@1' });
    await store.markEnqueued(byResult, 'run', ['a', 'b']);
    await store.seal(byResult);
    await store.recordResults(byResult, [{ result: ok(byResult, 'a'), writeId: 'w-a' }]);
    expect(told).toEqual([]);
    const outcomes = await store.recordResults(byResult, [
      { result: ok(byResult, 'b'), writeId: 'w-b' },
      { result: ok(byResult, 'a'), writeId: 'w-a2' },
    ]);
    expect(outcomes.filter((outcome) => outcome.finished)).toHaveLength(1);
    expect(told).toEqual([byResult]); // once for the call, however many documents it carried
    await store.recordResult(ok(byResult, 'b')); // a redelivery after the finish
    expect(told).toEqual([byResult]);

    const bySeal = uniqueName('b');
    await store.open({ batchId: bySeal, source: 't', queue: 'batch', pipeline: 'noop@1' });
    await store.markEnqueued(bySeal, 'run', ['a']);
    await store.recordResult(ok(bySeal, 'a'));
    expect(told).toEqual([byResult]);
    expect(await store.seal(bySeal)).toBe(true);
    expect(told).toEqual([byResult, bySeal]);

    unsubscribe();
    const after = uniqueName('b');
    await store.open({ batchId: after, source: 't', queue: 'batch', pipeline: 'noop@1' });
    expect(await store.seal(after)).toBe(true);
    expect(told).toEqual([byResult, bySeal]);
  });

  it('the result that finishes a batch queues its learn job, once per batch id', async () => {
    const { store, patterns } = learning(setUp());
    const batchId = uniqueName('b');
    await store.open({ batchId, source: 't', queue: 'batch', pipeline: 'noop@1' });
    await store.markEnqueued(batchId, 'run', ['a', 'b']);
    await store.seal(batchId);
    await store.recordResult(ok(batchId, 'a'));
    expect(await patterns.getJob(learnJobId(batchId))).toBeUndefined();
    await store.recordResult({ ...ok(batchId, 'b'), status: 'failed' }, undefined, Date.now(), 'w-b');
    expect(await patterns.getJob(learnJobId(batchId))).toMatchObject({ name: LEARN_PATTERNS_JOB, data: { batchId } });
    // The same write again (its reply was lost): it says "finished" again, and the job id keeps learning to one job.
    expect(await store.recordResult({ ...ok(batchId, 'b'), status: 'failed' }, undefined, Date.now(), 'w-b')).toEqual({ recorded: true, finished: true });
    expect(await patterns.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('an ingest whose seal finishes the batch queues its learn job (once per batch id), unless patterns are off', async () => {
    const { config, store, patterns } = learning(setUp());
    // Workers elsewhere: their store has no learning subscribed in this process.
    const elsewhere = new BatchStore(redis, config.queuePrefix, 3_600);
    const queue = openQueue(config, 'batch', broker.url);
    queues.push(queue);
    const ingester = new Ingester(config, queue, store, silentLogger);
    const dir = tempDir('seal');
    const { file, ids } = writeCorpus(dir, 3);
    const batchId = uniqueName('b');
    const request = () => ({ batchId, queueName: 'batch' as const, inputs: [file], pipeline: 'noop@1', errors: new ErrorsFile(`${dir}/e.jsonl`, batchId, 'append') });

    await ingester.ingest(request());
    expect(await patterns.getJob(learnJobId(batchId))).toBeUndefined(); // documents still waiting
    for (const id of ids) await elsewhere.recordResult(ok(batchId, id));
    expect(await patterns.getJob(learnJobId(batchId))).toBeUndefined(); // told elsewhere, where nothing listens
    await ingester.ingest(request()); // a re-run: everything seen, the seal finishes the batch again
    const job = await patterns.getJob(learnJobId(batchId));
    expect(job).toMatchObject({ name: LEARN_PATTERNS_JOB, data: { batchId } });
    await ingester.ingest(request());
    expect(await patterns.getJobCounts('waiting')).toEqual({ waiting: 1 });

    const off = learning(setUp({ patterns: { enabled: false } }));
    const offQueue = openQueue(off.config, 'batch', broker.url);
    queues.push(offQueue);
    const offBatch = uniqueName('off');
    await new Ingester(off.config, offQueue, off.store, silentLogger).ingest({ ...request(), batchId: offBatch });
    for (const id of ids) await off.store.recordResult(ok(offBatch, id));
    await new Ingester(off.config, offQueue, off.store, silentLogger).ingest({ ...request(), batchId: offBatch });
    expect(await off.patterns.getJobCounts('waiting')).toEqual({ waiting: 0 });
  });
});
