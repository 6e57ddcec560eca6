import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { wrongArtifacts } from '../helpers/artifacts.js';
import { CLI, type CliResult, collect, readJsonl, runCli } from '../helpers/cli.js';
import { type FaultBatch, faultBatch, tallyResults } from '../helpers/fault-batch.js';
import { logLines } from '../helpers/logs.js';
import { NetworkLab, netnsTestsRunnable } from '../helpers/netns.js';
import { startRedisOnHost, stopRedis } from '../helpers/redis.js';

/*
 * Workers on other machines, for real: every role runs on its own host (a Linux network
 * namespace with its own address, see test/helpers/netns.ts), the broker and the cache
 * listen on their host's address behind a password, and the hosts reach each other only
 * through a bridge. A host is cut off by unplugging its switch port, so its peers see
 * silence, not errors. Skipped, with a message, where namespaces cannot be created.
 */

const runnable = netnsTestsRunnable();
const slowPipeline = path.resolve('test/fixtures/slow-pipeline.js');
const slowExtractPipeline = path.resolve('test/fixtures/slow-extract-pipeline.js');
/** Short locks: a cut-off worker's jobs come back within seconds. Fast heartbeats: tests can see who works. */
const workersConfig = { lockDurationMs: 2_000, stalledIntervalMs: 1_000, shutdownTimeoutMs: 2_000, heartbeatMs: 500 };

