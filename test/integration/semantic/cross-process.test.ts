import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { cleanEnv, tempDir } from '../../helpers/cli.js';
import { uniqueName } from '../../helpers/redis.js';
import { useRedis } from '../../helpers/use-redis.js';
import { labelledCorpus, oracle, shuffled, startWorker, writeDocs } from './helpers.js';

/*
 * Near-duplicates served across worker processes, through the L2 semantic index.
 *
 * Worker A (its own process) processes 240 free-prose originals and is stopped. Worker B, a
 * fresh process with an empty L1, then processes a second batch: one formatting-only
 * duplicate of every original (every kind strict mode promises to serve, in turn) and one
 * hard negative of every original (every kind in turn: an antonym, a negation, a unit, a
 * sign, `%`, a name, a date, roles swapped, a sentence appended, punctuation that carries
 * value…). Every hit worker B reports must therefore have come from Redis, and point at a
 * document only worker A saw.
 */

const dir = tempDir('semantic-cross');
const corpus = labelledCorpus({ seed: 11, perDomain: 30 });
const originals = writeDocs(path.join(dir, 'originals.jsonl'), corpus.originals);
const variants = writeDocs(path.join(dir, 'variants.jsonl'), shuffled([...corpus.duplicates, ...corpus.negatives], 11));

const redis = useRedis('broker', 'cache');

describe('semantic lookup across worker processes (real redis-servers, real workers)', () => {
  it('a second worker process serves every formatting-only duplicate of the first one’s documents from L2, and misses every hard negative', async () => {
    const env = cleanEnv({
      BATCHLINE_BROKER_URL: redis.broker.url,
      BATCHLINE_CACHE_URL: redis.cache.url,
      BATCHLINE_QUEUE_PREFIX: `{${uniqueName('sem')}}`,
      BATCHLINE_PIPELINE: 'extract',
      BATCHLINE_CONCURRENCY_DEFAULT: '4',
      BATCHLINE_LOG_LEVEL: 'info',
      // A generous budget: this test is about what is served, not about a slow Redis (the chaos tests are).
      BATCHLINE_CACHE_TIMEOUT_MS: '2000',
    });

    // Phase 1: worker A computes the originals, then stops.
    const workerA = await startWorker(env, dir);
    const originalResults = await workerA.process(originals);
    await workerA.stop();
    expect(originalResults.size).toBe(corpus.originals.length);
    expect([...originalResults.values()].filter((r) => r.cache !== 'miss')).toEqual([]);

    // Worker A left one L2 index entry per original, all under one hash tag (one cluster slot).
    const raw = new Redis(redis.cache.port, '127.0.0.1');
    try {
      const keys = await raw.keys('batchline:sem:*');
      const tags = new Set(keys.map((key) => /\{([^}]+)\}/.exec(key)?.[1]));
      expect(tags.size).toBe(1);
      let entries = 0;
      for (const key of keys) entries += await raw.hlen(key);
      expect(entries).toBe(corpus.originals.length);
    } finally {
      raw.disconnect();
    }

    // Phase 2: worker B, a fresh process, gets the variants.
    const workerB = await startWorker(env, dir);
    expect(workerB.pid).not.toBe(workerA.pid);
    const results = await workerB.process(variants);
    const counters = (await workerB.stop()).counters;
    expect(results.size).toBe(corpus.duplicates.length + corpus.negatives.length);

    const textOf = new Map(corpus.originals.map((d) => [d.id, d.text]));
    const mismatches: string[] = [];
    let semantic = 0;
    let exact = 0;
    let nonExactDuplicates = 0;
    for (const dup of corpus.duplicates) {
      const source = corpus.originals[dup.base]!;
      const line = results.get(dup.id)!;
      const want = oracle(source.text, dup.text);
      const expected = want.exact ? 'exact' : want.semantic ? 'semantic' : 'miss';
      if (!want.exact) nonExactDuplicates++;
      if (line.status !== 'ok' || line.cache !== expected) {
        mismatches.push(`${dup.id}: ${line.cache}, expected ${expected}`);
        continue;
      }
      if (expected === 'miss') continue;
      if (expected === 'semantic') {
        semantic++;
        // Signatures are computed in three processes (A, B, this test) and must agree slot by slot.
        expect(line.similarity, dup.id).toBe(want.score);
        expect(line.difference, dup.id).toBe(want.difference);
      } else exact++;
      // Served the artifact worker A computed for the right original.
      expect(line.sourceId, dup.id).toBe(source.id);
      expect(textOf.has(line.sourceId!)).toBe(true);
      expect(line.artifact, dup.id).toEqual(originalResults.get(source.id)!.artifact);
    }
    expect(mismatches).toEqual([]);
    // Whitespace and re-wrapping variants share the exact key; every other kind is served as a near-duplicate.
    expect(exact).toBeGreaterThan(0);
    expect(semantic).toBe(nonExactDuplicates);
    expect(new Set(corpus.duplicates.map((d) => results.get(d.id)!.difference).filter(Boolean))).toEqual(new Set(['formatting', 'paragraph-order']));

    let wouldBeWrong = 0;
    let similarEnough = 0;
    // Hard negatives: most would pass on similarity alone; each is a miss with its own artifact.
    for (const neg of corpus.negatives) {
      const line = results.get(neg.id)!;
      const want = oracle(corpus.originals[neg.base]!.text, neg.text);
      expect(want, neg.id).toMatchObject({ exact: false, semantic: false });
      if (want.similarEnough) similarEnough++;
      expect({ id: neg.id, status: line.status, cache: line.cache, sourceId: line.sourceId }).toEqual({
        id: neg.id,
        status: 'ok',
        cache: 'miss',
        sourceId: undefined,
      });
      if (JSON.stringify(line.artifact) !== JSON.stringify(originalResults.get(corpus.originals[neg.base]!.id)!.artifact)) wouldBeWrong++;
    }
    expect(similarEnough).toBeGreaterThan(corpus.negatives.length / 2);
    // Serving the original's artifact would have been wrong for these (an antonym, say, may not show in an extract).
    expect(wouldBeWrong).toBeGreaterThan(0);

    // Worker B read every served artifact from L2: its L1 started empty and it never ran those originals.
    expect(counters.hitsL2).toBeGreaterThanOrEqual(semantic + exact);
  });
});
