import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { type CliResult, cleanEnv, runCli, startCli, tempDir } from '../../helpers/cli.js';
import { writeCorpusWithDuplicates } from '../../helpers/corpus.js';
import { logLines } from '../../helpers/logs.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

/*
 * The config `run` and `dev` resolve (file < environment < flags) is the config every
 * worker process runs with: a BATCHLINE_* variable the workers inherit never beats a flag
 * given to their parent. Each row gives a flag and an environment that says the opposite,
 * and reads what the workers report in their 'worker started' line.
 */

type Started = { msg?: string; name?: string; pid?: number; queue?: string; pipeline?: string; concurrency?: number; cache?: string; pids?: number[] };
type Summary = { batchId: string; total: number; ok: number; cache: { exact: number; semantic: number; miss: number } };

let broker: RedisServer;
let cache: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
  cache = await startRedis('cache');
});

afterAll(async () => {
  await stopRedis(broker, cache);
});

function started(stderr: string): Started[] {
  return (logLines(stderr) as Started[]).filter((line) => line.msg === 'worker started');
}

/**
 * The same value from every worker that started, and at least one worker. A short batch can
 * finish before a slow-starting worker logs its start (it is then stopped first), so rows
 * check every worker that did start, not how many did.
 */
function everyWorker<T>(workers: Started[], pick: (w: Started) => T): T {
  expect(workers.length).toBeGreaterThan(0);
  const values = workers.map(pick);
  expect(new Set(values.map((v) => JSON.stringify(v))).size, JSON.stringify(values)).toBe(1);
  return values[0] as T;
}

/** A folder with a corpus that repeats itself (so a working cache would serve hits) and two config files. */
function workspace() {
  const dir = tempDir('flags');
  const input = writeCorpusWithDuplicates(dir, 60, 15);
  writeFileSync(path.join(dir, 'flag.json'), JSON.stringify({ pipeline: 'noop', workers: { concurrency: { default: 4, batch: 3 } } }));
  writeFileSync(path.join(dir, 'env.json'), JSON.stringify({ pipeline: 'extract', workers: { concurrency: { default: 7, batch: 6 } } }));
  return { dir, input };
}

function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return cleanEnv({
    BATCHLINE_BROKER_URL: broker.url,
    BATCHLINE_CACHE_URL: cache.url,
    BATCHLINE_QUEUE_PREFIX: `{${uniqueName('flags')}}`,
    BATCHLINE_LOG_LEVEL: 'info',
    ...extra,
  });
}

interface RunRow {
  flag: string;
  args: (ws: { dir: string }) => string[];
  env: (ws: { dir: string }) => NodeJS.ProcessEnv;
  check: (result: CliResult, workers: Started[], ws: { dir: string }) => void;
}

const runRows: RunRow[] = [
  {
    flag: '--no-cache (BATCHLINE_CACHE_ENABLED=true)',
    args: () => ['--no-cache'],
    env: () => ({ BATCHLINE_CACHE_ENABLED: 'true' }),
    check: (result, workers) => {
      expect(everyWorker(workers, (w) => w.cache)).toBe('off');
      const summary = JSON.parse(result.stdout) as Summary;
      expect(summary.cache.exact + summary.cache.semantic).toBe(0);
      expect(summary.cache.miss).toBe(60);
    },
  },
  {
    flag: '--pipeline (BATCHLINE_PIPELINE)',
    args: () => ['--pipeline', 'noop'],
    env: () => ({ BATCHLINE_PIPELINE: 'extract' }),
    check: (_, workers) => expect(everyWorker(workers, (w) => w.pipeline?.split('@')[0])).toBe('noop'),
  },
  {
    flag: '--concurrency (BATCHLINE_CONCURRENCY_DEFAULT)',
    args: () => ['--concurrency', '3'],
    env: () => ({ BATCHLINE_CONCURRENCY_DEFAULT: '5' }),
    check: (_, workers) => expect(everyWorker(workers, (w) => w.concurrency)).toBe(3),
  },
  {
    flag: '--queue with --concurrency (BATCHLINE_CONCURRENCY_BATCH)',
    args: () => ['--queue', 'batch', '--concurrency', '2'],
    env: () => ({ BATCHLINE_CONCURRENCY_BATCH: '6' }),
    check: (_, workers) => expect(everyWorker(workers, (w) => [w.queue, w.concurrency])).toEqual(['batch', 2]),
  },
  {
    flag: '--workers (BATCHLINE_WORKER_PROCESSES)',
    args: () => ['--workers', '3'],
    env: () => ({ BATCHLINE_WORKER_PROCESSES: '1' }),
    check: (result, workers) => {
      const pool = (logLines(result.stderr) as Started[]).find((line) => line.msg === 'worker processes started');
      expect(pool?.pids).toHaveLength(3);
      for (const worker of workers) expect(pool?.pids).toContain(worker.pid);
      expect(workers.length).toBeGreaterThan(0);
    },
  },
  {
    flag: '--log-level info (BATCHLINE_LOG_LEVEL=warn)',
    args: () => ['--log-level', 'info'],
    env: () => ({ BATCHLINE_LOG_LEVEL: 'warn' }),
    check: (_, workers) => expect(workers.length).toBeGreaterThan(0),
  },
  {
    flag: '--log-level warn (BATCHLINE_LOG_LEVEL=info)',
    args: () => ['--log-level', 'warn'],
    env: () => ({ BATCHLINE_LOG_LEVEL: 'info' }),
    check: (result, workers) => {
      expect(workers).toHaveLength(0);
      expect(result.stderr).not.toMatch(/"level":30/);
    },
  },
  {
    flag: '--config (BATCHLINE_CONFIG)',
    args: (ws) => ['--config', path.join(ws.dir, 'flag.json')],
    env: (ws) => ({ BATCHLINE_CONFIG: path.join(ws.dir, 'env.json') }),
    check: (_, workers) => expect(everyWorker(workers, (w) => [w.pipeline?.split('@')[0], w.concurrency])).toEqual(['noop', 4]),
  },
  {
    flag: '--out (BATCHLINE_OUT_DIR)',
    args: (ws) => ['--out', path.join(ws.dir, 'flag-out'), '--batch-id', 'flags-out'],
    env: (ws) => ({ BATCHLINE_OUT_DIR: path.join(ws.dir, 'env-out') }),
    check: (_, __, ws) => {
      expect(existsSync(path.join(ws.dir, 'flag-out', 'flags-out.jsonl'))).toBe(true);
      expect(existsSync(path.join(ws.dir, 'env-out'))).toBe(false);
    },
  },
  {
    flag: '--batch-id',
    args: () => ['--batch-id', 'flags-batch-id'],
    env: () => ({}),
    check: (result) => expect((JSON.parse(result.stdout) as Summary).batchId).toBe('flags-batch-id'),
  },
];

