import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { cleanEnv, readJsonl, runCli, tempDir } from '../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../helpers/redis.js';
import { type LabelledDoc, labelledCorpus, oracle, type ResultLine, startWorker, writeDocs } from '../integration/semantic/helpers.js';

/*
 * Tenants whose scope parts would join into one string (issue 11, item 4), through real
 * worker processes on a real broker and cache Redis. `meta.scope` "acme/eu" with type
 * "invoice" and `meta.scope` "acme" with type "eu/invoice" both used to be the scope
 * "acme/eu/invoice", and the second tenant was served the first one's artifacts. Now
 * neither tenant ever sees the other's, exact or near-duplicate, through L1 (the process
 * that holds the first tenant's entries) or L2 (a fresh process); controls in the first
 * tenant's own scope are still served. A `meta.scope` that is not a non-empty string is a
 * rejected record: tenants 42 and 43 (numbers) used to share the unscoped entries.
 *
 * The fixture pipeline stamps each artifact with the document, scope and type it was made for.
 */

const FIXTURE = path.resolve('test/fixtures/semantic-v1.js');
const dir = tempDir('tenant-scopes');
let broker: RedisServer;
let cache: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
  cache = await startRedis('cache');
});

afterAll(async () => {
  await stopRedis(broker, cache);
});

function env(queuePrefix: string): NodeJS.ProcessEnv {
  return cleanEnv({
    BATCHLINE_BROKER_URL: broker.url,
    BATCHLINE_CACHE_URL: cache.url,
    BATCHLINE_QUEUE_PREFIX: queuePrefix,
    BATCHLINE_PIPELINE: FIXTURE,
    // One job at a time, in queue order: the first tenant's documents are cached before the second's are looked up.
    BATCHLINE_CONCURRENCY_DEFAULT: '1',
    BATCHLINE_LOG_LEVEL: 'info',
    BATCHLINE_CACHE_TIMEOUT_MS: '2000',
  });
}

const EU = { tenant: 'acme/eu', type: 'invoice' } as const;
const ACME = { tenant: 'acme', type: 'eu/invoice' } as const;
type Tenant = typeof EU | typeof ACME;

function as(tenant: Tenant, doc: LabelledDoc, id: string, text = doc.text): LabelledDoc {
  return { ...doc, id, text, type: tenant.type, meta: { scope: tenant.tenant } };
}

type Artifact = { docId: string; scope: string | null; type: string | null };

/**
 * Nothing crossed: every artifact was made for a document of the line's own scope and type,
 * and every hit names a source document of that same scope and type.
 */
function expectNoCrossing(results: Map<string, ResultLine>, docs: readonly LabelledDoc[]): void {
  const byId = new Map(docs.map((doc) => [doc.id, doc]));
  expect(results.size).toBe(docs.length);
  for (const doc of docs) {
    const line = results.get(doc.id)!;
    const artifact = line.artifact as Artifact;
    const mine = { scope: doc.meta?.scope, type: doc.type };
    expect({ id: doc.id, status: line.status, scope: artifact.scope, type: artifact.type }).toEqual({ id: doc.id, status: 'ok', ...mine });
    if (line.cache === 'miss') {
      expect(artifact.docId).toBe(doc.id);
    } else {
      expect(artifact.docId).toBe(line.sourceId);
      // Sources from an earlier batch are not in `docs`; their ids say their tenant (eu-… or acme-…).
      const source = byId.get(line.sourceId ?? '');
      if (source) expect({ scope: source.meta?.scope, type: source.type }, `${doc.id} served from ${line.sourceId}`).toEqual(mine);
      else expect(line.sourceId?.startsWith(doc.meta?.scope === EU.tenant ? 'eu-' : 'acme-'), `${doc.id} served from ${line.sourceId}`).toBe(true);
    }
  }
}

