/**
 * `npm run bench -- status`: how long `batchline status <id>` and `batchline export <id>`
 * take on the embedded broker (no BATCHLINE_BROKER_URL) holding one batch of 100,000
 * finished documents, against baselines measured in the same run on the same data dir:
 * starting redis-server on it (loading the AOF), answering PING and stopping it; and
 * `node -e 0`. BENCH_OLD_CLI=<path to another build's dist/src/cli/main.js> times that
 * build too, on the same data dir.
 *
 * Environment: STATUS_DOCS (100000), STATUS_RUNS (3).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchStore } from '../../src/batches/batch-store.js';
import { batchKeys } from '../../src/batches/batch-keys.js';
import { connectBroker } from '../../src/redis/broker-client.js';
import { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { RedisServer } from '../../src/redis/redis-server.js';
import { envInt } from './bench-env.js';
import { benchEnv, CLI, median } from './run-batch.js';

const DOCS = envInt('STATUS_DOCS', 100_000);
const RUNS = envInt('STATUS_RUNS', 3);
const BATCH = 'bench-status';
const PREFIX = '{batchline}';

/** A result line like the `extract` pipeline's (~800 bytes). */
function resultLine(i: number): string {
  const artifact = {
    type: 'invoice',
    dates: [{ date: '2026-02-10', text: '2026-02-10' }],
    amounts: [{ amount: i * 1.37, currency: 'USD', text: `$${(i * 1.37).toFixed(2)}` }],
    ids: [{ kind: 'invoice', value: `INV-${100_000 + i}` }],
    labels: [{ label: 'customer', value: `Client ${i % 997}` }, { label: 'amount due', value: `$${(i * 1.37).toFixed(2)}` }],
    keywords: ['amount', 'client', 'customer', 'date', 'days', 'due', 'inv', 'invoice', 'pay', 'please'],
    summary: `Invoice No. INV-${100_000 + i} Customer: Client ${i % 997} Amount due: $${(i * 1.37).toFixed(2)} Please pay within 30 days.`,
    fingerprint: 'a'.repeat(40),
  };
  return JSON.stringify({ id: `d-${i}`, batchId: BATCH, pipeline: 'extract@1.0.0', status: 'ok', cache: 'miss', artifact, durationMs: 3 });
}

/** Fills the embedded broker of `dataDir` the way a `run` does (scripts, one per document), then stops it as `run` does. */
async function fill(dataDir: string): Promise<number> {
  const embedded = await EmbeddedRedis.start(dataDir, { withCache: false });
  const redis = await connectBroker(embedded.broker.url, 'worker');
  const store = new BatchStore(redis, PREFIX, 7 * 86_400);
  await store.open({ batchId: BATCH, source: 'bench', queue: 'batch', pipeline: 'extract@1.0.0' });
  for (let from = 0; from < DOCS; from += 1_000) {
    const ids = Array.from({ length: Math.min(1_000, DOCS - from) }, (_, k) => `d-${from + k}`);
    await store.markEnqueued(BATCH, 'bench', ids);
    await Promise.all(ids.map((_, k) => store.recordResult(JSON.parse(resultLine(from + k)))));
  }
  await store.seal(BATCH);
  if ((await redis.hlen(batchKeys(PREFIX, BATCH).results)) !== DOCS) throw new Error('fill: wrong result count');
  redis.disconnect();
  const stopping = Date.now();
  await embedded.stop(); // rewrites the AOF when the session logged much, as after a real run
  return Date.now() - stopping;
}

function timeCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`));
      else resolve(performance.now() - started);
    });
  });
}

async function startStop(brokerDir: string): Promise<number> {
  const started = performance.now();
  const server = await RedisServer.start({ dir: brokerDir, role: 'broker' });
  await server.stop();
  return performance.now() - started;
}

async function medianOf(measure: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await measure());
  return median(times);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-bench-status-'));
  const dataDir = path.join(dir, 'data');
  const env = benchEnv({ BATCHLINE_DATA_DIR: dataDir, BATCHLINE_LOG_LEVEL: 'warn' });
  try {
    const fillStart = Date.now();
    const compactMs = await fill(dataDir);
    const aofDir = path.join(dataDir, 'broker', 'appendonlydir');
    const [baseBytes, incrBytes] = [sizeOf(aofDir, 'base.rdb'), sizeOf(aofDir, 'incr.aof')];
    process.stdout.write(
      `${DOCS} finished documents written in ${((Date.now() - fillStart) / 1000).toFixed(1)} s; stop with AOF rewrite ${compactMs} ms; ` +
        `AOF base ${(baseBytes / 1e6).toFixed(1)} MB, incr ${(incrBytes / 1e6).toFixed(1)} MB\n`,
    );
    const nodeMs = await medianOf(() => timeCommand(process.execPath, ['-e', '0'], env));
    const redisMs = await medianOf(() => startStop(path.join(dataDir, 'broker')));
    const out = path.join(dir, 'export.jsonl');
    const cli = async (main: string) => ({
      status: await medianOf(() => timeCommand(process.execPath, [main, 'status', BATCH], env)),
      export: await medianOf(() => timeCommand(process.execPath, [main, 'export', BATCH, '--out', out], env)),
    });
    const now = await cli(CLI);
    const baseline = nodeMs + redisMs;
    const row = (label: string, ms: number) =>
      `| ${label} | ${Math.round(ms)} | ${(ms / baseline).toFixed(2)}× |\n`;
    process.stdout.write(`\nmedians of ${RUNS}; baseline = node -e 0 + redis-server start (AOF load), PING, stop\n`);
    process.stdout.write('| what | ms | vs baseline |\n|---|---|---|\n');
    process.stdout.write(row('node -e 0', nodeMs));
    process.stdout.write(row('redis-server start + AOF load + stop', redisMs));
    process.stdout.write(row(`batchline status ${BATCH}`, now.status));
    process.stdout.write(row(`batchline export ${BATCH}`, now.export));
    const old = process.env.BENCH_OLD_CLI;
    if (old) {
      const before = await cli(path.resolve(old));
      process.stdout.write(row(`status, ${old}`, before.status));
      process.stdout.write(row(`export, ${old}`, before.export));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sizeOf(aofDir: string, kind: string): number {
  try {
    return readdirSync(aofDir).filter((name) => name.endsWith(kind)).reduce((sum, name) => sum + statSync(path.join(aofDir, name)).size, 0);
  } catch {
    return 0;
  }
}

await main();
