import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PatternSummary } from '../../../src/patterns/index.js';
import { extractDocument } from '../../../src/pipeline/extract/index.js';
import { jobCounts } from '../../helpers/batch.js';
import { cleanEnv, readJsonl, runCli, tempDir } from '../../helpers/cli.js';
import { uniqueName } from '../../helpers/redis.js';
import { useRedis } from '../../helpers/use-redis.js';
import { invoiceText, portalText, type TemplateDoc, templateBatch } from '../../unit/patterns/templates.js';

/**
 * The patterns queue end to end, through the built CLI against real servers: `run` starts a
 * patterns worker next to the document workers, every finished batch queues a
 * `learn-patterns` job, and the next batch's artifacts say which pattern they used.
 */

const redis = useRedis('broker', 'cache');
let env: NodeJS.ProcessEnv;
const dir = tempDir('patterns');
const out = path.join(dir, 'out');
const prefix = `{${uniqueName('pq')}}`;

interface Result {
  id: string;
  status: string;
  artifact: Record<string, unknown> & { pattern: { fingerprint: string; documents: number; filled: string[] } | null };
}

beforeAll(() => {
  env = cleanEnv({ BATCHLINE_BROKER_URL: redis.broker.url, BATCHLINE_CACHE_URL: redis.cache.url, BATCHLINE_QUEUE_PREFIX: prefix });
});

async function runBatch(batchId: string, docs: readonly TemplateDoc[]): Promise<Map<string, Result>> {
  const file = path.join(dir, `${batchId}.jsonl`);
  writeFileSync(file, `${docs.map((doc) => JSON.stringify(doc)).join('\n')}\n`);
  const result = await runCli(['run', file, '--json', '--out', out, '--batch-id', batchId, '--workers', '2'], { env });
  expect(result.stderr).not.toMatch(/"level":(50|60)/);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ total: docs.length, ok: docs.length, failed: 0 });
  const lines = readJsonl<Result>(readFileSync(path.join(out, `${batchId}.jsonl`), 'utf8'));
  return new Map(lines.map((line) => [line.id, line]));
}

