import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/log.js';
import type { Pipeline } from '../../src/pipeline/types.js';
import { BatchStore } from '../../src/batches/batch-store.js';
import { jobIdFor } from '../../src/batches/ids.js';
import type { DocumentJobData } from '../../src/queue/job-data.js';
import { openQueue } from '../../src/queue/queues.js';
import { connectBroker } from '../../src/redis/broker-client.js';
import type { JobOutcome } from '../../src/worker/document-processor.js';
import { noDocumentCache } from '../../src/worker/document-cache.js';
import { type DocumentWorker, startDocumentWorker } from '../../src/worker/document-worker.js';
import { bullmqScript } from '../helpers/broker-commands.js';
import { tempDir } from '../helpers/cli.js';
import { FaultProxy, isScript } from '../helpers/fault-proxy.js';
import { uniqueName } from '../helpers/redis.js';
import { useRedis } from '../helpers/use-redis.js';

/*
 * Completed document jobs are removed at once (their results live in the batch store). So
 * an add whose reply was lost, re-sent by ioredis on reconnect after the first job already
 * ran and was removed, adds the same job id again. The document must not run twice: the
 * second job finds the result and completes as `already-done`.
 */

const servers = useRedis('broker');
let redis: Redis;

beforeAll(async () => {
  redis = await connectBroker(servers.broker.url, 'producer');
});

afterAll(() => {
  redis.disconnect();
});

it('a job added again after its first run completed and was removed does not run the document again', async () => {
  const config = loadConfig({
    env: {},
    cwd: tempDir('readded-cfg'),
    overrides: { brokerUrl: servers.broker.url, queuePrefix: `{${uniqueName('q')}}`, pipeline: 'noop', cache: { enabled: false } },
  });
  expect(config.jobs.keepCompletedCount, 'completed jobs are removed at once by default').toBe(0);
  const proxy = await FaultProxy.start(servers.broker.url);
  const store = new BatchStore(redis, config.queuePrefix, 3_600);
  const batchId = uniqueName('b');
  let pipelineRuns = 0;
  const counting: Pipeline = { name: 'counting', version: '1', run: (doc) => ({ runs: ++pipelineRuns, id: doc.id }) };
  let worker: DocumentWorker | undefined;
  let queue: Queue | undefined;
  try {
    worker = startDocumentWorker(config, servers.broker.url, 'default', { pipeline: counting, cache: noDocumentCache, store, logger: silentLogger }, 1);
    const outcomes: JobOutcome[] = [];
    let firstCompleted: () => void = () => {};
    const firstJobDone = new Promise<void>((resolve) => {
      firstCompleted = resolve;
    });
    worker.worker.on('completed', (_job, outcome) => {
      outcomes.push(outcome);
      firstCompleted();
    });
    await worker.worker.waitUntilReady();

    await store.open({ batchId, source: 'test', queue: 'default', pipeline: 'counting@1' });
    await store.markEnqueued(batchId, 'run-1', ['d1']);
    await store.seal(batchId);
    // The add reaches the broker; its reply is held back until the job has run, completed and
    // been removed; then the connection resets and ioredis sends the add again.
    const dropped = proxy.dropReplyOnce(isScript(bullmqScript('addStandardJob-9')), 0, undefined, firstJobDone);
    queue = openQueue(config, 'default', proxy.url);
    const data: DocumentJobData = { batchId, doc: { id: 'd1', text: 'one document' }, origin: 'test:1' };
    await queue.addBulk([{ name: 'document', data, opts: { jobId: jobIdFor(batchId, 'd1') } }]);
    await dropped;

    // The re-sent add created a second job of the same id: wait until it has completed too.
    const deadline = Date.now() + 20_000;
    while (outcomes.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(outcomes, 'the re-sent add should have added the job again').toHaveLength(2);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'already-done']);
    expect(pipelineRuns).toBe(1);
    expect(await store.get(batchId)).toMatchObject({ total: 1, ok: 1, failed: 0, reprocessed: 0 });
  } finally {
    await queue?.close();
    await worker?.close();
    await proxy.close();
  }
});
