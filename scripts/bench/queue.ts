/**
 * `npm run bench -- queue`: documents per second through batchline (real Ingester, real
 * WorkerPool, `noop` pipeline, cache off) against a plain BullMQ producer + worker doing
 * nothing, on one redis-server started here, with the same worker processes, concurrency
 * and documents, in one run. Prints per-round and median figures and the ratio.
 *
 * Environment: BENCH_DOCS (20000), BENCH_CONCURRENCY (10 per process), BENCH_ROUNDS (3),
 * BENCH_VERBOSE=1 (per run: enqueue time, CPU time per 1k documents of the worker
 * processes, the producer and the broker, and the broker commands per document by name).
 * The "cpu ms/doc" column adds up workers, producer (this process: reading the input,
 * enqueueing, polling for the end) and broker; CPU figures are read from /proc (Linux).
 * On a machine whose cores are all busy, throughput follows CPU time per document.
 *
 * Method: for each side, start 2 worker processes and wait until both are registered
 * with the broker (start-up is not timed), then time from the first enqueue until the
 * last document is finished: batchline's `finishedAt` (set by the worker that records
 * the last result), raw BullMQ's newest `finishedOn` once every job is completed. The
 * order alternates each round; the broker is flushed between runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { withBenchBroker } from './bench-sandbox.js';
import { cleanEnv, envInt } from './bench-env.js';
import { fmtRate, loadAverage, median, rateCells, row } from './bench-report.js';
import { alternatingRounds, aofRewrites, brokerCpuMs, brokerInfo, commandCounts, commandsPerDoc } from './broker-admin.js';

// batchline is loaded from dist/ (built by `npm run bench`): WorkerPool spawns the compiled
// `dist/workers/<queue>.js`, and the bench measures the code users run.
type ConfigModule = typeof import('../../src/config/index.js');
type IngesterModule = typeof import('../../src/ingest/ingester.js');
type ErrorsFileModule = typeof import('../../src/ingest/errors-file.js');
type BatchStoreModule = typeof import('../../src/batches/batch-store.js');
type QueuesModule = typeof import('../../src/queue/queues.js');
type BrokerClientModule = typeof import('../../src/redis/broker-client.js');
type WorkerPoolModule = typeof import('../../src/worker/worker-pool.js');
type LogModule = typeof import('../../src/log.js');

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const plainWorkerFile = fileURLToPath(new URL('./plain-worker.mjs', import.meta.url));


const DOCS = envInt('BENCH_DOCS', 20_000);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 10);
const ROUNDS = envInt('BENCH_ROUNDS', 3);
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const PROCESSES = 2;
const RAW_CHUNK = 500;
const POLL_MS = 50;
const TARGET = 0.9; // issue 12
const READY_TIMEOUT_MS = 30_000;
const FINISH_TIMEOUT_MS = 600_000;

type Side = 'batchline' | 'raw';

interface Measurement {
  side: Side;
  docs: number;
  /** First enqueue until the last document finished. */
  ms: number;
  /** First enqueue until the producer had enqueued everything. */
  enqueueMs: number;
  /** CPU time (user + sys) spent during the timed part, per process group. */
  cpuMs: { workers: number; producer: number; broker: number };
  /** Broker commands by name during the timed part (BENCH_VERBOSE). */
  commands: Map<string, number>;
  aofRewrite: boolean;
}

/** Waits until `expected` workers of the queue are connected to the broker, or fails. */
async function waitForWorkers(queue: Queue, expected: number, failure: Promise<never>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const count = await queue.getWorkersCount();
    if (count >= expected) return;
    if (Date.now() > deadline) throw new Error(`only ${count} of ${expected} workers of ${queue.name} registered within ${READY_TIMEOUT_MS} ms`);
    await Promise.race([sleep(50), failure]);
  }
}

// ---------------------------------------------------------------- the two sides

interface Context {
  tmp: string;
  inputFile: string;
  brokerUrl: string;
  admin: Redis;
  bl: {
    config: ConfigModule;
    ingester: IngesterModule;
    errorsFile: ErrorsFileModule;
    batchStore: BatchStoreModule;
    queues: QueuesModule;
    brokerClient: BrokerClientModule;
    workerPool: WorkerPoolModule;
    log: LogModule;
  };
}

/** Stops the worker processes of the side running now; on Ctrl-C they go before the broker. */
const stopWorkers = new Set<() => Promise<void>>();

