import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { expectOneOkResultPerDocument, jobCounts, resultsFile } from '../helpers/batch.js';
import { waitForFinishedDocs } from '../helpers/batch-progress.js';
import { cleanEnv, collect, runCli, startCli, tempDir, WORKER, writeCorpus } from '../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../helpers/redis.js';

/*
 * The broker is durable: killed, hung or restarted mid-batch, it loses no job, and the
 * workers and a running `batchline run` carry on by themselves. Each scenario: 5,000
 * documents, two worker processes, one result per document, counters that match, and no
 * job left in `active`.
 */

const DOCS = 5_000;
const servers: RedisServer[] = [];

afterEach(async () => {
  await stopRedis(...servers.splice(0));
});

async function setUp(options: { cache?: boolean; slowMs?: number; config?: Record<string, unknown> } = {}) {
  const broker = await startRedis('broker');
  servers.push(broker);
  const cache = options.cache ? await startRedis('cache') : undefined;
  if (cache) servers.push(cache);
  const dir = tempDir('broker-faults');
  const { file, ids } = writeCorpus(dir, DOCS);
  const prefix = `{${uniqueName('bf')}}`;
  const batchId = uniqueName('bf');
  const env = cleanEnv({
    BATCHLINE_BROKER_URL: broker.url,
    ...(cache ? { BATCHLINE_CACHE_URL: cache.url } : {}),
    BATCHLINE_QUEUE_PREFIX: prefix,
    BATCHLINE_PIPELINE: path.resolve('test/fixtures/slow-pipeline.js'),
    BATCHLINE_CONCURRENCY_DEFAULT: '8',
    SLOW_PIPELINE_MS: String(options.slowMs ?? 8),
    // Short locks so stalled jobs come back within the test, not after 30 s.
    BATCHLINE_CONFIG_JSON: JSON.stringify({ workers: { lockDurationMs: 4_000, stalledIntervalMs: 2_000 }, ...options.config }),
  });
  return { broker, cache, dir, file, ids, prefix, batchId, env };
}

async function status(env: NodeJS.ProcessEnv, batchId: string) {
  const result = await runCli(['status', batchId, '--json'], { env });
  return result.code === 0 ? (JSON.parse(result.stdout) as { total: number; ok: number; failed: number; reprocessed: number }) : undefined;
}

/** Waits until the batch has at least `done` finished documents. */
async function progressed(setup: Awaited<ReturnType<typeof setUp>>, done: number): Promise<void> {
  await waitForFinishedDocs(setup.broker.url, setup.prefix, setup.batchId, done);
}

async function expectCompleted(setup: Awaited<ReturnType<typeof setUp>>, result: { code: number | null; stdout: string; stderr: string }) {
  expect(result.code, result.stderr.slice(-3_000)).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0, rejected: 0 });
  expectOneOkResultPerDocument(resultsFile(setup.dir, setup.batchId), setup.ids);
  const counts = await jobCounts(setup.broker.url, setup.prefix, 'default');
  expect(counts.active).toBe(0);
  expect(counts.waiting).toBe(0);
  const final = await status(setup.env, setup.batchId);
  expect(final).toMatchObject({ total: DOCS, ok: DOCS });
  return final?.reprocessed ?? 0;
}

const runArgs = (setup: Awaited<ReturnType<typeof setUp>>) => ['run', setup.file, '--json', '--batch-id', setup.batchId, '--out', setup.dir, '--workers', '2'];

describe('broker faults mid-batch', () => {
  it('killed (SIGKILL) and restarted from its append-only file: the batch completes', async () => {
    const setup = await setUp();
    const run = startCli(runArgs(setup), { env: setup.env });
    await progressed(setup, 1_000);
    setup.broker.signal('SIGKILL');
    await sleep(2_000);
    await setup.broker.restart();
    const reprocessed = await expectCompleted(setup, await run.done);
    // At-least-once: a job finished just before the crash may have run again after it.
    console.info(`broker SIGKILL + restart: ${reprocessed} of ${DOCS} documents processed twice`);
    expect(reprocessed).toBeLessThan(DOCS * 0.05);
  });

  it('hung (SIGSTOP) for longer than the lock duration, then SIGCONT: stalled jobs are recovered, nothing is lost', async () => {
    const setup = await setUp();
    const run = startCli(runArgs(setup), { env: setup.env });
    await progressed(setup, 1_000);
    setup.broker.signal('SIGSTOP');
    await sleep(6_000); // lockDurationMs is 4 s
    setup.broker.signal('SIGCONT');
    const reprocessed = await expectCompleted(setup, await run.done);
    console.info(`broker SIGSTOP 6 s: ${reprocessed} of ${DOCS} documents processed twice`);
  });

  it('cache killed, then the broker restarted, in the same run: the batch completes', async () => {
    const setup = await setUp({ cache: true });
    const run = startCli(runArgs(setup), { env: setup.env });
    await progressed(setup, 800);
    setup.cache?.signal('SIGKILL');
    await progressed(setup, 1_600);
    setup.broker.signal('SIGKILL');
    await sleep(1_500);
    await setup.broker.restart();
    await expectCompleted(setup, await run.done);
  });

  it('a worker process killed (SIGKILL) with active jobs: they are picked up again after stall detection', async () => {
    // The broker stays up here, so locks as short as the other chaos tests' bring the victim's
    // jobs back in about 3 s instead of 6 s, and the survivor's remaining 4,500 documents take
    // 8 ms each like the other scenarios' (at 20 ms they were half of this test's time).
    const setup = await setUp({ config: { workers: { lockDurationMs: 2_000, stalledIntervalMs: 1_000 } } });
    const ingest = await runCli(['ingest', setup.file, '--batch-id', setup.batchId, '--out', setup.dir, '--json'], { env: setup.env });
    expect(ingest.code, ingest.stderr).toBe(0);
    const start = () => {
      const child = spawn(process.execPath, [WORKER('default')], { env: setup.env, stdio: ['ignore', 'pipe', 'pipe'] });
      return { child, done: collect(child) };
    };
    const victim = start();
    const survivor = start();
    await progressed(setup, 500);
    const activeBefore = (await jobCounts(setup.broker.url, setup.prefix, 'default')).active ?? 0;
    expect(activeBefore).toBeGreaterThan(0);
    victim.child.kill('SIGKILL');
    await victim.done;
    await progressed(setup, DOCS);
    survivor.child.kill('SIGTERM');
    expect((await survivor.done).code).toBe(0);
    const final = await status(setup.env, setup.batchId);
    expect(final).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
    const counts = await jobCounts(setup.broker.url, setup.prefix, 'default');
    expect(counts.active).toBe(0);
    const exported = path.join(setup.dir, 'export.jsonl');
    expect((await runCli(['export', setup.batchId, '--out', exported], { env: setup.env })).code).toBe(0);
    expectOneOkResultPerDocument(exported, setup.ids);
  });
});
