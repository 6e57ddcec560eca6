import { afterEach, describe, expect, it } from 'vitest';
import type { Cache } from '../../../src/cache/index.js';
import { silentLogger } from '../../../src/log.js';
import {
  createPatternLookup,
  type LearnSettings,
  learnPatterns,
  type PatternScope,
  PatternStore,
  patternIndexKey,
  patternKey,
  type ResultSource,
} from '../../../src/patterns/index.js';
import { extractPipeline } from '../../../src/pipeline/extract/index.js';
import { type PipelineFinder, pipelineFinder } from '../../../src/pipeline/index.js';
import type { Artifact, PatternLookup, Pipeline } from '../../../src/pipeline/types.js';
import { systemClock } from '../../../src/time.js';
import { startRedis, stopRedis } from '../../helpers/redis.js';
import { useRedis } from '../../helpers/use-redis.js';
import { captureLogger } from '../../unit/breaker/log-capture.js';
import { invoiceText, portalText, shippingText, type TemplateDoc, templateBatch } from '../../unit/patterns/templates.js';
import { makeCache, rawClient, testCacheConfig } from '../cache/helpers.js';

const settings: LearnSettings = { minDocuments: 5, minLabelShare: 0.8, minFieldShare: 0.8, minTypeShare: 0.6 };
const fingerprintOf = (text: string) => (extractPipeline.run({ id: 'f', text }, { signal: new AbortController().signal }) as Artifact).fingerprint as string;
const INVOICE = fingerprintOf(invoiceText(0));
const SHIPPING = fingerprintOf(shippingText(0));
const PORTAL = fingerprintOf(portalText(0));

const redis = useRedis('cache');
const caches: Cache[] = [];

afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

async function openCache(url: string | null = redis.cache.url) {
  const config = testCacheConfig({ opTimeoutMs: 1_000 });
  const cache = makeCache(config, { url: url ?? undefined });
  caches.push(cache);
  await cache.ready(2_000);
  const scope: PatternScope = { namespace: config.namespace, pipeline: extractPipeline.name, version: extractPipeline.version };
  return { cache, namespace: config.namespace, scope, store: new PatternStore(cache, scope) };
}

/** A batch's result lines, as the batch store streams them, from the pipeline run like a worker runs it. */
async function resultsOf(docs: readonly TemplateDoc[], patterns?: PatternLookup): Promise<ResultSource> {
  const lines: string[] = [];
  for (const doc of docs) {
    const artifact = await extractPipeline.run(doc, { signal: new AbortController().signal, ...(patterns ? { patterns } : {}) });
    lines.push(JSON.stringify({ id: doc.id, status: 'ok', cache: 'miss', artifact, pipeline: `${extractPipeline.name}@${extractPipeline.version}` }));
  }
  lines.push(JSON.stringify({ id: 'broken', status: 'failed', cache: 'miss', pipeline: 'extract@1.0.0', error: { code: 'E_PIPELINE' } }), '{not json');
  return {
    async *results() {
      yield* lines;
    },
  };
}

const learn = (batchId: string, results: ResultSource, cache: Cache, namespace: string, pipelines: PipelineFinder = pipelineFinder('extract'), logger = silentLogger) =>
  learnPatterns(batchId, { results, pipelines, cache, namespace, settings, clock: systemClock, logger });

/** A custom pipeline's artifacts: a form name and its filled fields, nothing like `extract`'s. */
const formArtifact = (form: string, values: Record<string, string>): Artifact => ({ form, values, fingerprint: `fp${form}` });

/** A custom pipeline that teaches its templates through its own hook. */
const formsPipeline: Pipeline = {
  name: 'forms',
  version: '2',
  run: () => ({}),
  patterns: {
    fingerprint: (artifact) => (typeof artifact.form === 'string' ? artifact.form : undefined),
    observe(artifact) {
      const values = artifact.values as Record<string, string>;
      if ('boom' in values) throw new Error('a hook bug');
      const labels = Object.keys(values);
      return { fingerprint: artifact.form as string, type: 'invoice', labels, fields: labels.map((label) => `values.${label}`), labelFields: labels.map((label) => [label, `values.${label}`] as const) };
    },
  },
};
/** One whose artifacts carry an `extract`-like fingerprint, but no hook: nothing is learned from it. */
const plainPipeline: Pipeline = { name: 'plain', version: '1', run: () => ({}) };

