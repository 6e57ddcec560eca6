import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchKeys } from '../../src/batches/batch-keys.js';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { runCli, startCli } from '../helpers/cli.js';
import { batchCounters, faultBatch, tallyResults } from '../helpers/fault-batch.js';
import { startRedis, stopRedis } from '../helpers/redis.js';

/*
 * The broker at its maxmemory (noeviction) mid-batch: every write is refused with OOM for a
 * while, then refused and accepted by turns (memory hovering at the limit), then accepted.
 * OOM is the broker's failure, not the documents': the batch completes with exactly one ok
 * line per document, none failed, and ingest names the cause instead of "unreachable".
 */

const DOCS = 2_000;
const MAXMEMORY = 48 * 1_048_576;
let broker: RedisServer;
let admin: Redis;

beforeAll(async () => {
  broker = await startRedis('broker', ['--maxmemory', String(MAXMEMORY)]);
  admin = new Redis(broker.url);
});

afterAll(async () => {
  admin.disconnect();
  await stopRedis(broker);
});

/** Pushes the broker over its maxmemory with one big key; refused (already over) is fine. */
async function fillMemory(): Promise<void> {
  const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? 0);
  await admin.setrange('oom-filler', Math.max(0, MAXMEMORY - used) + 1_048_576, 'x').catch(() => {});
}

async function freeMemory(): Promise<void> {
  await admin.del('oom-filler');
}

async function oomRejections(): Promise<number> {
  return Number(/errorstat_OOM:count=(\d+)/.exec(await admin.info('errorstats'))?.[1] ?? 0);
}

describe('broker out of memory', () => {
  it('mid-batch: no document fails or is lost, and the batch completes once memory is back', async () => {
    const batch = faultBatch(DOCS, {
      workers: 2,
      chunkSize: 500,
      pipeline: path.resolve('test/fixtures/slow-pipeline.js'),
      env: { SLOW_PIPELINE_MS: '15' },
      config: { workers: { concurrency: { default: 8 }, lockDurationMs: 2_000, stalledIntervalMs: 1_000, shutdownTimeoutMs: 2_000 } },
    });
    const rejectedBefore = await oomRejections();
    const run = startCli(batch.args, { env: batch.env(broker.url) });
    const meta = batchKeys(batch.prefix, batch.batchId).meta;
    for (let i = 0; i < 300 && Number((await admin.hget(meta, 'ok')) ?? 0) < 300; i++) await sleep(50);

    await fillMemory(); // full for 4 s: every write refused
    await sleep(4_000);
    for (let i = 0; i < 20; i++) {
      // then 4 s at the limit: writes refused and accepted by turns
      if (i % 2 === 0) await freeMemory();
      else await fillMemory();
      await sleep(200);
    }
    await freeMemory();
    const okDuringOom = Number((await admin.hget(meta, 'ok')) ?? 0);

    const result = await Promise.race([run.done, sleep(40_000).then(() => undefined)]);
    if (!result) run.child.kill('SIGKILL');
    expect(result, 'run never finished after memory came back').toBeDefined();
    expect(await oomRejections()).toBeGreaterThan(rejectedBefore);
    expect(okDuringOom, 'the fault came too late: the batch was already done').toBeLessThan(DOCS);
    expect(result?.code, result?.stderr.slice(-2_000)).toBe(0);
    expect(JSON.parse(result?.stdout ?? '{}')).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
    expect(tallyResults(batch)).toEqual({ lines: DOCS, lost: 0, duplicated: 0, failed: 0 });
    expect(await batchCounters(batch, broker.url)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
    // The workers said what held them up, once each (not once per job).
    const warnings = result?.stderr.match(/broker refuses writes; jobs wait/g) ?? [];
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThan(50);
    expect(result?.stderr).not.toMatch(/broker connection error/);
  });

  it('ingest into a full broker names the cause (out of memory), not "unreachable"', async () => {
    const batch = faultBatch(10, { config: { ingest: { brokerRetryMs: 1_000 } } });
    await fillMemory();
    try {
      const result = await runCli(['ingest', batch.file, '--batch-id', batch.batchId, '--out', batch.dir], { env: batch.env(broker.url) });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/batchline: broker refuses writes: out of memory .* while opening the batch/);
      expect(result.stderr).not.toMatch(/unreachable/);
    } finally {
      await freeMemory();
    }
  });
});
