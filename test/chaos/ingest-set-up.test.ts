import type { Queue } from 'bullmq';
import { expect, it } from 'vitest';
import { BatchStore } from '../../src/batches/batch-store.js';
import { loadConfig } from '../../src/config/index.js';
import { ErrorsFile } from '../../src/ingest/errors-file.js';
import { Ingester } from '../../src/ingest/ingester.js';
import { silentLogger } from '../../src/log.js';
import { openIngestQueue } from '../../src/queue/queues.js';
import { tempDir, writeCorpus } from '../helpers/cli.js';
import { FaultProxy } from '../helpers/fault-proxy.js';
import { uniqueName } from '../helpers/redis.js';
import { useBrokerClient, useRedis } from '../helpers/use-redis.js';

/*
 * Ingest's queue connection never re-sends a command by itself, so a reply lost while it is
 * being set up must not leave anything waiting for ever: ioredis's ready check (the first
 * INFO) is redone on reconnect, nothing waits for its CLIENT SETINFO, and BullMQ's own
 * version check (a second INFO, which every later call of the queue would wait for: the
 * ingest hung) is not asked on that connection.
 */

const servers = useRedis('broker');
const broker = useBrokerClient(servers);

it.each([
  ['its CLIENT SETINFO (ioredis, on connect)', 'CLIENT', 0],
  ['its ready check (INFO)', 'INFO', 0],
  ['the first INFO after the ready check', 'INFO', 1],
])('a lost reply to %s: the ingest completes', async (_, name, skip) => {
  const dir = tempDir('ingest-set-up');
  const config = loadConfig({ env: {}, cwd: dir, overrides: { queuePrefix: `{${uniqueName('q')}}`, ingest: { brokerRetryMs: 20_000 } } });
  const proxy = await FaultProxy.start(servers.broker.url);
  const batchId = uniqueName('b');
  let queue: Queue | undefined;
  try {
    void proxy.dropReplyOnce((command) => command.name === name, skip);
    queue = openIngestQueue(config, 'default', proxy.url);
    const { file } = writeCorpus(dir, 20);
    const ingest = new Ingester(config, queue, new BatchStore(broker.client, config.queuePrefix, 3_600), silentLogger).ingest({
      batchId,
      queueName: 'default',
      inputs: [file],
      pipeline: 'noop@1',
      errors: new ErrorsFile(`${dir}/errors.jsonl`, batchId, 'append'),
    });
    const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000).unref());
    const report = await Promise.race([ingest, hung]);
    expect(report).toMatchObject({ enqueued: 20, rejected: 0 });
    expect(await queue.getWaitingCount()).toBe(20);
  } finally {
    await queue?.close();
    await proxy.close();
  }
}, 60_000);