async function listPatterns(): Promise<PatternSummary[]> {
  const result = await runCli(['patterns', 'list', '--json'], { env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as PatternSummary[];
}

const fingerprint = (text: string) => extractDocument({ id: 'f', text }).fingerprint;
const INVOICE = fingerprint(invoiceText(0));
const PORTAL = fingerprint(portalText(0));
/** Documents the rules alone get wrong or incomplete, from templates the first batch teaches. */
const tricky = (n: number): TemplateDoc[] => [
  { id: `fwd-${n}`, text: invoiceText(n, { forwarded: true }) },
  { id: `quiet-${n}`, text: portalText(n, { quiet: true }) },
];
/** Free-text notes: one template each, never learned. */
const singletons = (n: number): TemplateDoc[] =>
  ['Call Maria about the offsite agenda.', 'Lunch moved to noon, bring the slides.', 'Remember: the printer on floor two jams.'].map(
    (text, i) => ({ id: `note-${n}-${i}`, text }),
  );

describe('patterns queue', () => {
  let learned: PatternSummary[] = [];

  it('a batch with three templates (six documents each) yields three patterns', async () => {
    const docs = [...templateBatch(0, 6), ...singletons(0)];
    const results = await runBatch('learn-1', docs);
    // Nothing was learned before this batch: no artifact used a pattern.
    expect([...results.values()].every((r) => r.artifact.pattern === null)).toBe(true);

    learned = await listPatterns();
    expect(learned).toHaveLength(3);
    expect(new Set(learned.map((p) => p.fingerprint))).toEqual(new Set(docs.slice(0, 3).map((doc) => fingerprint(doc.text))));
    expect(learned.every((p) => p.documents === 6 && p.pipeline === 'extract' && p.batches === 1)).toBe(true);
    expect(learned.find((p) => p.fingerprint === INVOICE)).toMatchObject({
      type: 'invoice',
      labels: expect.arrayContaining(['invoice no', 'amount due']),
      fields: expect.arrayContaining(['total', 'ids.invoice', 'emails']),
      labelFields: { 'amount due': 'total', 'invoice no': 'ids.invoice' },
    });
    expect(learned.find((p) => p.fingerprint === PORTAL)?.type).toBe('support_ticket');
    expect(await jobCounts(redis.broker.url, prefix, 'patterns')).toMatchObject({ completed: 1, failed: 0 });

    const shown = await runCli(['patterns', 'show', INVOICE], { env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`pattern ${INVOICE} (extract@1.0.0)`);
    expect(shown.stdout).toMatch(/amount due → total/);
    const json = await runCli(['patterns', 'show', INVOICE, '--json'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ fingerprint: INVOICE, documents: 6, batches: ['learn-1'], counts: { types: { invoice: 6 } } });
    const missing = await runCli(['patterns', 'show', '0123456789abcdef'], { env });
    expect(missing.code).toBe(2); // a usage error, like `status` of an unknown batch
    expect(missing.stderr).toMatch(/no pattern for fingerprint 0123456789abcdef/);
  });

  it('a later batch reuses them: every artifact says which pattern, and the pattern fills what the rules missed', async () => {
    const docs = [...templateBatch(100, 3), ...tricky(150), ...singletons(1)];
    const results = await runBatch('use-2', docs);
    for (const doc of docs) {
      const { artifact } = results.get(doc.id)!;
      const plain = extractDocument(doc);
      const pattern = learned.find((p) => p.fingerprint === plain.fingerprint);
      if (!pattern) {
        expect(artifact).toEqual({ ...plain, pattern: null });
        continue;
      }
      expect(artifact.pattern).toMatchObject({ fingerprint: plain.fingerprint, documents: 6 });
      // Everything the rules found is there as they found it; only what `filled` names was added.
      const filled = new Set(artifact.pattern?.filled);
      for (const [key, value] of Object.entries(plain)) if (!filled.has(key)) expect(artifact[key]).toEqual(value);
    }
    expect(results.get('fwd-150')?.artifact).toMatchObject({ total: { currency: 'USD', text: '$1245.00' }, pattern: { filled: ['total'] } });
    expect(results.get('quiet-150')?.artifact).toMatchObject({ type: 'support_ticket', pattern: { filled: ['type'] } });
    expect(results.get('inv-100')?.artifact.pattern?.filled).toEqual([]);

    // The second batch was merged in: counts add up (hints are not learned as the rules' findings).
    const merged = await listPatterns();
    expect(merged).toHaveLength(3);
    expect(merged.find((p) => p.fingerprint === INVOICE)).toMatchObject({ documents: 10, batches: 2 });
    const invoice = JSON.parse((await runCli(['patterns', 'show', INVOICE, '--json'], { env })).stdout);
    expect(invoice.counts.fields.total).toBe(9);
    expect(await jobCounts(redis.broker.url, prefix, 'patterns')).toMatchObject({ completed: 2, failed: 0 });
  });

  it('killing the cache loses the patterns; extraction is still correct, exactly as without patterns', async () => {
    redis.cache.signal('SIGKILL');
    const docs = [...templateBatch(200, 3), ...tricky(250), ...singletons(2)];
    const results = await runBatch('dead-3', docs);
    for (const doc of docs) expect(results.get(doc.id)?.artifact).toEqual({ ...extractDocument(doc), pattern: null });

    const dead = await runCli(['patterns', 'list'], { env });
    expect(dead.code).toBe(1);
    expect(dead.stderr).toMatch(/cannot read patterns: the cache Redis at redis:\/\/127\.0\.0\.1:\d+\/? did not answer/);

    // A new, empty cache Redis on the same address: what was learned is gone, and so are its hints.
    await redis.cache.restart();
    expect(await listPatterns()).toEqual([]);
    const after = await runBatch('fresh-4', [...templateBatch(300, 2), ...tricky(350)]);
    for (const [, result] of after) expect(result.artifact.pattern).toBeNull();
    expect(after.get('quiet-350')?.artifact.type).toBe('other');
    expect(after.get('fwd-350')?.artifact.total).toBeNull();
  });
});
