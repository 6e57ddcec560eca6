/**
 * LLM benchmark: `npm run bench -- llm`. What the cache saves when the pipeline is an LLM
 * call. The stand-in chat completions server answers after ~800 ms (BENCH_LLM_LATENCY_MS);
 * a batch of 200 documents (BENCH_LLM_DOCS) is 50 % originals, 30 % exact repeats and 20 %
 * near-duplicates (label casing, punctuation and one reworded phrase changed; every number,
 * date, amount and id the same, so the semantic guard lets them through), in a seeded
 * random order. `batchline run` with 2 worker processes × 8 jobs each processes it with
 * the cache healthy (emptied before each run), with `--no-cache`, and with the cache Redis
 * dead (its URL at a closed port: only each process's own L1 is left). Figures: batch wall
 * time and LLM requests, median over BENCH_ROUNDS (3) rounds, the three alternating.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { inputHash } from '../../src/cache/keys.js';
import { findFreePort } from '../../src/redis/free-port.js';
import { RedisServer } from '../../src/redis/redis-server.js';
import { seededRandom as mulberry32 } from '../lib/seeded-random.js';
import { startStandIn } from '../llm-stand-in.js';
import { envInt } from './bench-env.js';
import { benchEnv, median, type RunSummary, runBatch } from './run-batch.js';


const DOCS = envInt('BENCH_LLM_DOCS', 200);
const LATENCY_MS = envInt('BENCH_LLM_LATENCY_MS', 800);
const ROUNDS = envInt('BENCH_ROUNDS', 3);
const WORKERS = 2;
const CONCURRENCY = 8;


const customers = ['Northwind Traders', 'Globex GmbH', 'Initech Ltd', 'Umbrella Logistics', 'Stark Supplies', 'Wayne Foods', 'Acme Tools'];

function original(n: number): string {
  const customer = customers[n % customers.length];
  return [
    `Invoice No.: INV-${40_000 + n}`,
    `Invoice Date: 2024-0${(n % 9) + 1}-${String((n % 27) + 1).padStart(2, '0')}`,
    `Customer: ${customer} (account C-${1_000 + n})`,
    `PO Number: PO-${7_000 + (n % 50)}`,
    `Amount due: EUR ${(120 + n * 17.35).toFixed(2)}`,
    '',
    `Dear ${customer} team, please find enclosed the invoice for the consulting services delivered last month,`,
    'as agreed in the framework contract. Payment is due within 30 days of the invoice date by bank transfer',
    'to the account named on our letterhead. Please quote the invoice number with your payment.',
    'Thank you for your business, and do not hesitate to contact our accounts team with any question.',
  ].join('\n');
}

/** Same facts, different surface: label casing, punctuation, one reworded phrase. */
function nearDuplicate(text: string): string {
  return text
    .replace(/^([A-Za-z. ]+):/gm, (_, label: string) => `${label.toUpperCase()}:`)
    .replace('Thank you for your business,', 'Thanks for your business;')
    .replace('as agreed in the framework contract.', 'as agreed in the framework contract!');
}

function corpus(dir: string): { file: string; distinct: number } {
  const random = mulberry32(42);
  const originals = Math.round(DOCS * 0.5);
  const exact = Math.round(DOCS * 0.3);
  const docs: { id: string; text: string }[] = [];
  for (let n = 0; n < originals; n++) docs.push({ id: `orig-${n}`, text: original(n) });
  for (let i = 0; i < exact; i++) {
    const n = Math.floor(random() * originals);
    docs.push({ id: `exact-${i}-of-${n}`, text: original(n) });
  }
  for (let i = 0; docs.length < DOCS; i++) {
    const n = Math.floor(random() * originals);
    docs.push({ id: `near-${i}-of-${n}`, text: nearDuplicate(original(n)) });
  }
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [docs[i], docs[j]] = [docs[j] as (typeof docs)[number], docs[i] as (typeof docs)[number]];
  }
  const file = path.join(dir, 'llm-batch.jsonl');
  writeFileSync(file, `${docs.map((doc) => JSON.stringify(doc)).join('\n')}\n`);
  // Two near-duplicates of one original are exact repeats of each other: the fewest calls
  // a cache that serves only exact repeats can make is the number of distinct exact keys.
  return { file, distinct: new Set(docs.map((doc) => inputHash(doc.text))).size };
}