/** CPU time of processes from /proc (Linux); 0 elsewhere. */
function processCpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
    } catch {
      // not Linux, or the process is gone
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1_000;
}

/** Runs the timed part and collects CPU time, broker commands and AOF rewrites around it. */
async function timed(
  admin: Redis,
  workerPids: readonly number[],
  work: () => Promise<{ docs: number; startedAt: number; finishedAt: number; enqueuedAt: number }>,
  side: Side,
): Promise<Measurement> {
  const rewritesBefore = await aofRewrites(admin);
  const before = { workers: processCpuMs(workerPids), producer: ownCpuMs(), broker: await brokerCpuMs(admin) };
  const result = await work();
  const after = { workers: processCpuMs(workerPids), producer: ownCpuMs(), broker: await brokerCpuMs(admin) };
  return {
    side,
    docs: result.docs,
    ms: result.finishedAt - result.startedAt,
    enqueueMs: result.enqueuedAt - result.startedAt,
    cpuMs: { workers: after.workers - before.workers, producer: after.producer - before.producer, broker: after.broker - before.broker },
    commands: await commandCounts(admin),
    aofRewrite: (await aofRewrites(admin)) !== rewritesBefore,
  };
}

async function runBatchline(ctx: Context, round: number): Promise<Measurement> {
  const { bl } = ctx;
  const config = bl.config.loadConfig({
    env: {},
    cwd: ctx.tmp, // no batchline.config.json from the repository
    overrides: {
      brokerUrl: ctx.brokerUrl,
      queuePrefix: '{bench-bl}',
      pipeline: 'noop',
      logLevel: 'warn',
      dataDir: path.join(ctx.tmp, 'data'),
      outDir: path.join(ctx.tmp, 'out'),
      cache: { enabled: false },
      workers: { processes: PROCESSES, concurrency: { default: CONCURRENCY } },
    },
  });
  const logger = bl.log.createLogger({ level: 'warn', name: 'bench-queue' });
  const redis = await bl.brokerClient.connectBroker(ctx.brokerUrl, 'producer');
  const store = new bl.batchStore.BatchStore(redis, config.queuePrefix, config.results.ttlSeconds);
  const queue = bl.queues.openIngestQueue(config, 'default', ctx.brokerUrl);
  const pool = new bl.workerPool.WorkerPool(
    {
      queue: 'default',
      processes: PROCESSES,
      maxRestarts: config.workers.maxRestarts,
      // Exactly what `run` hands its workers: the whole resolved config.
      env: { ...cleanEnv(), [bl.config.RESOLVED_CONFIG_VARIABLE]: JSON.stringify(config) },
      stopTimeoutMs: config.workers.shutdownTimeoutMs + 5_000,
    },
    logger,
  );
  try {
    pool.start();
    stopWorkers.add(() => pool.stop());
    await waitForWorkers(queue, PROCESSES, pool.failure);
    return await timed(
      ctx.admin,
      pool.pids,
      async () => {
        const batchId = `bench-${round}`;
        const errors = new bl.errorsFile.ErrorsFile(path.join(ctx.tmp, 'out', `${batchId}.errors.jsonl`), batchId, 'truncate');
        const ingester = new bl.ingester.Ingester(config, queue, store, logger);
        const startedAt = Date.now();
        const report = await Promise.race([
          ingester
            .ingest({ batchId, queueName: 'default', inputs: [ctx.inputFile], pipeline: 'noop@1', errors })
            .finally(() => errors.close()),
          pool.failure,
        ]);
        const enqueuedAt = Date.now();
        if (report.enqueued !== DOCS) throw new Error(`batchline enqueued ${report.enqueued} of ${DOCS} documents (rejected ${report.rejected})`);
        const deadline = startedAt + FINISH_TIMEOUT_MS;
        for (;;) {
          const batch = await store.get(batchId);
          if (batch?.finishedAt !== undefined) {
            if (batch.ok !== DOCS || batch.failed !== 0) throw new Error(`batchline finished with ok=${batch.ok} failed=${batch.failed} of ${DOCS}`);
            return { docs: batch.ok, startedAt, enqueuedAt, finishedAt: batch.finishedAt };
          }
          if (Date.now() > deadline) throw new Error(`batchline batch not finished after ${FINISH_TIMEOUT_MS} ms: ${JSON.stringify(batch)}`);
          await Promise.race([sleep(POLL_MS), pool.failure]);
        }
      },
      'batchline',
    );
  } finally {
    stopWorkers.clear();
    await pool.stop();
    await queue.close().catch(() => {});
    redis.disconnect();
  }
}