// Rows run concurrently: each has its own folder and key prefix, and one row alone leaves a
// core idle while its processes start. Concurrent, each takes longer: hence the time limit.
describe.concurrent('flags of `run` reach every worker process', { timeout: 150_000 }, () => {
  it.each(runRows)('$flag', async (row) => {
    const ws = workspace();
    const result = await runCli(['run', ws.input, '--json', ...row.args(ws)], { env: baseEnv(row.env(ws)), cwd: ws.dir });
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    // --json: stdout is the summary alone, in every row.
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 60, ok: 60 });
    row.check(result, started(result.stderr), ws);
  });
});

interface DevRow {
  flag: string;
  args: (ws: { dir: string }) => string[];
  env: (ws: { dir: string }) => NodeJS.ProcessEnv;
  check: (workers: Started[], stderr: string) => void;
}

/** A port something already listens on: a dashboard told to use it could not start. */
const busyPort = () => broker.port;

const devRows: DevRow[] = [
  {
    flag: '--pipeline (BATCHLINE_PIPELINE)',
    args: () => ['--pipeline', 'noop'],
    env: () => ({ BATCHLINE_PIPELINE: 'extract' }),
    check: (workers) => {
      const documentWorkers = workers.filter((w) => w.queue !== 'patterns');
      expect(documentWorkers.map((w) => w.pipeline?.split('@')[0])).toEqual(['noop', 'noop']);
    },
  },
  {
    flag: '--no-cache (BATCHLINE_CACHE_ENABLED=true)',
    args: () => ['--no-cache'],
    env: () => ({ BATCHLINE_CACHE_ENABLED: 'true' }),
    check: (workers) => expect(workers.map((w) => w.cache)).toEqual(['off', 'off', 'off']),
  },
  {
    flag: '--log-level info (BATCHLINE_LOG_LEVEL=warn)',
    args: () => ['--log-level', 'info'],
    env: () => ({ BATCHLINE_LOG_LEVEL: 'warn' }),
    check: (workers) => expect(workers).toHaveLength(3),
  },
  {
    flag: '--config (BATCHLINE_CONFIG)',
    args: (ws) => ['--config', path.join(ws.dir, 'flag.json')],
    env: (ws) => ({ BATCHLINE_CONFIG: path.join(ws.dir, 'env.json') }),
    check: (workers) => {
      const byQueue = Object.fromEntries(workers.map((w) => [w.queue, [w.pipeline?.split('@')[0], w.concurrency]]));
      expect(byQueue).toMatchObject({ default: ['noop', 4], batch: ['noop', 3] });
    },
  },
  {
    flag: '--port (BATCHLINE_DASHBOARD_PORT)',
    args: () => [],
    env: () => ({ BATCHLINE_DASHBOARD_PORT: String(busyPort()) }),
    check: (_, stderr) => {
      const url = stderr.match(/dashboard at (http:\/\/\S+)/)?.[1] ?? '';
      expect(new URL(url).port).not.toBe(String(busyPort()));
    },
  },
];

describe.concurrent('flags of `dev` reach every worker process', { timeout: 150_000 }, () => {
  it.each(devRows)('$flag', async (row) => {
    const ws = workspace();
    const { child, done } = startCli(['dev', '--port', '0', ...row.args(ws)], { env: baseEnv(row.env(ws)), cwd: ws.dir });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    // Every queue's worker has started (or, at warn, the dashboard is up and workers had time to start).
    for (let i = 0; i < 300; i++) {
      if (/dashboard at http/.test(stderr) && started(stderr).length >= 3) break;
      if (child.exitCode !== null) break;
      await sleep(100);
    }
    child.kill('SIGINT');
    const result = await done;
    expect(stderr, stderr.slice(-2_000)).toMatch(/dashboard at http:\/\/127\.0\.0\.1:\d+/);
    expect(result.code, stderr.slice(-2_000)).toBe(0);
    row.check(started(stderr), stderr);
  });
});