interface Run {
  wallMs: number;
  calls: number;
  summary: RunSummary;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-bench-llm-'));
const broker = await RedisServer.start({ dir: path.join(dir, 'broker'), role: 'broker' });
const cache = await RedisServer.start({ dir: path.join(dir, 'cache'), role: 'cache' });
const standIn = await startStandIn({ latencyMs: LATENCY_MS, promptTokens: 600, completionTokens: 120 });
const cacheClient = new Redis(cache.url);
try {
  const { file: input, distinct } = corpus(dir);
  const deadUrl = `redis://127.0.0.1:${await findFreePort()}`; // nothing listens there
  const base = benchEnv({
    BATCHLINE_LOG_LEVEL: 'error',
    BATCHLINE_BROKER_URL: broker.url,
    BATCHLINE_LLM_BASE_URL: standIn.url,
    BATCHLINE_LLM_MODEL: 'stand-in',
  });
  const modes = {
    'cache on': { env: { ...base, BATCHLINE_CACHE_URL: cache.url }, args: [] as string[] },
    '--no-cache': { env: base, args: ['--no-cache'] },
    'cache dead': { env: { ...base, BATCHLINE_CACHE_URL: deadUrl }, args: [] as string[] },
  };
  const runs: Record<string, Run[]> = { 'cache on': [], '--no-cache': [], 'cache dead': [] };
  process.stdout.write(
    `${DOCS} documents (50 % originals, 30 % exact repeats, 20 % near-duplicates), stand-in latency ${LATENCY_MS} ms, ` +
      `${WORKERS} workers × ${CONCURRENCY} jobs, ${ROUNDS} rounds; ${distinct} distinct documents (exact keys)\n\n`,
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, mode] of Object.entries(modes)) {
      await cacheClient.flushall();
      standIn.reset();
      const started = performance.now();
      const { summary } = await runBatch(input, mode.env, ['--out', path.join(dir, 'out'), '--queue', 'batch', '--workers', String(WORKERS), '--concurrency', String(CONCURRENCY), ...mode.args]);
      const wallMs = performance.now() - started;
      if (summary.ok !== DOCS) throw new Error(`${name}: ${summary.ok} of ${DOCS} documents ok`);
      runs[name]?.push({ wallMs, calls: standIn.stats().requests, summary });
      process.stdout.write(`round ${round + 1} ${name}: ${(wallMs / 1000).toFixed(1)} s, ${standIn.stats().requests} LLM calls\n`);
    }
  }

  const baseline = runs['--no-cache'] ?? [];
  const baseWall = median(baseline.map((r) => r.wallMs));
  const baseCalls = median(baseline.map((r) => r.calls));
  const lines = [
    '',
    '| mode | batch wall time (median) | speed-up vs --no-cache | LLM calls (median) | calls vs --no-cache | served exact / semantic / miss (last round) |',
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const [name, list] of Object.entries(runs)) {
    const wall = median(list.map((r) => r.wallMs));
    const calls = median(list.map((r) => r.calls));
    const last = list[list.length - 1]?.summary.cache;
    lines.push(
      `| ${name} | ${(wall / 1000).toFixed(1)} s | ${(baseWall / wall).toFixed(2)}× | ${calls} | ${((100 * calls) / baseCalls).toFixed(0)} % | ${last?.exact} / ${last?.semantic} / ${last?.miss} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const on = runs['cache on'] ?? [];
  const onCalls = median(on.map((r) => r.calls));
  const onWall = median(on.map((r) => r.wallMs));
  const callsMet = onCalls <= distinct * 1.01;
  const wallMet = onWall <= baseWall;
  process.stdout.write(
    `\ncache on: ${onCalls} LLM calls for ${distinct} distinct documents (target <= ${(distinct * 1.01).toFixed(1)}: ${callsMet ? 'met' : 'NOT met'}); ` +
      `wall ${(onWall / 1000).toFixed(1)} s vs --no-cache ${(baseWall / 1000).toFixed(1)} s (target no worse: ${wallMet ? 'met' : 'NOT met'})\n`,
  );
} finally {
  cacheClient.disconnect();
  await standIn.close();
  await broker.stop();
  await cache.stop();
  rmSync(dir, { recursive: true, force: true });
}