describe('tenants whose scope parts would join into one string', () => {
  it('never share an artifact, exact or near-duplicate, through L1 or L2; the first tenant is still served its own', async () => {
    const queuePrefix = `{${uniqueName('tenant')}}`;
    const { originals, duplicates } = labelledCorpus({ seed: 43, perDomain: 3 });
    const half = Math.floor(originals.length / 2);
    const l1Set = originals.slice(0, half);
    const l2Set = originals.slice(half);

    // Worker A: the first tenant's documents, then (L1 path: this process holds the first tenant's
    // entries) the same texts and their near-duplicates as the second tenant. And the first
    // tenant's documents of the other set, for the L2 check below.
    const first = [
      ...l1Set.map((doc) => as(EU, doc, `eu-${doc.base}`)),
      ...l2Set.map((doc) => as(EU, doc, `eu-${doc.base}`)),
      ...l1Set.map((doc) => as(ACME, doc, `acme-same-${doc.base}`)),
      ...l1Set.map((doc) => as(ACME, doc, `acme-near-${doc.base}`, duplicates[doc.base]!.text)),
    ];
    const workerA = await startWorker(env(queuePrefix), dir);
    const firstResults = await workerA.process(writeDocs(path.join(dir, 'first.jsonl'), first));
    await workerA.stop();
    expectNoCrossing(firstResults, first);
    for (const doc of l1Set) expect(firstResults.get(`acme-same-${doc.base}`)?.cache, `acme-same-${doc.base}`).toBe('miss');

    // Worker B, a fresh process: all it can learn of the first tenant comes from the cache Redis.
    const controls = l2Set.map((doc) => as(EU, doc, `eu-again-${doc.base}`, duplicates[doc.base]!.text));
    const crossing = [
      ...l2Set.map((doc) => as(ACME, doc, `acme-same-${doc.base}`)),
      ...l2Set.map((doc) => as(ACME, doc, `acme-near-${doc.base}`, duplicates[doc.base]!.text)),
    ];
    const second = [...controls, ...crossing];
    const workerB = await startWorker(env(queuePrefix), dir);
    const secondResults = await workerB.process(writeDocs(path.join(dir, 'second.jsonl'), second));
    await workerB.stop();
    expectNoCrossing(secondResults, second);
    for (const doc of l2Set) expect(secondResults.get(`acme-same-${doc.base}`)?.cache, `acme-same-${doc.base}`).toBe('miss');
    // Controls: the first tenant's near-duplicates are served from its own documents, as the lookup decides.
    let served = 0;
    for (const doc of l2Set) {
      const want = oracle(doc.text, duplicates[doc.base]!.text);
      const line = secondResults.get(`eu-again-${doc.base}`)!;
      const kind = want.exact ? 'exact' : want.semantic ? 'semantic' : 'miss';
      expect({ id: line.id, cache: line.cache, sourceId: line.sourceId }).toEqual({ id: line.id, cache: kind, sourceId: kind === 'miss' ? undefined : `eu-${doc.base}` });
      if (kind !== 'miss') served++;
    }
    expect(served).toBeGreaterThan(l2Set.length / 2);
  }, 120_000);

  it('`run`: meta.scope 42 (a number) or "" is a rejected record with file, line and reason; tenants "42" and "43" stay apart', async () => {
    const queuePrefix = `{${uniqueName('tenant')}}`;
    const text = 'Invoice INV-2026-00042\nCustomer: Acme GmbH\nAmount due: $142.00\nPayment is due within 30 days of the invoice date.';
    const input = path.join(dir, 'numbers.jsonl');
    const docs = [
      { id: 'tenant-42-number', text, meta: { scope: 42 } },
      { id: 'tenant-43-number', text, meta: { scope: 43 } },
      { id: 'tenant-empty', text, meta: { scope: '' } },
      { id: 'tenant-42', text, meta: { scope: '42' } },
      { id: 'tenant-43', text, meta: { scope: '43' } },
      { id: 'tenant-42-again', text, meta: { scope: '42' } },
    ];
    writeFileSync(input, `${docs.map((doc) => JSON.stringify(doc)).join('\n')}\n`);
    const out = path.join(dir, 'out');
    const batchId = uniqueName('tn');
    const args = ['run', input, '--json', '--out', out, '--batch-id', batchId, '--workers', '1', '--concurrency', '1', '--pipeline', FIXTURE];
    const result = await runCli(args, { env: env(queuePrefix), cwd: dir });
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 3, ok: 3, failed: 0, rejected: 3 });

    const errors = readJsonl<{ batchId: string; file: string; line: number; reason: string }>(readFileSync(path.join(out, `${batchId}.errors.jsonl`), 'utf8'));
    expect(errors).toEqual([
      { batchId, file: input, line: 1, reason: '"meta.scope" must be a non-empty string (it isolates cached artifacts), got a number' },
      { batchId, file: input, line: 2, reason: '"meta.scope" must be a non-empty string (it isolates cached artifacts), got a number' },
      { batchId, file: input, line: 3, reason: expect.stringMatching(/^"meta\.scope" is empty/) },
    ]);
    const lines = new Map(readJsonl<ResultLine>(readFileSync(path.join(out, `${batchId}.jsonl`), 'utf8')).map((line) => [line.id, line]));
    expect([...lines.keys()].sort()).toEqual(['tenant-42', 'tenant-42-again', 'tenant-43']);
    expect(lines.get('tenant-42')).toMatchObject({ cache: 'miss', artifact: { docId: 'tenant-42', scope: '42' } });
    expect(lines.get('tenant-43')).toMatchObject({ cache: 'miss', artifact: { docId: 'tenant-43', scope: '43' } });
    expect(lines.get('tenant-42-again')).toMatchObject({ cache: 'exact', sourceId: 'tenant-42', artifact: { docId: 'tenant-42', scope: '42' } });

    // Nothing in the cache Redis is keyed without a scope: the rejected records never reached it.
    const raw = new Redis(cache.port, '127.0.0.1');
    try {
      const artifactKeys = await raw.keys('batchline:semantic-fixture:1:*:a:*');
      expect(artifactKeys.length).toBeGreaterThanOrEqual(2);
      expect(artifactKeys.filter((key) => key.startsWith('batchline:semantic-fixture:1:-:'))).toEqual([]);
    } finally {
      raw.disconnect();
    }
  }, 120_000);
});
