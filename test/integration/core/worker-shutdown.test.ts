import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { waitForProgress } from '../../helpers/batch-progress.js';
import { cleanEnv, collect, readJsonl, runCli, tempDir, WORKER, writeCorpus } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

let broker: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
});

afterAll(async () => {
  await stopRedis(broker);
});

async function batchStatus(env: NodeJS.ProcessEnv, batchId: string) {
  const result = await runCli(['status', batchId, '--json'], { env });
  return JSON.parse(result.stdout) as { total: number; ok: number; failed: number; finishedAt?: number; reprocessed: number };
}

describe('worker processes', () => {
  it('finish or hand back active jobs on SIGTERM; a new worker completes the batch with one result per document', async () => {
    const dir = tempDir('sigterm');
    const { file, ids } = writeCorpus(dir, 300);
    const batchId = uniqueName('term');
    const prefix = `{${uniqueName('p')}}`;
    const env = cleanEnv({
      BATCHLINE_BROKER_URL: broker.url,
      BATCHLINE_QUEUE_PREFIX: prefix,
      BATCHLINE_PIPELINE: path.resolve('test/fixtures/slow-pipeline.js'),
      BATCHLINE_CONCURRENCY_DEFAULT: '4',
      BATCHLINE_CACHE_ENABLED: 'false',
      SLOW_PIPELINE_MS: '25',
    });
    const ingest = await runCli(['ingest', file, '--batch-id', batchId, '--json', '--out', dir], { env });
    expect(ingest.code).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ enqueued: 300 });

    const first = spawn(process.execPath, [WORKER('default')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const firstDone = collect(first);
    await waitForProgress(broker.url, prefix, batchId, (progress) => progress.ok >= 40);
    first.kill('SIGTERM');
    const firstExit = await firstDone;
    expect(firstExit.code).toBe(0);
    const afterFirst = await batchStatus(env, batchId);
    expect(afterFirst.ok).toBeLessThan(300);

    const second = spawn(process.execPath, [WORKER('default')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const secondDone = collect(second);
    await waitForProgress(broker.url, prefix, batchId, (progress) => progress.finished);
    const status = await batchStatus(env, batchId);
    second.kill('SIGTERM');
    expect((await secondDone).code).toBe(0);
    expect(status).toMatchObject({ total: 300, ok: 300, failed: 0, reprocessed: 0 });

    const out = path.join(dir, 'export.jsonl');
    expect((await runCli(['export', batchId, '--out', out], { env })).code).toBe(0);
    const results = readJsonl<{ id: string }>(readFileSync(out, 'utf8'));
    expect(results).toHaveLength(300);
    expect(new Set(results.map((r) => r.id))).toEqual(new Set(ids));
  });
});