function linesOf(pipeline: string, artifacts: readonly Artifact[]): string[] {
  return artifacts.map((artifact, i) => JSON.stringify({ id: `${pipeline}-${i}`, status: 'ok', cache: 'miss', artifact, pipeline }));
}

describe('learning patterns into the cache', () => {
  it('learns one pattern per template seen often enough, findable by the index and the workers’ lookup', async () => {
    const { cache, namespace, store } = await openCache();
    const docs = [...templateBatch(0, 6), { id: 'rare-1', text: `${invoiceText(1)}\nthis is a second reminder.` }];
    const outcome = await learn('b1', await resultsOf(docs), cache, namespace);
    expect(outcome).toEqual({ status: 'learned', documents: 19, created: 3, updated: 0, unchanged: 0 });

    const patterns = (await store.list()) ?? [];
    expect(patterns.map((p) => p.fingerprint).sort()).toEqual([INVOICE, PORTAL, SHIPPING].sort());
    const invoice = patterns.find((p) => p.fingerprint === INVOICE)!;
    expect(invoice).toMatchObject({ documents: 6, batches: ['b1'], learned: { type: 'invoice', typeShare: 1 } });
    expect(invoice.learned.labelFields).toEqual({ 'amount due': 'total', contact: 'emails', 'invoice no': 'ids.invoice', 'issue date': 'dates' });
    expect(patterns.find((p) => p.fingerprint === SHIPPING)?.learned.type).toBeNull();

    const lookup = createPatternLookup({ cache, scope: store.scope });
    expect(await lookup.get(PORTAL)).toMatchObject({ fingerprint: PORTAL, documents: 6, type: 'support_ticket' });
    expect(await lookup.get('0123456789abcdef')).toBeUndefined();
  });

  it('merges later batches (counts add up), never counts one batch twice, and adds rare documents of known templates', async () => {
    const { cache, namespace, store } = await openCache();
    await learn('b1', await resultsOf(templateBatch(0, 5)), cache, namespace);
    const again = await learn('b1', await resultsOf(templateBatch(0, 5)), cache, namespace);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });

    // Two invoices only (below minDocuments), but the template is known: they count.
    const lookup = createPatternLookup({ cache, scope: store.scope });
    const later = [
      { id: 'fwd', text: invoiceText(40, { forwarded: true }) },
      { id: 'inv', text: invoiceText(41) },
      { id: 'quiet', text: portalText(42, { quiet: true }) },
    ];
    const outcome = await learn('b2', await resultsOf(later, lookup), cache, namespace);
    expect(outcome).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
    const invoice = await store.latest(INVOICE);
    expect(invoice).toMatchObject({ documents: 7, batches: ['b2', 'b1'] });
    // The forwarded invoice's total came from the pattern: it is not learned as the rules' own.
    expect(invoice?.counts.fields.total).toBe(6);
    expect(invoice?.counts.labelFields['amount due']).toEqual({ total: 6, amounts: 1 });
    expect((await store.latest(PORTAL))?.counts.types).toEqual({ support_ticket: 5, other: 1 });
  });

  it('learns through the pattern hook of the pipeline that made each result; a pipeline without one, or unknown here, teaches nothing', async () => {
    const { cache, namespace } = await openCache();
    const invoices = Array.from({ length: 6 }, (_, i) => formArtifact('A', { 'invoice no': `INV-${i}`, total: `${i}.00` }));
    const lines = [
      ...linesOf('forms@2', [...invoices, formArtifact('A', { boom: '1' })]),
      ...linesOf('plain@1', Array.from({ length: 6 }, () => ({ fingerprint: INVOICE, labels: [{ label: 'a', value: 'b' }] }))),
      ...linesOf('gone@1', Array.from({ length: 6 }, () => ({ fingerprint: INVOICE }))),
    ];
    const pipelines: PipelineFinder = async (id) => ({ 'forms@2': formsPipeline, 'plain@1': plainPipeline })[id];
    const { logger, lines: logged } = captureLogger('debug');
    const outcome = await learn('b1', { results: async function* () { yield* lines; } }, cache, namespace, pipelines, logger);
    // Seven forms of template A (the one whose observation throws is counted, never learned from); no other pipeline's.
    expect(outcome).toEqual({ status: 'learned', documents: 7, created: 1, updated: 0, unchanged: 0 });
    const forms = new PatternStore(cache, { namespace, pipeline: 'forms', version: '2' });
    expect((await forms.list())?.map((p) => [p.fingerprint, p.documents, p.learned])).toEqual([
      ['A', 6, { type: 'invoice', typeShare: 1, labels: ['invoice no', 'total'], fields: ['values.invoice no', 'values.total'], labelFields: { 'invoice no': 'values.invoice no', total: 'values.total' } }],
    ]);
    expect(await new PatternStore(cache, { namespace, pipeline: 'plain', version: '1' }).list()).toEqual([]);
    // Said once per pipeline for the batch, not once per result.
    const said = (msg: string) => logged.filter((line) => String(line.msg).startsWith(msg)).map((line) => [line.level, line.pipeline]);
    expect(said('patterns: this pipeline has no pattern hook')).toEqual([[20, 'plain@1']]);
    expect(said('patterns: no pipeline of this id here')).toEqual([[40, 'gone@1']]);
  });

  it('two learners at once lose no counts', async () => {
    const { cache, namespace, store } = await openCache();
    await learn('b0', await resultsOf(templateBatch(0, 5)), cache, namespace);
    const other = await openCache(); // another worker process: its own client and L1
    const batches = [1, 2, 3, 4].map((i) => templateBatch(i * 10, 5));
    const results = await Promise.all(batches.map((docs) => resultsOf(docs)));
    await Promise.all(results.map((r, i) => learn(`b${i + 1}`, r, i % 2 === 0 ? cache : other.cache, namespace)));
    for (const fingerprint of [INVOICE, SHIPPING, PORTAL]) {
      const pattern = await store.latest(fingerprint);
      expect(pattern?.documents).toBe(25);
      expect([...(pattern?.batches ?? [])].sort()).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    }
  });

  it('reads garbage under a pattern key as no pattern, and drops vanished patterns from the index', async () => {
    const { cache, namespace, scope, store } = await openCache();
    await learn('b1', await resultsOf(templateBatch(0, 5)), cache, namespace);
    const raw = await rawClient(redis.cache.url);
    try {
      await raw.set(patternKey(scope, PORTAL), '{"v":1,"artifact":{"format":1,"documents":"many"}}');
      await raw.del(patternKey(scope, SHIPPING));
      const fresh = await openCache(); // no L1 copy
      const lookup = createPatternLookup({ cache: fresh.cache, scope });
      expect(await lookup.get(PORTAL)).toBeUndefined();
      const listed = await new PatternStore(fresh.cache, scope).list();
      expect(listed?.map((p) => p.fingerprint)).toEqual([INVOICE]);
      expect(await raw.sMembers(patternIndexKey(scope))).toEqual([INVOICE]);
      // The next batch learns the template again over the garbage.
      await learn('b2', await resultsOf(templateBatch(20, 5)), fresh.cache, namespace);
      expect((await store.latest(PORTAL))?.documents).toBe(5);
      expect(await raw.pTTL(patternKey(scope, PORTAL))).toBeGreaterThan(89 * 24 * 3_600_000);
    } finally {
      raw.destroy();
    }
  });

  it('without a cache Redis, or with it gone, learns nothing and says why; lookups find nothing', async () => {
    const local = await openCache(null);
    expect(await learn('b1', await resultsOf(templateBatch(0, 5)), local.cache, local.namespace)).toMatchObject({
      status: 'skipped',
      reason: 'no cache Redis to keep patterns in',
    });

    const dead = await startRedis('cache');
    const { cache, namespace, scope } = await openCache(dead.url);
    await learn('b1', await resultsOf(templateBatch(0, 5)), cache, namespace);
    const lookup = createPatternLookup({ cache, scope });
    expect(await lookup.get(INVOICE)).toBeDefined();
    dead.signal('SIGKILL');
    await stopRedis(dead);
    expect(await learn('b2', await resultsOf(templateBatch(10, 5)), cache, namespace)).toMatchObject({
      status: 'skipped',
      reason: 'the cache Redis did not answer',
    });
    // A process that read a pattern before keeps it in its L1 (bounded by cache.l1.ttlCapMs), like artifacts;
    // a process started after the outage has none, and finds out without waiting.
    expect(await lookup.get(INVOICE)).toBeDefined();
    const after = await openCache(dead.url);
    const fresh = createPatternLookup({ cache: after.cache, scope });
    const started = performance.now();
    expect(await fresh.get(INVOICE)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
