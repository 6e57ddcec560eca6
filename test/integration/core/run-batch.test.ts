import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { cleanEnv, readJsonl, runCli, tempDir, writeCorpus } from '../../helpers/cli.js';
import { runWithin } from '../../helpers/fault-batch.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

let broker: RedisServer;
let cache: RedisServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  broker = await startRedis('broker');
  cache = await startRedis('cache');
  env = cleanEnv({ BATCHLINE_BROKER_URL: broker.url, BATCHLINE_CACHE_URL: cache.url });
});

afterAll(async () => {
  await stopRedis(broker, cache);
});

describe('batchline run against configured servers', () => {
  const dir = tempDir('run');
  const out = path.join(dir, 'out');
  const { file, ids } = writeCorpus(dir, 1_000);
  const batchId = uniqueName('thousand');

  it('processes 1,000 documents into exactly 1,000 result lines with matching counters', async () => {
    const result = await runCli(['run', file, '--json', '--out', out, '--batch-id', batchId, '--workers', '2'], { env });
    expect(result.stderr).not.toMatch(/"level":(50|60)/);
    expect(result.code).toBe(0);
    const stdoutLines = result.stdout.trim().split('\n');
    expect(stdoutLines).toHaveLength(1);
    const summary = JSON.parse(stdoutLines[0] as string);
    expect(Object.keys(summary).sort()).toEqual(['batchId', 'cache', 'docsPerSec', 'failed', 'llm', 'ok', 'processed', 'rejected', 'total', 'wallMs'].sort());
    expect(summary).toMatchObject({ batchId, total: 1_000, ok: 1_000, failed: 0, rejected: 0, processed: 1_000 });
    expect(summary.cache.exact + summary.cache.semantic + summary.cache.miss).toBe(1_000);

    const results = readJsonl<{ id: string; status: string; batchId: string; artifact: unknown }>(
      readFileSync(path.join(out, `${batchId}.jsonl`), 'utf8'),
    );
    expect(results).toHaveLength(1_000);
    expect(new Set(results.map((r) => r.id))).toEqual(new Set(ids));
    expect(results.every((r) => r.status === 'ok' && r.batchId === batchId && typeof r.artifact === 'object')).toBe(true);
  });

  it('re-running the same batch id processes nothing again and keeps one result per document', async () => {
    const result = await runCli(['run', file, '--json', '--out', out, '--batch-id', batchId], { env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 1_000, ok: 1_000, failed: 0, processed: 0, docsPerSec: 0 });
    const status = await runCli(['status', batchId, '--json'], { env });
    expect(JSON.parse(status.stdout)).toMatchObject({ total: 1_000, ok: 1_000, reprocessed: 0 });
    expect(readJsonl(readFileSync(path.join(out, `${batchId}.jsonl`), 'utf8'))).toHaveLength(1_000);
  });

  it('reports every bad line with file, line and reason, and processes every good line', async () => {
    const mixed = path.join(dir, 'mixed.jsonl');
    const lines = [
      JSON.stringify({ id: 'good-1', text: 'Order #12345 shipped to Alice Smith on 2024-05-01.' }),
      '{"id": "broken", "text": ',
      JSON.stringify({ id: 'no-text' }),
      JSON.stringify({ id: 'empty', text: '' }),
      JSON.stringify({ id: 'good-2', text: 'Ticket SUP-881: printer on fire.' }),
      JSON.stringify({ id: 'huge', text: 'x'.repeat(3_000) }),
      JSON.stringify({ id: 'good-1', text: 'same id again' }),
      JSON.stringify({ id: 42, text: 'numeric id' }),
      JSON.stringify({ id: 'good-3', text: 'Invoice INV-7 total EUR 99' }),
    ];
    const bytes = Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), Buffer.from([0x7b, 0xc3, 0x28, 0x7d, 0x0a])]);
    writeFileSync(mixed, bytes);
    const mixedBatch = uniqueName('mixed');
    const result = await runCli(['run', mixed, '--json', '--out', out, '--batch-id', mixedBatch], {
      env: { ...env, BATCHLINE_MAX_DOC_BYTES: '2000' },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 3, ok: 3, rejected: 7 });

    const errors = readJsonl<{ file: string; line: number; reason: string }>(
      readFileSync(path.join(out, `${mixedBatch}.errors.jsonl`), 'utf8'),
    );
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 6, 7, 8, 10]);
    expect(errors.every((e) => e.file === mixed)).toBe(true);
    const reasons = errors.map((e) => e.reason);
    expect(reasons[0]).toMatch(/invalid JSON/);
    expect(reasons[1]).toMatch(/"text" must be a string/);
    expect(reasons[2]).toMatch(/"text" is missing or empty/);
    expect(reasons[3]).toMatch(/more than the limit of 2000/);
    expect(reasons[4]).toMatch(/duplicate id "good-1"/);
    expect(reasons[5]).toMatch(/"id" must be a string/);
    expect(reasons[6]).toMatch(/not valid UTF-8/);

    const results = readJsonl<{ id: string }>(readFileSync(path.join(out, `${mixedBatch}.jsonl`), 'utf8'));
    expect(results.map((r) => r.id).sort()).toEqual(['good-1', 'good-2', 'good-3']);
  });

  it('marks documents whose pipeline throws as failed, with the message, and finishes the batch', async () => {
    const input = path.join(dir, 'failing.jsonl');
    writeFileSync(
      input,
      ['ok one', 'FAIL_ME please', 'ok two'].map((text, i) => JSON.stringify({ id: `f${i}`, text })).join('\n'),
    );
    const failingBatch = uniqueName('failing');
    const result = await runCli(
      ['run', input, '--json', '--out', out, '--batch-id', failingBatch, '--pipeline', path.resolve('test/fixtures/slow-pipeline.js')],
      { env },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 3, ok: 2, failed: 1 });
    const failed = readJsonl<{ id: string; status: string; error?: { message: string } }>(
      readFileSync(path.join(out, `${failingBatch}.jsonl`), 'utf8'),
    ).filter((r) => r.status === 'failed');
    expect(failed).toEqual([expect.objectContaining({ id: 'f1', error: expect.objectContaining({ message: 'refused f1' }) })]);
  });

  // Ingest enqueues jobs without a retry policy; the workers give them the configured one.
  it('tries a document again after an ordinary pipeline error, up to jobs.attempts, with jobs.backoffMs between', async () => {
    const { file: input } = writeCorpus(dir, 6, 'flaky.jsonl');
    const tries = path.join(dir, 'flaky-tries');
    mkdirSync(tries);
    const run = (attempts: number, batchId: string) =>
      runCli(['run', input, '--json', '--out', out, '--batch-id', batchId, '--pipeline', path.resolve('test/fixtures/flaky-pipeline.js')], {
        env: { ...env, FLAKY_PIPELINE_DIR: tries, BATCHLINE_CONFIG_JSON: JSON.stringify({ jobs: { attempts, backoffMs: 50 } }) },
      });
    const once = await run(1, uniqueName('flaky-once'));
    expect(JSON.parse(once.stdout), once.stderr.slice(-1_000)).toMatchObject({ total: 6, ok: 0, failed: 6 });
    rmSync(tries, { recursive: true });
    mkdirSync(tries);
    const twice = await run(2, uniqueName('flaky-twice'));
    expect(JSON.parse(twice.stdout), twice.stderr.slice(-1_000)).toMatchObject({ total: 6, ok: 6, failed: 0 });
  });

  // A Redis Cluster client left a socket open after a failover and kept a finished run alive
  // for good; a pipeline's keep-alive timer or connection pool does the same.
  it('exits once the batch is done, even when the pipeline leaves a handle open', async () => {
    const { file: input } = writeCorpus(dir, 5, 'lingering.jsonl');
    const pipeline = path.resolve('test/fixtures/lingering-handle-pipeline.js');
    const result = await runWithin(['run', input, '--json', '--out', out, '--batch-id', uniqueName('lingering'), '--pipeline', pipeline], env, 40_000);
    expect(result.hung, 'run still running 40 s after it started').toBe(false);
    expect(result.code, result.stderr.slice(-1_000)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 5, ok: 5 });
  });
});
