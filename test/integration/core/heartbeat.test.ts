import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchStore } from '../../../src/batches/batch-store.js';
import { WorkerRegistry } from '../../../src/queue/worker-registry.js';
import { connectBroker } from '../../../src/redis/broker-client.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { cleanEnv, collect, runCli, tempDir, WORKER, writeCorpus } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

let broker: RedisServer;
let redis: Redis;

beforeAll(async () => {
  broker = await startRedis('broker');
  redis = await connectBroker(broker.url, 'producer');
});

afterAll(async () => {
  redis.disconnect();
  await stopRedis(broker);
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

describe('worker heartbeats and batch timeline in the broker', () => {
  it('a live worker publishes its cache health; a killed one disappears after its TTL', async () => {
    const prefix = `{${uniqueName('hb')}}`;
    const registry = new WorkerRegistry(redis, prefix);
    const env = cleanEnv({
      BATCHLINE_BROKER_URL: broker.url,
      BATCHLINE_CACHE_URL: 'redis://127.0.0.1:1', // nothing listens there: the cache is down from the start
      BATCHLINE_QUEUE_PREFIX: prefix,
      BATCHLINE_CONFIG_JSON: JSON.stringify({ workers: { heartbeatMs: 300 } }),
    });
    const worker = spawn(process.execPath, [WORKER('batch')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = collect(worker);
    const live = await until(() => registry.live(), (list) => list.length === 1);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ pid: worker.pid, queue: 'batch', pipeline: 'extract@1.0.0', cache: { health: { mode: 'l1+l2' } } });

    worker.kill('SIGKILL');
    await exited;
    const after = await until(() => registry.live(), (list) => list.length === 0, 5_000);
    expect(after).toEqual([]);
  });

  it('records per-minute counts that add up to the batch counters', async () => {
    const dir = tempDir('timeline');
    const { file } = writeCorpus(dir, 120);
    const batchId = uniqueName('tl');
    const prefix = `{${uniqueName('tlp')}}`;
    const env = cleanEnv({ BATCHLINE_BROKER_URL: broker.url, BATCHLINE_QUEUE_PREFIX: prefix });
    const result = await runCli(['run', file, '--json', '--batch-id', batchId, '--out', dir], { env });
    expect(result.code).toBe(0);
    const store = new BatchStore(redis, prefix, 3_600);
    const points = await store.timeline(batchId);
    const sum = (key: 'ok' | 'failed' | 'cacheMiss' | 'cacheExact') => points.reduce((total, point) => total + point[key], 0);
    const batch = await store.get(batchId);
    expect(sum('ok')).toBe(batch?.ok);
    expect(sum('ok')).toBe(120);
    expect(sum('cacheMiss') + sum('cacheExact')).toBe(120);
  });
});
