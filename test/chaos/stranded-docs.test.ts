import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIdFor } from '../../src/batches/ids.js';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { runCli, startCli } from '../helpers/cli.js';
import { faultBatch, runWithin, tallyResults } from '../helpers/fault-batch.js';
import { startRedis, stopRedis } from '../helpers/redis.js';

/*
 * Documents that no job will ever finish: their job was removed from the queue, or BullMQ
 * failed it without a result (here: it killed its worker past workers.maxStalledCount).
 * `run` and `status` must say so instead of waiting silently, and a re-run with the same
 * batch id must enqueue them again and finish the batch.
 */

const DOCS = 40;
let broker: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
});

afterAll(async () => {
  await stopRedis(broker);
});

describe('documents no job will finish', () => {
  it('run stops and names them, status names them, a re-run enqueues them again and finishes the batch', async () => {
    const batch = faultBatch(DOCS, {
      workers: 1,
      config: { workers: { concurrency: { default: 1 }, lockDurationMs: 1_500, stalledIntervalMs: 1_000, maxStalledCount: 1, shutdownTimeoutMs: 2_000 } },
      env: { SLOW_PIPELINE_MS: '40' },
      pipeline: path.resolve('test/fixtures/worker-killing-pipeline.js'),
    });
    // One document kills its worker each time it is picked up.
    const lines = batch.ids.map((id, i) => JSON.stringify({ id, text: i === 5 ? `document ${i} KILL_MY_WORKER` : `document ${i}` }));
    writeFileSync(batch.file, `${lines.join('\n')}\n`);
    const { args } = batch;

    const url = new URL(broker.url);
    const queue = new Queue('default', { connection: { host: url.hostname, port: Number(url.port) }, prefix: batch.prefix });
    queue.on('error', () => {});
    try {
      const first = startCli(args, { env: { ...batch.env(broker.url), KILL_WORKERS: '1' } });
      // The last document's job is removed from the queue while it still waits.
      const lastJob = jobIdFor(batch.batchId, 'doc-000039');
      let removed = 0;
      for (let i = 0; i < 200 && removed === 0; i++) {
        if (await queue.getJob(lastJob)) removed = await queue.remove(lastJob);
        else await sleep(50);
      }
      expect(removed, 'the job of doc-000039 could not be removed while waiting').toBe(1);
      const stopped = await Promise.race([first.done, sleep(40_000).then(() => undefined)]);
      if (!stopped) first.child.kill('SIGKILL');
      expect(stopped, 'run waited for documents no job will finish').toBeDefined();
      expect(stopped?.code).toBe(1);
      expect(stopped?.stderr).toMatch(
        new RegExp(
          `batchline: 2 document\\(s\\) of batch ${batch.batchId} have no result and no job that will give them one \\((?:"doc-000005", "doc-000039"|"doc-000039", "doc-000005")\\)`,
        ),
      );
      expect(stopped?.stderr).toMatch(/--batch-id/);

      const status = await runCli(['status', batch.batchId], { env: batch.env(broker.url) });
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/stranded: 2 document\(s\) .* have no result and no job/);
      const json = JSON.parse((await runCli(['status', batch.batchId, '--json'], { env: batch.env(broker.url) })).stdout);
      expect(json).toMatchObject({ total: DOCS, ok: DOCS - 2, stranded: { count: 2 } });
      expect(new Set(json.stranded.sample)).toEqual(new Set(['doc-000005', 'doc-000039']));
      // Following it does not wait forever either. The batch has long stood still, but a watch
      // counts its quiet period from its own first look: a short one here (run above waited
      // out the default), so the test does not sit through it twice.
      const watchEnv = { ...batch.env(broker.url), BATCHLINE_CONFIG_JSON: JSON.stringify({ results: { strandedQuietMs: 500 } }) };
      const watched = await runWithin(['status', batch.batchId, '--watch'], watchEnv, 30_000);
      expect(watched.hung, 'status --watch waited for documents no job will finish').toBe(false);
      expect(watched.code).toBe(1);
      expect(watched.stderr).toMatch(/batchline: 2 document\(s\) of batch .* have no result and no job/);

      // The re-run: the failed job is replaced, the removed one added again, both finish.
      const second = await runWithin(args, batch.env(broker.url), 40_000);
      expect(second.hung, second.stderr.slice(-2_000)).toBe(false);
      expect(second.code, second.stderr.slice(-2_000)).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
      expect(second.stderr).toMatch(/"count":2,.*"msg":"enqueued again documents an earlier ingest of this batch accepted/);
      expect(tallyResults(batch)).toEqual({ lines: DOCS, lost: 0, duplicated: 0, failed: 0 });
    } finally {
      await queue.close();
    }
  });
});
