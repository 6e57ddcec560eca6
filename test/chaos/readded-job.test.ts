import type { Queue } from 'bullmq';
import { expect, it } from 'vitest';
import { BatchStore } from '../../src/batches/batch-store.js';
import { type Config, loadConfig } from '../../src/config/index.js';
import { ErrorsFile } from '../../src/ingest/errors-file.js';
import { Ingester } from '../../src/ingest/ingester.js';
import { silentLogger } from '../../src/log.js';
import type { Pipeline } from '../../src/pipeline/types.js';
import { openIngestQueue, openQueue } from '../../src/queue/queues.js';
import type { JobOutcome } from '../../src/worker/document-processor.js';
import { noDocumentCache } from '../../src/worker/document-cache.js';
import { type DocumentWorker, startDocumentWorker } from '../../src/worker/document-worker.js';
import { bullmqScript } from '../helpers/broker-commands.js';
import { tempDir, writeCorpus } from '../helpers/cli.js';
import { FaultProxy, isScript } from '../helpers/fault-proxy.js';
import { uniqueName } from '../helpers/redis.js';
import { useBrokerClient, useRedis } from '../helpers/use-redis.js';

/*
 * Completed document jobs are removed at once (their results live in the batch store). So
 * an add whose reply was lost, sent again after the first job already ran and was removed,
 * adds the same job id again. The document must not run twice: the second job finds the
 * result and completes as `already-done`. Workers ask only jobs that may follow an earlier
 * run, so the ingester must mark every job it may be adding a second time: its retries over
 * a connection that never re-sends by itself (`openIngestQueue`), and every job over one
 * that does (`openQueue`, where ioredis re-sends the add on reconnect).
 */

const servers = useRedis('broker');
const broker = useBrokerClient(servers);

const producers: [string, (config: Config, brokerUrl: string) => Queue][] = [
  ['an ingest queue (the ingester retries the add)', (config, url) => openIngestQueue(config, 'default', url)],
  ['a queue that re-sends by itself (ioredis re-sends the add)', (config, url) => openQueue(config, 'default', url)],
];

it.each(producers)('through %s, a job added again after its first run completed and was removed does not run the document again', async (_, open) => {
  const dir = tempDir('readded');
  const config = loadConfig({
    env: {},
    cwd: dir,
    overrides: { brokerUrl: servers.broker.url, queuePrefix: `{${uniqueName('q')}}`, pipeline: 'noop', cache: { enabled: false } },
  });
  expect(config.jobs.keepCompletedCount, 'completed jobs are removed at once by default').toBe(0);
  const proxy = await FaultProxy.start(servers.broker.url);
  const store = new BatchStore(broker.client, config.queuePrefix, 3_600);
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

    // The add reaches the broker; its reply is held back until the job has run, completed and
    // been removed; then the connection resets and the add is sent again.
    const dropped = proxy.dropReplyOnce(isScript(bullmqScript('addStandardJob-9')), 0, undefined, firstJobDone);
    queue = open(config, proxy.url);
    const { file } = writeCorpus(dir, 1);
    const report = await new Ingester(config, queue, store, silentLogger).ingest({
      batchId,
      queueName: 'default',
      inputs: [file],
      pipeline: 'counting@1',
      errors: new ErrorsFile(`${dir}/errors.jsonl`, batchId, 'append'),
    });
    await dropped;
    expect(report).toMatchObject({ enqueued: 1, rejected: 0 });

    // The add sent again created a second job of the same id: wait until it has completed too.
    const deadline = Date.now() + 20_000;
    while (outcomes.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(outcomes, 'the add sent again should have added the job again').toHaveLength(2);
    // Over a connection that re-sends by itself, the ingester's own retry may add it a third time.
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['ok', ...outcomes.slice(1).map(() => 'already-done')]);
    expect(pipelineRuns).toBe(1);
    expect(await store.get(batchId)).toMatchObject({ total: 1, ok: 1, failed: 0, reprocessed: 0 });
  } finally {
    await queue?.close();
    await worker?.close();
    await proxy.close();
  }
});