describe.skipIf(!runnable)('worker hosts behind real network boundaries', () => {
  let lab: NetworkLab;
  let broker: RedisServer;
  let cache: RedisServer;
  const brokerPassword = randomBytes(12).toString('hex');
  const cachePassword = randomBytes(12).toString('hex');
  let brokerUrl: string;
  let cacheUrl: string;

  beforeAll(async () => {
    lab = NetworkLab.create(['broker', 'cache', 'ingest', 'worker1', 'worker2']);
    broker = await startRedisOnHost('broker', lab.host('broker'), brokerPassword);
    cache = await startRedisOnHost('cache', lab.host('cache'), cachePassword);
    brokerUrl = `redis://:${brokerPassword}@${lab.host('broker').address}:6379`;
    cacheUrl = `redis://:${cachePassword}@${lab.host('cache').address}:6379`;
  });

  afterAll(async () => {
    await stopRedis(broker, cache);
    lab?.destroy();
  });

  interface RunningWorker {
    child: ChildProcess;
    done: Promise<CliResult>;
  }

  /** `batchline worker` on a worker host, for the batch's queue prefix. */
  function startWorker(host: string, batch: FaultBatch, options: { pipeline: string; slowMs: number; cache: boolean }): RunningWorker {
    const args = [process.execPath, CLI, 'worker', '--pipeline', options.pipeline, '--concurrency', '4'];
    if (!options.cache) args.push('--no-cache');
    const env = {
      ...batch.env(brokerUrl),
      ...(options.cache ? { BATCHLINE_CACHE_URL: cacheUrl } : {}),
      BATCHLINE_LOG_LEVEL: 'info',
      SLOW_PIPELINE_MS: String(options.slowMs),
    };
    const child = lab.spawn(host, args, env);
    return { child, done: collect(child) };
  }

  async function stopWorkers(workers: RunningWorker[]): Promise<CliResult[]> {
    for (const worker of workers) worker.child.kill('SIGTERM');
    return Promise.all(workers.map((worker) => worker.done));
  }

  /** A CLI command run on the ingest host. */
  function onIngestHost(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
    return runCli(args, { env, launcher: lab.host('ingest').launcher });
  }

  async function ingest(batch: FaultBatch, env = batch.env(brokerUrl)): Promise<void> {
    const result = await onIngestHost(['ingest', batch.file, '--batch-id', batch.batchId, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ enqueued: batch.ids.length, rejected: 0 });
  }

  type Status = { total: number; ok: number; failed: number; reprocessed: number; finishedAt?: number };

  async function status(batch: FaultBatch, env = batch.env(brokerUrl)): Promise<Status> {
    const result = await onIngestHost(['status', batch.batchId, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Status;
  }

  /** Polls `status` on the ingest host until the batch has finished; fails past `timeoutMs` (a stall). */
  async function finished(batch: FaultBatch, timeoutMs: number, env = batch.env(brokerUrl)): Promise<Status> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await status(batch, env);
      if (now.finishedAt !== undefined) return now;
      if (Date.now() > deadline) throw new Error(`batch ${batch.batchId} stalled: ${JSON.stringify(now)}`);
      await sleep(250);
    }
  }

  /** `export` on the ingest host, into the file tallyResults reads. */
  async function exportResults(batch: FaultBatch, env = batch.env(brokerUrl)): Promise<void> {
    const result = await onIngestHost(['export', batch.batchId, '--out', path.join(batch.dir, `${batch.batchId}.jsonl`)], env);
    expect(result.code, result.stderr).toBe(0);
  }

  /** redis-cli on the ingest host against a server on the lab network; the password goes through the environment. */
  function redisCli(server: 'broker' | 'cache', args: readonly string[]): Promise<string> {
    const [command = '', ...prefix] = [...lab.host('ingest').launcher, 'redis-cli'];
    const password = server === 'broker' ? brokerPassword : cachePassword;
    const cliArgs = [...prefix, '-h', lab.host(server).address, '-p', '6379', '--raw', ...args];
    return new Promise((resolve, reject) => {
      execFile(command, cliArgs, { env: { ...process.env, REDISCLI_AUTH: password }, timeout: 5_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });
  }

  /** Jobs finished per worker process id, from the heartbeats the workers publish to the broker. */
  async function jobsByWorkerPid(prefix: string): Promise<Map<number, number>> {
    const script =
      "local out = {} for _, id in ipairs(redis.call('ZRANGE', ARGV[1] .. ':bl:workers', 0, -1)) do " +
      "local v = redis.call('GET', ARGV[1] .. ':bl:worker:' .. id) if v then out[#out + 1] = v end end return out";
    const lines = readJsonl<{ pid: number; jobs: { ok: number } }>(await redisCli('broker', ['EVAL', script, '0', prefix]));
    return new Map(lines.map((heartbeat) => [heartbeat.pid, heartbeat.jobs.ok]));
  }

  it('the test process itself gets no answer from the broker: only the lab hosts reach it', async () => {
    // Whatever may accept the connection out there (this machine's default route), it is not our Redis.
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: lab.host('broker').address, port: 6379 });
      const done = (text: string) => {
        socket.destroy();
        resolve(text);
      };
      socket.setTimeout(1_000, () => done(''));
      socket.once('error', () => done(''));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => done(data.toString()));
    });
    expect(reply).not.toMatch(/^(\+PONG|-NOAUTH)/);
    expect((await redisCli('broker', ['PING'])).trim()).toBe('PONG');
  });

  it('ingest on the ingest host, a worker on each worker host: one result per document, and both hosts work', async () => {
    const batch = faultBatch(300, { config: { workers: workersConfig } });
    const workers = ['worker1', 'worker2'].map((host) => startWorker(host, batch, { pipeline: slowPipeline, slowMs: 10, cache: true }));
    try {
      await ingest(batch);
      expect(await finished(batch, 60_000)).toMatchObject({ total: 300, ok: 300, failed: 0 });
      await exportResults(batch);
      expect(tallyResults(batch)).toEqual({ lines: 300, lost: 0, duplicated: 0, failed: 0 });
      await sleep(workersConfig.heartbeatMs * 2); // the last heartbeats carry the final counts
      const byPid = await jobsByWorkerPid(batch.prefix);
      for (const worker of workers) expect(byPid.get(worker.child.pid ?? 0), `worker pid ${worker.child.pid}`).toBeGreaterThan(0);
    } finally {
      await stopWorkers(workers);
    }
  });

  it('a worker host cut off mid-batch: its jobs come back through stall detection; plugged back in, it rejoins without duplicates', async () => {
    const batch = faultBatch(400, { config: { workers: workersConfig } });
    const [worker1, worker2] = ['worker1', 'worker2'].map((host) => startWorker(host, batch, { pipeline: slowPipeline, slowMs: 100, cache: false })) as [
      RunningWorker,
      RunningWorker,
    ];
    try {
      await ingest(batch);
      // Cut worker1 off only once it is working: from then on it holds active jobs it can never finish.
      for (let i = 0; ((await jobsByWorkerPid(batch.prefix)).get(worker1.child.pid ?? 0) ?? 0) < 8; i++) {
        if (i > 200) throw new Error('worker1 never started working');
        await sleep(100);
      }
      lab.disconnect('worker1');
      const cutAt = await status(batch);
      expect(cutAt.ok, 'cut mid-batch').toBeLessThan(300);
      // Nothing from worker1 reaches the broker now, so the batch can only finish if its
      // active jobs were taken back (stall detection) and done by worker2.
      expect(await finished(batch, 60_000)).toMatchObject({ total: 400, ok: 400, failed: 0 });

      // Plugged back in, with worker2 gone: a second batch on the same queue can only be
      // done by worker1, so its finishing shows worker1 rejoined (and its writes held
      // during the cut, sent first on the same connections, have landed by then).
      lab.reconnect('worker1');
      await stopWorkers([worker2]);
      const second = faultBatch(50, { config: { workers: workersConfig }, env: { BATCHLINE_QUEUE_PREFIX: batch.prefix } });
      const env = second.env(brokerUrl);
      await ingest(second, env);
      expect(await finished(second, 60_000, env)).toMatchObject({ total: 50, ok: 50, failed: 0 });
      await exportResults(second, env);
      expect(tallyResults(second)).toEqual({ lines: 50, lost: 0, duplicated: 0, failed: 0 });

      // The first batch still counts one result per document. The documents worker1 held
      // at the cut were done twice, by worker2 after stall detection and by worker1 once its
      // held results got through: counted as reprocessed, never as extra results. Those
      // results travel on their own connection, which TCP retransmits on after a backoff that
      // grew during the cut: they can land seconds after worker1's job connections are back.
      let after = await status(batch);
      for (const deadline = Date.now() + 30_000; after.reprocessed === 0 && Date.now() < deadline; ) {
        await sleep(250);
        after = await status(batch);
      }
      expect(after).toMatchObject({ total: 400, ok: 400, failed: 0 });
      expect(after.reprocessed, 'worker1 held results from the cut that never landed').toBeGreaterThan(0);
      await exportResults(batch);
      expect(tallyResults(batch)).toEqual({ lines: 400, lost: 0, duplicated: 0, failed: 0 });
    } finally {
      lab.reconnect('worker1');
      await stopWorkers([worker1, worker2].filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null));
    }
  }, 180_000);

  it('the cache host cut off mid-batch: the breakers open, nothing stalls, every artifact is the one the pipeline makes', async () => {
    const batch = faultBatch(800, { config: { workers: workersConfig } });
    const workers = ['worker1', 'worker2'].map((host) => startWorker(host, batch, { pipeline: slowExtractPipeline, slowMs: 20, cache: true }));
    let logs: CliResult[] = [];
    try {
      await ingest(batch);
      // Cut the cache off once the workers are using it.
      for (let i = 0; Number(await redisCli('cache', ['DBSIZE'])) < 150; i++) {
        if (i > 300) throw new Error('the workers never wrote to the cache');
        await sleep(50);
      }
      lab.disconnect('cache');
      expect((await status(batch)).ok, 'cut mid-batch').toBeLessThan(600);
      expect(await finished(batch, 60_000)).toMatchObject({ total: 800, ok: 800, failed: 0 });
      await exportResults(batch);
      expect(tallyResults(batch)).toEqual({ lines: 800, lost: 0, duplicated: 0, failed: 0 });
    } finally {
      lab.reconnect('cache');
      logs = await stopWorkers(workers);
    }
    // Correct artifacts: each one exactly what the pipeline makes of that document, whether
    // it came from the pipeline or from the cache before the cut.
    expect(await wrongArtifacts(batch.file, path.join(batch.dir, `${batch.batchId}.jsonl`))).toEqual([]);
    // Each worker saw the cache go silent and opened its breaker rather than waiting on it.
    for (const [i, log] of logs.entries()) {
      const opened = logLines(log.stderr).filter((entry) => entry.msg === 'cache breaker state change' && entry.to === 'UNHEALTHY');
      expect(opened.length, `worker${i + 1}: ${log.stderr.slice(-1_500)}`).toBeGreaterThan(0);
    }
  }, 180_000);
});
