/**
 * What the cache costs a worker: `npm run bench -- cache-cost`.
 *
 * 1. The built-in `extract` pipeline (0.4–0.6 ms per document on a 2-core VM) through
 *    `batchline run` with 2 worker processes × 8 jobs, over BENCH_DOCS (12,000) free-prose
 *    documents of which half are exact repeats, shuffled. Modes, alternating for
 *    BENCH_ROUNDS (5) rounds: `--no-cache` (the baseline), the cache Redis dead (a closed
 *    port), hung from the start (SIGSTOP), and healthy (emptied before each run). Reported:
 *    the batch wall time and the CPU time of `run` with its workers, each against the
 *    baseline. Target: dead and hung ≤ 1.05× the baseline's batch wall time; healthy faster
 *    than the baseline.
 * 2. A CPU-bound pipeline (`extract` plus 15 ms of synchronous work per document, 8 jobs per
 *    process) with a healthy cache: breaker transitions (target 0) and repeats served
 *    (target ≥ 99 %).
 * 3. The cache's own CPU per document, in this process: exact key, strict semantic form.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { inputHash } from '../../src/cache/keys.js';
import { configSchema } from '../../src/config/schema.js';
import { findFreePort } from '../../src/redis/free-port.js';
import { RedisServer } from '../../src/redis/redis-server.js';
import { resolveSemanticSettings, SemanticSigner } from '../../src/semantic/index.js';
import { buildProseCorpus } from '../eval/prose-corpus.js';
import { Rng } from '../eval/random.js';
import { envInt } from './bench-env.js';
import { benchEnv, median, runBatch } from './run-batch.js';

const DOCS = envInt('BENCH_DOCS', 12_000);
const CPU_DOCS = envInt('BENCH_CPU_DOCS', 3_000);
const ROUNDS = envInt('BENCH_ROUNDS', 5);
const WORKERS = ['--workers', '2', '--concurrency', '8'];

/** `count` documents, half of them exact repeats of the other half, shuffled. */
function corpus(dir: string, count: number, name: string): { file: string; texts: string[] } {
  const originals = buildProseCorpus(7, Math.ceil(count / 16)).originals.map((o) => o.text).slice(0, Math.ceil(count / 2));
  const rng = new Rng(11);
  const texts = rng.shuffle([...originals, ...originals.slice(0, count - originals.length)]);
  const file = path.join(dir, name);
  writeFileSync(file, `${texts.map((text, i) => JSON.stringify({ id: `doc-${i}`, text })).join('\n')}\n`);
  return { file, texts };
}

const breakerChanges = (stderr: string) =>
  stderr.split('\n').filter((line) => line.includes('"cache breaker state change"') && !line.includes('"to":"HEALTHY"')).length;

const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-bench-cache-cost-'));
const broker = await RedisServer.start({ dir: path.join(dir, 'broker'), role: 'broker' });
const cache = await RedisServer.start({ dir: path.join(dir, 'cache'), role: 'cache' });
const hung = await RedisServer.start({ dir: path.join(dir, 'hung'), role: 'cache' });
hung.signal('SIGSTOP');
const cacheClient = new Redis(cache.url);
try {
  const { file, texts } = corpus(dir, DOCS, 'batch.jsonl');
  const base = benchEnv({ BATCHLINE_LOG_LEVEL: 'error', BATCHLINE_BROKER_URL: broker.url });
  const out = ['--out', path.join(dir, 'out')];
  const modes: Record<string, { env: NodeJS.ProcessEnv; args: string[] }> = {
    '--no-cache': { env: base, args: ['--no-cache'] },
    'cache dead': { env: { ...base, BATCHLINE_CACHE_URL: `redis://127.0.0.1:${await findFreePort()}` }, args: [] },
    'cache hung': { env: { ...base, BATCHLINE_CACHE_URL: hung.url }, args: [] },
    'cache healthy': { env: { ...base, BATCHLINE_CACHE_URL: cache.url }, args: [] },
  };
  const walls: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((name) => [name, []]));
  // CPU time of `run` and its workers: steadier than wall time on a shared machine.
  const cpus: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((name) => [name, []]));
  const served: Record<string, string> = {};
  process.stdout.write(`1. extract, ${DOCS} documents (half exact repeats), 2 workers × 8 jobs, ${ROUNDS} alternating rounds\n`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, mode] of Object.entries(modes)) {
      await cacheClient.flushall();
      const { summary, cpuMs } = await runBatch(file, mode.env, [...out, ...WORKERS, ...mode.args]);
      if (summary.ok !== DOCS) throw new Error(`${name}: ${summary.ok} of ${DOCS} documents ok`);
      walls[name]?.push(summary.wallMs);
      cpus[name]?.push(cpuMs);
      served[name] = `${summary.cache.exact} / ${summary.cache.semantic} / ${summary.cache.miss}`;
      process.stdout.write(`  round ${round + 1} ${name}: ${(summary.wallMs / 1000).toFixed(2)} s, CPU ${(cpuMs / 1000).toFixed(2)} s\n`);
    }
  }
  const baseline = median(walls['--no-cache'] ?? []);
  const cpuBaseline = median(cpus['--no-cache'] ?? []);
  const lines = [
    '',
    '| mode | batch wall time (median) | vs --no-cache | CPU time of run + workers (median) | vs --no-cache | served exact / semantic / miss (last round) |',
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const [name, list] of Object.entries(walls)) {
    const cpu = median(cpus[name] ?? []);
    lines.push(
      `| ${name} | ${(median(list) / 1000).toFixed(2)} s | ${(median(list) / baseline).toFixed(3)}× | ${(cpu / 1000).toFixed(2)} s | ${(cpu / cpuBaseline).toFixed(3)}× | ${served[name]} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  const cpu = corpus(dir, CPU_DOCS, 'cpu.jsonl');
  await cacheClient.flushall();
  const pipeline = path.resolve('test/fixtures/cpu-bound-pipeline.js');
  const { summary, stderr } = await runBatch(
    cpu.file,
    { ...base, BATCHLINE_CACHE_URL: cache.url, BATCHLINE_LOG_LEVEL: 'info', CPU_PIPELINE_MS: '15' },
    [...out, ...WORKERS, '--pipeline', pipeline],
  );
  const repeats = CPU_DOCS - new Set(cpu.texts).size;
  const hits = summary.cache.exact + summary.cache.semantic;
  process.stdout.write(
    `\n2. CPU-bound pipeline (extract + 15 ms synchronous), ${CPU_DOCS} documents, ${repeats} repeats, healthy cache: ` +
      `breaker transitions ${breakerChanges(stderr)} (target 0); repeats served ${hits} = ${((100 * hits) / repeats).toFixed(1)} % (target ≥ 99 %)\n`,
  );

  const signer = new SemanticSigner(resolveSemanticSettings(configSchema.parse({}).semantic));
  const sample = texts.slice(0, 2_000);
  const perDoc = (fn: (text: string) => unknown) => {
    for (const text of sample) fn(text);
    const started = performance.now();
    for (const text of sample) fn(text);
    return (((performance.now() - started) / sample.length) * 1000).toFixed(0);
  };
  process.stdout.write(
    `\n3. the cache's CPU per document (this process, ${sample.length} documents of ~170 words): ` +
      `exact key ${perDoc(inputHash)} µs, strict semantic form ${perDoc((text) => signer.prepare(text))} µs\n`,
  );
} finally {
  cacheClient.disconnect();
  hung.signal('SIGCONT');
  await Promise.all([broker.stop(), cache.stop(), hung.stop()]);
  rmSync(dir, { recursive: true, force: true });
}