function startPlainWorker(ctx: Context, queueName: string, prefix: string): ChildProcess {
  return spawn(process.execPath, [plainWorkerFile], {
    cwd: repoRoot,
    env: {
      ...cleanEnv(),
      BENCH_BROKER_URL: ctx.brokerUrl,
      BENCH_QUEUE: queueName,
      BENCH_PREFIX: prefix,
      BENCH_CONCURRENCY: String(CONCURRENCY),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

async function stopChildren(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

async function runRaw(ctx: Context): Promise<Measurement> {
  const url = new URL(ctx.brokerUrl);
  const queueName = 'bench';
  const prefix = '{bench-raw}';
  const queue = new Queue(queueName, { connection: { host: url.hostname, port: Number(url.port) }, prefix });
  queue.on('error', () => {});
  const children: ChildProcess[] = [];
  let failWith: (error: Error) => void = () => {};
  const failure = new Promise<never>((_, reject) => {
    failWith = reject;
  });
  failure.catch(() => {});
  let stopping = false;
  stopWorkers.add(() => {
    stopping = true;
    return stopChildren(children);
  });
  try {
    for (let i = 0; i < PROCESSES; i++) {
      const child = startPlainWorker(ctx, queueName, prefix);
      child.once('exit', (code, signal) => {
        if (!stopping) failWith(new Error(`plain worker exited (${signal ?? code})`));
      });
      children.push(child);
    }
    await waitForWorkers(queue, PROCESSES, failure);
    return await timed(
      ctx.admin,
      children.map((child) => child.pid ?? 0),
      async () => {
        const startedAt = Date.now();
        // A plain producer: read the same JSONL, add the same job data as batchline, 500 per addBulk.
        let chunk: { name: string; data: unknown }[] = [];
        let lineNo = 0;
        const lines = createInterface({ input: createReadStream(ctx.inputFile), crlfDelay: Number.POSITIVE_INFINITY });
        for await (const line of lines) {
          lineNo++;
          if (line === '') continue;
          const doc = JSON.parse(line) as { id: string; text: string; type?: string };
          chunk.push({ name: 'document', data: { batchId: 'bench', doc, origin: `${ctx.inputFile}:${lineNo}` } });
          if (chunk.length >= RAW_CHUNK) {
            await Promise.race([queue.addBulk(chunk), failure]);
            chunk = [];
          }
        }
        if (chunk.length > 0) await queue.addBulk(chunk);
        const enqueuedAt = Date.now();
        const deadline = startedAt + FINISH_TIMEOUT_MS;
        for (;;) {
          const counts = await queue.getJobCounts('completed', 'failed');
          const completed = counts.completed ?? 0;
          const failed = counts.failed ?? 0;
          if (completed + failed >= DOCS) {
            if (completed !== DOCS) throw new Error(`raw BullMQ finished with completed=${completed} failed=${failed} of ${DOCS}`);
            // The completed set is ordered by finish time: the newest is the last document.
            const [last] = await queue.getJobs(['completed'], 0, 0, false);
            if (!last?.finishedOn) throw new Error('raw BullMQ: cannot read the last finished job');
            return { docs: completed, startedAt, enqueuedAt, finishedAt: last.finishedOn };
          }
          if (Date.now() > deadline) throw new Error(`raw BullMQ not finished after ${FINISH_TIMEOUT_MS} ms: ${JSON.stringify(counts)}`);
          await Promise.race([sleep(POLL_MS), failure]);
        }
      },
      'raw',
    );
  } finally {
    stopping = true;
    stopWorkers.clear();
    await stopChildren(children);
    await queue.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- report

const rate = (m: Measurement) => (m.docs * 1_000) / m.ms;
/** CPU time per document (ms): worker processes, producer (this process) and broker together. */
const cpuPerDoc = (m: Measurement) => (m.cpuMs.workers + m.cpuMs.producer + m.cpuMs.broker) / m.docs;

function printDetails(m: Measurement): void {
  const per1k = (ms: number) => Math.round((ms * 1_000) / m.docs);
  process.stdout.write(
    `  ${m.side.padEnd(9)} enqueue ${m.enqueueMs} ms, finish ${m.ms} ms; cpu ms per 1k docs: workers ${per1k(m.cpuMs.workers)}, ` +
      `producer ${per1k(m.cpuMs.producer)}, broker ${per1k(m.cpuMs.broker)}${m.aofRewrite ? '; broker AOF rewrite' : ''}\n` +
      `  ${''.padEnd(9)} ${commandsPerDoc(m.commands, m.docs)}\n`,
  );
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const dist = (file: string) => new URL(`../../dist/src/${file}`, import.meta.url);
  if (!existsSync(dist('worker/worker-pool.js')) || !existsSync(new URL('../../dist/workers/default.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does)');
  }
  const load = async <T>(file: string): Promise<T> => (await import(dist(file).href)) as T;
  const bl: Context['bl'] = {
    config: await load<ConfigModule>('config/index.js'),
    ingester: await load<IngesterModule>('ingest/ingester.js'),
    errorsFile: await load<ErrorsFileModule>('ingest/errors-file.js'),
    batchStore: await load<BatchStoreModule>('batches/batch-store.js'),
    queues: await load<QueuesModule>('queue/queues.js'),
    brokerClient: await load<BrokerClientModule>('redis/broker-client.js'),
    workerPool: await load<WorkerPoolModule>('worker/worker-pool.js'),
    log: await load<LogModule>('log.js'),
  };
  const stopAll = async () => {
    await Promise.all([...stopWorkers].map((stop) => stop().catch(() => {})));
  };
  await withBenchBroker('queue', DOCS, stopAll, async ({ tmp, inputFile, textBytes: bytes, brokerUrl, admin }) => {
    const server = await brokerInfo(admin, 'server');
    const ctx: Context = { tmp, inputFile, brokerUrl, admin, bl };

    process.stdout.write(
      `${DOCS} docs (avg ${Math.round(bytes / DOCS)} B text), ${PROCESSES} worker processes x concurrency ${CONCURRENCY}, ` +
        `${ROUNDS} rounds; node ${process.version}, redis ${server.get('redis_version')}, ${os.cpus().length} cpus (${os.cpus()[0]?.model.trim()}), ` +
        `load average ${loadAverage()}\n`,
    );
    const widths = [6, 14, 16, 10, 6, 19];
    process.stdout.write(`${row(['round', 'order', 'batchline doc/s', 'raw doc/s', 'ratio', 'cpu ms/doc bl|raw'], widths)}\n`);
    const rounds = await alternatingRounds(
      ROUNDS,
      admin,
      { batchline: (round) => runBatchline(ctx, round), raw: () => runRaw(ctx) },
      (round, { bl, raw }, order, aofNote) => {
        process.stdout.write(
          `${row(
            [
              ...rateCells(String(round), order, rate(bl), rate(raw)),
              `${cpuPerDoc(bl).toFixed(2)}|${cpuPerDoc(raw).toFixed(2)}`,
            ],
            widths,
          )}${aofNote}\n`,
        );
        if (VERBOSE) {
          printDetails(bl);
          printDetails(raw);
        }
      },
    );
    const ratio = median(rounds.map((r) => rate(r.bl) / rate(r.raw)));
    process.stdout.write(
      `${row(
        [
          'median',
          '',
          fmtRate(median(rounds.map((r) => rate(r.bl)))),
          fmtRate(median(rounds.map((r) => rate(r.raw)))),
          ratio.toFixed(2),
          `${median(rounds.map((r) => cpuPerDoc(r.bl))).toFixed(2)}|${median(rounds.map((r) => cpuPerDoc(r.raw))).toFixed(2)}`,
        ],
        widths,
      )}\n`,
    );
    const cpuRatio = median(rounds.map((r) => cpuPerDoc(r.raw) / cpuPerDoc(r.bl)));
    process.stdout.write(
      `cpu time per document raw/batchline = ${cpuRatio.toFixed(2)} (median; steadier than doc/s on a shared machine, ` +
        `and what the throughput ratio tends to when every core is busy)\n`,
    );
    process.stdout.write(`load average at the end: ${loadAverage()} (other work on the machine skews the figures)\n`);
    process.stdout.write(`batchline/raw = ${ratio.toFixed(2)}x (target >= ${TARGET}x): ${ratio >= TARGET ? 'met' : 'NOT met'}\n`);
  });
}

await main();
