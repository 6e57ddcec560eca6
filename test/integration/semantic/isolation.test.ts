import path from 'node:path';
import { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, tempDir } from '../../helpers/cli.js';
import { uniqueName } from '../../helpers/redis.js';
import { useRedis } from '../../helpers/use-redis.js';
import { type LabelledDoc, labelledCorpus, oracle, type ResultLine, startWorker, writeDocs } from './helpers.js';

/*
 * Isolation at worker level (real redis-servers, real worker processes): artifacts and
 * semantic index entries never cross a user scope (`meta.scope`), a document type, a
 * pipeline version or a pipeline name, neither through L2 (a fresh worker process) nor
 * through L1 (the same process that holds the other scope's entries). Each test also has a
 * control: the same kind of document in the original's own scope and pipeline IS served,
 * so the misses are isolation, not a lookup that never works.
 *
 * The fixture pipelines (test/fixtures/semantic-*.js) stamp each artifact with the pipeline,
 * document, scope and type it was computed for.
 */

const dir = tempDir('semantic-isolation');
const redis = useRedis('broker', 'cache');

beforeEach(async () => {
  const raw = new Redis(redis.cache.port, '127.0.0.1');
  await raw.flushall();
  raw.disconnect();
});

function envFor(fixture: 'v1' | 'v2' | 'other', queuePrefix: string): NodeJS.ProcessEnv {
  return cleanEnv({
    BATCHLINE_BROKER_URL: redis.broker.url,
    BATCHLINE_CACHE_URL: redis.cache.url,
    BATCHLINE_QUEUE_PREFIX: queuePrefix,
    BATCHLINE_PIPELINE: path.resolve(`test/fixtures/semantic-${fixture}.js`),
    BATCHLINE_CONCURRENCY_DEFAULT: '4',
    BATCHLINE_LOG_LEVEL: 'info',
    // A generous budget: these tests are about what is served, not about a slow Redis.
    BATCHLINE_CACHE_TIMEOUT_MS: '2000',
  });
}

type Artifact = { producedBy: string; docId: string; scope: string | null; type: string | null };

function variant(doc: LabelledDoc, id: string, text: string, scope?: string, type?: string): LabelledDoc {
  return { ...doc, id, text, ...(scope ? { meta: { scope } } : {}), ...(type ? { type } : {}) };
}

/**
 * Every line: made by `producedBy`, for a document of this line's scope and type; a miss
 * carries its own artifact, a hit the artifact of the document it names as source.
 */
function expectSameBoundaries(results: Map<string, ResultLine>, docs: readonly LabelledDoc[], producedBy: string): void {
  expect(results.size).toBe(docs.length);
  for (const doc of docs) {
    const line = results.get(doc.id)!;
    const artifact = line.artifact as Artifact;
    expect(line.status).toBe('ok');
    expect({ id: doc.id, producedBy: artifact.producedBy, scope: artifact.scope, type: artifact.type }).toEqual({
      id: doc.id,
      producedBy,
      scope: typeof doc.meta?.scope === 'string' ? doc.meta.scope : null,
      type: doc.type ?? null,
    });
    expect(artifact.docId, doc.id).toBe(line.cache === 'miss' ? doc.id : line.sourceId);
  }
}

function expectAllMisses(results: Map<string, ResultLine>, docs: readonly LabelledDoc[]): void {
  const served = docs.map((d) => results.get(d.id)!).filter((line) => line.cache !== 'miss');
  expect(served.map((line) => `${line.id}: ${line.cache} from ${line.sourceId}`)).toEqual([]);
}

/** The control: `doc` is served exactly as the lookup would serve it with `source` in its scope. */
function expectServedFrom(results: Map<string, ResultLine>, doc: LabelledDoc, source: LabelledDoc): 'exact' | 'semantic' | 'miss' {
  const want = oracle(source.text, doc.text);
  const kind = want.exact ? 'exact' : want.semantic ? 'semantic' : 'miss';
  const line = results.get(doc.id)!;
  expect({ id: doc.id, cache: line.cache, sourceId: line.sourceId }).toEqual({
    id: doc.id,
    cache: kind,
    sourceId: kind === 'miss' ? undefined : source.id,
  });
  return kind;
}

