/**
 * Soak: `npm run bench -- soak`. 100,000 documents (a third of them repeats) through
 * `batchline run` with two worker processes and the built-in `extract` pipeline, while the
 * cache Redis is killed and restarted every 20 seconds. Prints throughput over time, the
 * broker's memory at the end (bounded by job retention; results stay until their TTL),
 * and checks that every document has exactly one result.
 *
 * Environment: SOAK_DOCS (100000), SOAK_CACHE_PERIOD_S (20).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisServer } from '../../src/redis/redis-server.js';

const DOCS = Number(process.env.SOAK_DOCS ?? 100_000);
const PERIOD_MS = Number(process.env.SOAK_CACHE_PERIOD_S ?? 20) * 1000;
const CLI = path.resolve('dist/src/cli/main.js');

function corpus(dir: string): string {
  const unique = Math.round(DOCS * 0.67);
  const lines: string[] = [];
  for (let i = 0; i < DOCS; i++) {
    const n = i < unique ? i : (i * 7919) % unique;
    lines.push(
      JSON.stringify({
        id: `soak-${i}`,
        text: `Invoice No. INV-${100000 + n}\nCustomer: Client ${n % 997}\nDate: 2026-0${(n % 9) + 1}-1${n % 10}\nAmount due: $${(n * 1.37).toFixed(2)}\nPlease pay within 30 days.`,
      }),
    );
  }
  const file = path.join(dir, 'soak.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-soak-'));
  const broker = await RedisServer.start({ dir: path.join(dir, 'broker'), role: 'broker' });
  const cache = await RedisServer.start({ dir: path.join(dir, 'cache'), role: 'cache' });
  const redis = new Redis(broker.port, '127.0.0.1');
  const batchId = 'soak';
  try {
    const input = corpus(dir);
    const env = {
      ...process.env,
      BATCHLINE_BROKER_URL: broker.url,
      BATCHLINE_CACHE_URL: cache.url,
      BATCHLINE_LOG_LEVEL: 'warn',
      // A short breaker window so the cache comes back within each 20 s period.
      BATCHLINE_CONFIG_JSON: JSON.stringify({ cache: { breaker: { openMs: 5_000 } } }),
    };
    const started = Date.now();
    const run = spawn(process.execPath, [CLI, 'run', input, '--json', '--batch-id', batchId, '--out', dir, '--workers', '2', '--concurrency', '16', '--queue', 'batch'], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    run.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => run.once('exit', resolve));
    let finished = false;
    void exited.then(() => {
      finished = true;
    });

    let lastKill = Date.now();
    let cacheDown = false;
    let lastDone = 0;
    let lastAt = Date.now();
    console.log('   t(s)  done    docs/s  cache');
    while (!finished) {
      await Promise.race([sleep(5_000), exited]);
      const [ok, failed] = (await redis.hmget(`{batchline}:bl:batch:${batchId}`, 'ok', 'failed')).map(Number);
      const done = (ok ?? 0) + (failed ?? 0);
      const now = Date.now();
      console.log(
        `${String(Math.round((now - started) / 1000)).padStart(7)} ${String(done).padStart(6)} ${String(Math.round(((done - lastDone) * 1000) / (now - lastAt))).padStart(8)}  ${cacheDown ? 'down' : 'up'}`,
      );
      lastDone = done;
      lastAt = now;
      if (now - lastKill >= PERIOD_MS / 2) {
        if (cacheDown) await cache.restart();
        else cache.signal('SIGKILL');
        cacheDown = !cacheDown;
        lastKill = now;
      }
    }
    const code = await exited;
    const wallMs = Date.now() - started;
    const summary = JSON.parse(stdout || '{}');
    const lines = readFileSync(path.join(dir, `${batchId}.jsonl`), 'utf8').trim().split('\n');
    const ids = new Set(lines.map((line) => (JSON.parse(line) as { id: string }).id));
    const memory = (await redis.info('memory')).match(/used_memory_human:(\S+)/)?.[1];
    const waiting = await redis.llen('{batchline}:batch:wait');
    const completed = await redis.zcard('{batchline}:batch:completed');
    console.log(`\nexit ${code}; ${DOCS} documents in ${(wallMs / 1000).toFixed(1)} s (${Math.round((DOCS * 1000) / wallMs)} docs/s)`);
    console.log(`summary: ${JSON.stringify(summary)}`);
    console.log(`results: ${lines.length} lines, ${ids.size} distinct ids -> ${lines.length === DOCS && ids.size === DOCS ? 'one result per document' : 'MISMATCH'}`);
    console.log(`broker at the end: used_memory ${memory}; completed jobs kept ${completed} (retention), waiting ${waiting}`);
  } finally {
    redis.disconnect();
    await cache.stop();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
