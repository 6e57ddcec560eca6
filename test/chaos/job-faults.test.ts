import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { expectOneOkResultPerDocument, jobCounts, resultsFile } from '../helpers/batch.js';
import { waitForProgress } from '../helpers/batch-progress.js';
import { cleanEnv, readJsonl, runCli, startCli, tempDir, writeCorpus } from '../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../helpers/redis.js';

let broker: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
});

afterAll(async () => {
  await stopRedis(broker);
});

const slowPipeline = path.resolve('test/fixtures/slow-pipeline.js');

describe('faults of one job or of the results folder', () => {
  it('a pipeline that hangs on one document: that document fails with a clear reason, the others are served', async () => {
    const dir = tempDir('hang');
    const lines = Array.from({ length: 5_000 }, (_, i) =>
      JSON.stringify({ id: `d${i}`, text: i === 1_234 ? 'this one says HANG_ME' : `document number ${i}` }),
    );
    const input = path.join(dir, 'hang.jsonl');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const batchId = uniqueName('hang');
    const prefix = `{${uniqueName('h')}}`;
    const env = cleanEnv({
      BATCHLINE_BROKER_URL: broker.url,
      BATCHLINE_QUEUE_PREFIX: prefix,
      BATCHLINE_JOB_TIMEOUT_MS: '1500',
      SLOW_PIPELINE_MS: '1',
    });
    const result = await runCli(['run', input, '--json', '--batch-id', batchId, '--out', dir, '--pipeline', slowPipeline, '--workers', '2'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 5_000, ok: 4_999, failed: 1 });
    const failed = readJsonl<{ id: string; status: string; error?: { code: string; message: string } }>(
      readFileSync(resultsFile(dir, batchId), 'utf8'),
    ).filter((line) => line.status === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({ id: 'd1234', error: { code: 'E_JOB_TIMEOUT', message: expect.stringMatching(/did not finish within 1500 ms/) } }),
    ]);
    expect((await jobCounts(broker.url, prefix, 'default')).active).toBe(0);
  });

  it('results folder unusable mid-batch: run fails loudly; a re-run after the fix redoes no finished document', async () => {
    const dir = tempDir('disk');
    const out = path.join(dir, 'out');
    const { file, ids } = writeCorpus(dir, 5_000);
    const batchId = uniqueName('disk');
    const prefix = `{${uniqueName('d')}}`;
    const env = cleanEnv({
      BATCHLINE_BROKER_URL: broker.url,
      BATCHLINE_QUEUE_PREFIX: prefix,
      SLOW_PIPELINE_MS: '20',
    });
    const args = ['run', file, '--json', '--batch-id', batchId, '--out', out, '--pipeline', slowPipeline, '--workers', '2'];
    const first = startCli(args, { env });
    await waitForProgress(broker.url, prefix, batchId, (progress) => progress.ok >= 1_000);
    // As root, permissions do not stop writes: make the folder impossible to write instead.
    rmSync(out, { recursive: true, force: true });
    writeFileSync(out, 'not a folder any more');
    const failed = await first.done;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/batchline: cannot write results to .*out/);
    // It noticed while the batch was still running, not after all the work was done.
    const midway = JSON.parse((await runCli(['status', batchId, '--json'], { env })).stdout);
    expect(midway.ok).toBeLessThan(5_000);

    rmSync(out, { force: true });
    const second = await runCli(args, { env });
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ total: 5_000, ok: 5_000, failed: 0 });
    expectOneOkResultPerDocument(resultsFile(out, batchId), ids);
    const status = JSON.parse((await runCli(['status', batchId, '--json'], { env })).stdout);
    expect(status.reprocessed).toBe(0);
  });
});