describe('semantic lookup isolation in worker processes', () => {
  it('the same texts under another meta.scope or another type never share an artifact, exact or semantic (L2 and L1)', async () => {
    const env = envFor('v1', `{${uniqueName('iso')}}`);
    const { originals, duplicates } = labelledCorpus({ seed: 31, perDomain: 10 });
    const tenantA = originals.map((d) => variant(d, d.id, d.text, 'tenant-a'));

    // Worker A: the originals, in tenant-a.
    const workerA = await startWorker(env, dir);
    const first = await workerA.process(writeDocs(path.join(dir, 'scope-1.jsonl'), tenantA));
    await workerA.stop();
    expectSameBoundaries(first, tenantA, 'semantic-fixture@1');
    expectAllMisses(first, tenantA);

    // Worker B, a fresh process: everything it could find about tenant-a comes from L2.
    const crossing: LabelledDoc[] = [];
    const controls: LabelledDoc[] = [];
    for (const [b, original] of originals.entries()) {
      const dup = duplicates[b]!;
      if (b % 4 === 0) crossing.push(variant(original, `same-text-tenant-b-${b}`, original.text, 'tenant-b'));
      if (b % 4 === 1) crossing.push(variant(original, `near-dup-tenant-b-${b}`, dup.text, 'tenant-b'));
      if (b % 4 === 2) {
        crossing.push(variant(original, `same-text-typed-${b}`, original.text, 'tenant-a', 'letter'));
        crossing.push(variant(original, `near-dup-unscoped-${b}`, dup.text));
      }
      if (b % 4 === 3) controls.push(variant(dup, `near-dup-tenant-a-${b}`, dup.text, 'tenant-a'));
    }
    const workerB = await startWorker(env, dir);
    const second = await workerB.process(writeDocs(path.join(dir, 'scope-2.jsonl'), [...crossing, ...controls]));
    expectSameBoundaries(second, [...crossing, ...controls], 'semantic-fixture@1');
    expectAllMisses(second, crossing);
    const l2Kinds = controls.map((doc) => expectServedFrom(second, doc, tenantA[doc.base]!));
    expect(l2Kinds.filter((k) => k === 'semantic').length).toBeGreaterThan(controls.length / 2);

    // Still worker B: its L1 now holds tenant-a's entries and artifacts for the control bases
    // (copied from L2 when it served them). Other scopes must not see them there either.
    const l1Crossing: LabelledDoc[] = [];
    const l1Controls: LabelledDoc[] = [];
    for (const control of controls) {
      const original = originals[control.base]!;
      l1Crossing.push(variant(original, `l1-same-text-tenant-b-${control.base}`, original.text, 'tenant-b'));
      l1Crossing.push(variant(original, `l1-near-dup-tenant-c-${control.base}`, control.text, 'tenant-c'));
      l1Crossing.push(variant(original, `l1-same-text-typed-${control.base}`, original.text, 'tenant-a', 'memo'));
      l1Controls.push(variant(control, `l1-near-dup-tenant-a-${control.base}`, control.text, 'tenant-a'));
    }
    const third = await workerB.process(writeDocs(path.join(dir, 'scope-3.jsonl'), [...l1Crossing, ...l1Controls]));
    await workerB.stop();
    expectSameBoundaries(third, [...l1Crossing, ...l1Controls], 'semantic-fixture@1');
    expectAllMisses(third, l1Crossing);
    for (const [i, doc] of l1Controls.entries()) {
      const line = third.get(doc.id)!;
      // Served again: from the original (exact or semantic), or, where the first copy missed, from that copy's own artifact.
      if (l2Kinds[i] === 'miss') expect({ cache: line.cache, sourceId: line.sourceId }).toEqual({ cache: 'exact', sourceId: controls[i]!.id });
      else expectServedFrom(third, doc, tenantA[doc.base]!);
    }
  });

  it('another pipeline version, or another pipeline name, never sees the first one’s artifacts or index entries', async () => {
    const queuePrefix = `{${uniqueName('iso')}}`;
    const { originals, duplicates } = labelledCorpus({ seed: 37, perDomain: 8 });
    // Even originals come back verbatim, odd ones as near-duplicates.
    const again = originals.map((d, b) => (b % 2 === 0 ? variant(d, `same-text-${b}`, d.text) : variant(d, `near-dup-${b}`, duplicates[b]!.text)));
    const againFile = writeDocs(path.join(dir, 'version-again.jsonl'), again);

    const v1 = await startWorker(envFor('v1', queuePrefix), dir);
    const first = await v1.process(writeDocs(path.join(dir, 'version-1.jsonl'), originals));
    await v1.stop();
    expectSameBoundaries(first, originals, 'semantic-fixture@1');
    expectAllMisses(first, originals);

    for (const [fixture, producedBy] of [
      ['v2', 'semantic-fixture@2'],
      ['other', 'semantic-other@1'],
    ] as const) {
      const worker = await startWorker(envFor(fixture, queuePrefix), dir);
      const results = await worker.process(againFile);
      await worker.stop();
      expectSameBoundaries(results, again, producedBy);
      expectAllMisses(results, again);
    }

    // Control: version 1 again, in a fresh process, is served from L2 exactly as the lookup says.
    const v1Again = await startWorker(envFor('v1', queuePrefix), dir);
    const control = await v1Again.process(againFile);
    await v1Again.stop();
    expectSameBoundaries(control, again, 'semantic-fixture@1');
    const kinds = again.map((doc) => expectServedFrom(control, doc, originals[doc.base]!));
    expect(kinds.filter((k) => k === 'exact').length).toBeGreaterThanOrEqual(Math.ceil(originals.length / 2));
    expect(kinds.filter((k) => k === 'semantic').length).toBeGreaterThan(0);
  });
});
