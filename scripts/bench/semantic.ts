/**
 * Semantic lookup benchmark: `npm run bench -- semantic`
 * (or `node --import tsx scripts/bench/semantic.ts`).
 *
 * Documents come from the accuracy harness's generator (invoices, support e-mails, contract
 * renewals, shipping notices, payment reminders; ~110–170 words each), signed with the
 * default settings (strict mode; BENCH_MODE=similar measures the opt-in mode). At each index size (1k, 10k, 100k documents in one scope) it measures:
 * - L1: `SemanticIndex.query` in process (bounded at the index size here; the default
 *   production bound is `semantic.l1MaxEntries` = 20k);
 * - L2: `SemanticLookup.find` as a worker does it when its L1 does not hold the document
 *   (a fresh process): an L1 miss, then the Redis store through the cache's breaker-guarded
 *   hash operations (`cache.l2`), against a redis-server on loopback started here;
 * - brute force: a scan over the same fingerprints (and, in similar mode, signatures), the
 *   strongest index-free baseline;
 * - index memory per document: L1 as V8 heap + external (typed arrays) growth after a full
 *   GC, L2 as the `used_memory` growth in Redis and the mean `MEMORY USAGE` of its buckets.
 * Queries are a third each: near-duplicates of indexed documents (should hit), hard
 * negatives of indexed documents (one value changed: must miss) and unindexed documents.
 * Latencies are per query on an already prepared text; preparing (canonicalise, shingle,
 * sign, salient tokens) is paid once per document whatever the index size, reported apart.
 *
 * Environment: BENCH_MODE (strict), BENCH_SIZES (1000,10000,100000), BENCH_QUERIES (3000 per size, L1 and L2),
 * BENCH_BRUTE_QUERIES (600 per size).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createClient } from '@redis/client';
import { createCache } from '../../src/cache/create-cache.js';
import { systemClock } from '../../src/time.js';
import { configSchema } from '../../src/config/schema.js';
import { silentLogger } from '../../src/log.js';
import { RedisServer } from '../../src/redis/redis-server.js';
import {
  type PreparedText,
  RedisSemanticStore,
  resolveSemanticSettings,
  SemanticIndex,
  SemanticLookup,
  SemanticSigner,
} from '../../src/semantic/index.js';
import { generateDocuments } from '../eval/corpus.js';
import { envInt } from './bench-env.js';


const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
if (SIZES.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('BENCH_SIZES must be positive integers, e.g. 1000,10000');
SIZES.sort((a, b) => a - b);
const QUERIES = envInt('BENCH_QUERIES', 3_000);
const BRUTE_QUERIES = envInt('BENCH_BRUTE_QUERIES', 600);
const MAX = SIZES[SIZES.length - 1]!;
/** Unindexed documents, for queries that find nothing. */
const FRESH = Math.ceil(QUERIES / 3);
const SEED = 20_260_101;
const SCOPE = { pipeline: 'bench', version: '1' };
const TTL_MS = 3_600_000;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Heap plus typed-array backing stores after a full collection. */
function memory(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
function stats(ms: number[]): { p50: number; p99: number } {
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}
const fmt = (ms: number) => (ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(3)} ms`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
const now = () => Number(process.hrtime.bigint()) / 1e6;
const log = (line: string) => process.stdout.write(`${line}\n`);

const MODE = process.env.BENCH_MODE === 'similar' ? 'similar' : 'strict';
const defaults = configSchema.parse({});
const settings = resolveSemanticSettings({ ...defaults.semantic, mode: MODE });
const signer = new SemanticSigner(settings);

// --- Corpus: sign every document once; keep near-duplicate and negative texts only for a sample.
const started = now();
const docs: PreparedText[] = [];
/** Index of the source document → its prepared near-duplicate and hard negative. */
const variants = new Map<number, { duplicate: PreparedText; negative: PreparedText }>();
const prepareMs: number[] = [];
/** Enough variants below every size: all of the first 1k documents, then thinner. */
const keepVariant = (i: number) => i < 1_000 || (i < 10_000 && i % 10 === 0) || i % 100 === 0;
let i = 0;
for (const generated of generateDocuments(SEED, MAX + FRESH)) {
  const t0 = now();
  const prepared = signer.prepare(generated.text);
  if (i % 50 === 0) prepareMs.push(now() - t0);
  if (!prepared.eligible) throw new Error('generated document too short');
  docs.push(prepared);
  if (i < MAX && keepVariant(i)) {
    variants.set(i, { duplicate: signer.prepare(generated.duplicate), negative: signer.prepare(generated.negative) });
  }
  i++;
}
const prepare = stats(prepareMs);
log(
  `${MAX + FRESH} documents generated and signed in ${((now() - started) / 1000).toFixed(1)} s; ` +
    `prepare (strict form and digest; similar mode: shingle, sign, salient tokens) per document p50 ${fmt(prepare.p50)}, p99 ${fmt(prepare.p99)}`,
);
log(
  `settings: mode ${settings.mode}, shingles of ${settings.shingleSize} words, ` +
    `${settings.mode === 'strict' ? 'one index key per canonical-form digest, no MinHash' : `threshold ${settings.threshold}, ${settings.permutations} permutations, LSH ${signer.banding.bands} bands × ${signer.banding.rows} rows`}; queries per size: ${QUERIES} (L1, L2), ${BRUTE_QUERIES} (brute force)\n`,
);

type Query = { prepared: PreparedText; kind: 'duplicate' | 'negative' | 'fresh'; source: number };

/** A third each: near-duplicates and hard negatives of indexed documents, unindexed documents. */
function queriesFor(size: number, count: number): Query[] {
  const sources = [...variants.keys()].filter((k) => k < size);
  const per = Math.ceil(count / 3);
  const out: Query[] = [];
  for (let k = 0; k < per; k++) {
    const source = sources[Math.floor((k * sources.length) / per)]!;
    const v = variants.get(source)!;
    out.push({ prepared: v.duplicate, kind: 'duplicate', source }, { prepared: v.negative, kind: 'negative', source });
    out.push({ prepared: docs[MAX + (k % FRESH)]!, kind: 'fresh', source: -1 });
  }
  return out.slice(0, count);
}

const keyOf = (n: number) => `bench:a:${n}`;

/** A copy of what the index keeps, so the memory it owns is counted (the corpus keeps its own). */
function ownCopy(p: PreparedText): PreparedText {
  return { ...p, signature: p.signature.slice(), fingerprint: Buffer.from(p.fingerprint).toString() };
}

/** The scan an index-free lookup would do over the same signatures. */
function bruteForce(query: PreparedText, size: number): number {
  let best = -1;
  let bestEqual = -1;
  for (let n = 0; n < size; n++) {
    const entry = docs[n]!;
    if (entry.fingerprint !== query.fingerprint) continue;
    const score = signer.judge(query, entry)?.score ?? -1;
    if (score > bestEqual) {
      best = n;
      bestEqual = score;
    }
  }
  return best;
}

// --- L2: a cache Redis on loopback, the production cache wiring and store.
const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-bench-semantic-'));
const server = await RedisServer.start({ dir, role: 'cache' });
const namespace = `bench-${process.pid}`;
const cache = createCache({ ...configSchema.parse({}).cache, namespace }, { url: server.url, logger: silentLogger, clock: systemClock });
// Measuring only (INFO, MEMORY USAGE): a client of the bench's own; the store goes through the cache.
const probe = createClient({ url: server.url });
probe.on('error', () => {});
await probe.connect();
interface Row {
  size: number;
  l1: { p50: number; p99: number };
  l2: { p50: number; p99: number };
  brute: { p50: number; p99: number };
  l1Bytes: number;
  l2InfoBytes: number;
  l2KeyBytes: number;
  check: string;
}
const rows: Row[] = [];
try {
  if (!(await cache.ready(5_000))) throw new Error('cache redis did not connect');
  const store = new RedisSemanticStore({ hashes: cache.l2, namespace, signatureLength: signer.signatureLength, maxBucketEntries: defaults.semantic.maxBucketEntries });
  // An L1 that never holds what is asked (bounded at one entry): every lookup goes on to Redis.
  const l2Lookup = new SemanticLookup({ l1: new SemanticIndex({ signer, maxEntries: 1 }), l2: store, l1TtlCapMs: defaults.cache.l1.ttlCapMs });
  const indexId = signer.indexId(SCOPE);
  const info = async () => {
    const text = await probe.info('memory');
    return Number(/used_memory:(\d+)/.exec(String(text))?.[1]);
  };
  const l2Before = await info();
  let inL2 = 0;

  for (const size of SIZES) {
    // L1: a fresh index of `size` documents, memory measured around building it.
    const before = memory();
    const l1 = new SemanticIndex({ signer, maxEntries: size });
    for (let n = 0; n < size; n++) l1.add(ownCopy(docs[n]!), SCOPE, { key: keyOf(n), docId: String(n), ttlMs: TTL_MS });
    const l1Bytes = (memory() - before) / size;

    // L2: add the documents not stored yet (the Redis index grows across sizes), 64 writes in flight.
    const writing: Promise<boolean>[] = [];
    for (; inL2 < size; inL2++) {
      const n = inL2;
      writing.push(l2Lookup.remember(docs[n]!, SCOPE, { key: keyOf(n), docId: String(n), ttlMs: TTL_MS }));
      if (writing.length >= 64) {
        const stored = await Promise.all(writing.splice(0));
        if (stored.includes(false)) throw new Error('an L2 write failed');
      }
    }
    if ((await Promise.all(writing)).includes(false)) throw new Error('an L2 write failed');
    const l2InfoBytes = ((await info()) - l2Before) / size;
    let sampled = 0;
    let keyBytes = 0;
    for (let n = 0; n < size; n += Math.max(1, Math.floor(size / 500))) {
      const bytes = await probe.memoryUsage(store.bucketKey(indexId, docs[n]!.fingerprint), { SAMPLES: 0 });
      keyBytes += Number(bytes ?? 0);
      sampled++;
    }

    // Latencies. Warm up first (JIT, connections), then time each query.
    const queries = queriesFor(size, QUERIES);
    for (const q of queries.slice(0, 300)) {
      l1.query(q.prepared, SCOPE);
      await l2Lookup.find(q.prepared, SCOPE);
    }
    const l1Ms: number[] = [];
    const l2Ms: number[] = [];
    let l1Right = 0;
    let l2Right = 0;
    let wrong = 0;
    for (const q of queries) {
      const t0 = now();
      const hit = l1.query(q.prepared, SCOPE);
      l1Ms.push(now() - t0);
      const t1 = now();
      const hit2 = await l2Lookup.find(q.prepared, SCOPE);
      l2Ms.push(now() - t1);
      if (q.kind === 'duplicate') {
        if (hit?.key === keyOf(q.source)) l1Right++;
        if (hit2?.key === keyOf(q.source)) l2Right++;
      } else if (hit || hit2) wrong++;
    }
    const bruteMs: number[] = [];
    let disagree = 0;
    const bruteQueries = queriesFor(size, BRUTE_QUERIES);
    for (const q of bruteQueries.slice(0, 30)) bruteForce(q.prepared, size);
    for (const q of bruteQueries) {
      const t0 = now();
      const best = bruteForce(q.prepared, size);
      bruteMs.push(now() - t0);
      const hit = l1.query(q.prepared, SCOPE);
      if ((best >= 0 ? keyOf(best) : undefined) !== hit?.key) disagree++;
    }
    const duplicates = queries.filter((q) => q.kind === 'duplicate').length;
    rows.push({
      size,
      l1: stats(l1Ms),
      l2: stats(l2Ms),
      brute: stats(bruteMs),
      l1Bytes,
      l2InfoBytes,
      l2KeyBytes: keyBytes / sampled,
      check:
        `near-duplicates served L1 ${l1Right}/${duplicates}, L2 ${l2Right}/${duplicates}; hits on hard negatives or unindexed ${wrong}; ` +
        `L1 answer ≠ brute force on ${disagree}/${bruteQueries.length}`,
    });
    log(`${size} indexed: done (${((now() - started) / 1000).toFixed(0)} s)`);
    l1.clear();
  }
} finally {
  probe.destroy();
  await cache.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

log('');
log('| indexed docs | L1 p50 / p99 | L2 p50 / p99 | brute force p50 / p99 | brute / L1 (p50) | brute / L2 (p50) | L1 memory / doc | L2 memory / doc (INFO Δ; MEMORY USAGE) |');
log('|---:|---|---|---|---:|---:|---:|---|');
for (const r of rows) {
  log(
    `| ${r.size.toLocaleString('en-US')} | ${fmt(r.l1.p50)} / ${fmt(r.l1.p99)} | ${fmt(r.l2.p50)} / ${fmt(r.l2.p99)} | ${fmt(r.brute.p50)} / ${fmt(r.brute.p99)} | ` +
      `${(r.brute.p50 / r.l1.p50).toFixed(0)}× | ${(r.brute.p50 / r.l2.p50).toFixed(1)}× | ${kb(r.l1Bytes)} | ${kb(r.l2InfoBytes)}; ${kb(r.l2KeyBytes)} |`,
  );
}
const first = rows[0]!;
const last = rows[rows.length - 1]!;
if (rows.length > 1) {
  const growth = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
  log(
    `\ngrowth ${first.size.toLocaleString('en-US')} → ${last.size.toLocaleString('en-US')} documents (${last.size / first.size}× more), p50: ` +
      `L1 ${growth(first.l1.p50, last.l1.p50)}, L2 ${growth(first.l2.p50, last.l2.p50)}, brute force ${growth(first.brute.p50, last.brute.p50)}`,
  );
}
const l1Target = last.l1.p50 < 1 ? 'met' : 'MISSED';
const l2Target = last.l2.p50 < 3 ? 'met' : 'MISSED';
log(`targets at ${last.size.toLocaleString('en-US')}: L1 p50 < 1 ms ${l1Target}; L2 p50 < 3 ms ${l2Target}`);
log('\nchecks (same lookups as timed):');
for (const r of rows) log(`  ${r.size.toLocaleString('en-US')}: ${r.check}`);
log(`\ntotal ${((now() - started) / 1000).toFixed(0)} s`);
