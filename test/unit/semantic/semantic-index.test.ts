import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/time.js';
import {
  type PreparedText,
  resolveSemanticSettings,
  type SemanticHit,
  SemanticIndex,
  type SemanticSettingsInput,
  SemanticSigner,
} from '../../../src/semantic/index.js';
import { invoiceText } from './fixtures.js';

const defaults: SemanticSettingsInput = { mode: 'similar', threshold: 0.8, shingleSize: 3, permutations: 128, minWords: 8, seed: 1 };
const scope = { pipeline: 'extract', version: '1' };
const HOUR = 3_600_000;

function makeIndex(overrides: Partial<SemanticSettingsInput> = {}, maxEntries?: number) {
  const clock = new ManualClock();
  const signer = new SemanticSigner(resolveSemanticSettings({ ...defaults, ...overrides }));
  return { index: new SemanticIndex({ signer, clock, ...(maxEntries !== undefined ? { maxEntries } : {}) }), clock, signer };
}

/** `prepared` with its last `changed` signature slots altered: agreement is exactly 128 − changed. */
function alter(prepared: PreparedText, changed: number): PreparedText {
  const signature = prepared.signature.slice();
  for (let i = signature.length - changed; i < signature.length; i++) signature[i] = signature[i]! ^ 1;
  return { ...prepared, signature };
}

describe('SemanticIndex', () => {
  it('finds a near-duplicate and reports the score', () => {
    const { index } = makeIndex();
    expect(index.add(invoiceText(), scope, { key: 'k1', docId: 'doc-1', ttlMs: HOUR })).toBe(true);
    const reworded = invoiceText().replace('as agreed in your purchase order', 'as per your order');
    const hit = index.query(reworded, scope);
    expect(hit).toMatchObject({ key: 'k1', docId: 'doc-1' });
    expect(hit!.score).toBeGreaterThanOrEqual(0.8);
    expect(hit!.score).toBeLessThan(1);
  });

  it('hits at exactly the threshold and misses one slot below it', () => {
    const { index, signer } = makeIndex();
    const prepared = signer.prepare(invoiceText());
    index.add(prepared, scope, { key: 'k1', docId: 'd', ttlMs: HOUR });
    expect(signer.requiredEqual).toBe(103); // ⌈0.8 × 128⌉
    // Altered slots are at the end: the leading bands still match, so LSH proposes the entry.
    expect(index.query(alter(prepared, 25), scope)?.score).toBe(103 / 128);
    expect(index.query(alter(prepared, 26), scope)).toBeUndefined();
  });

  it('gets the threshold right where floating point would not (0.7 × 128 = 89.6)', () => {
    expect(makeIndex({ threshold: 0.7 }).signer.requiredEqual).toBe(90);
    expect(makeIndex({ threshold: 0.75 }).signer.requiredEqual).toBe(96);
    expect(makeIndex({ threshold: 1 }).signer.requiredEqual).toBe(128);
  });

  it('never serves a document whose salient tokens differ, however similar', () => {
    const { index } = makeIndex({ threshold: 0.5 });
    index.add(invoiceText(), scope, { key: 'k1', docId: 'd', ttlMs: HOUR });
    expect(index.query(invoiceText({ total: '$1,234.55' }), scope)).toBeUndefined();
    expect(index.query(invoiceText({ contact: 'Jane Okoro' }), scope)).toBeUndefined();
  });

  it('isolates pipelines, versions, user scopes and settings', () => {
    const { index } = makeIndex();
    index.add(invoiceText(), { ...scope, scope: 'tenant-a' }, { key: 'k1', docId: 'd', ttlMs: HOUR });
    expect(index.query(invoiceText(), { ...scope, scope: 'tenant-a' })).toBeDefined();
    expect(index.query(invoiceText(), { ...scope, scope: 'tenant-b' })).toBeUndefined();
    expect(index.query(invoiceText(), scope)).toBeUndefined();
    expect(index.query(invoiceText(), { pipeline: 'other', version: '1', scope: 'tenant-a' })).toBeUndefined();
    expect(index.query(invoiceText(), { pipeline: 'extract', version: '2', scope: 'tenant-a' })).toBeUndefined();
    // Colons cannot make two scopes one.
    index.add(invoiceText(), { pipeline: 'a:b', version: 'c' }, { key: 'k2', docId: 'd', ttlMs: HOUR });
    expect(index.query(invoiceText(), { pipeline: 'a', version: 'b:c' })).toBeUndefined();
    const other = makeIndex({ seed: 2 });
    expect(other.signer.indexId(scope)).not.toBe(makeIndex().signer.indexId(scope));
  });

  it('never indexes nor matches empty or short texts', () => {
    const { index } = makeIndex();
    const short = 'Invoice INV-1 total $5 thanks';
    expect(index.add(short, scope, { key: 'k1', docId: 'd', ttlMs: HOUR })).toBe(false);
    expect(index.add('', scope, { key: 'k2', docId: 'd', ttlMs: HOUR })).toBe(false);
    expect(index.size).toBe(0);
    expect(index.query(short, scope)).toBeUndefined();
    expect(index.query('', scope)).toBeUndefined();
    expect(index.prepare('one two three four five six seven').eligible).toBe(false);
    expect(index.prepare('one two three four five six seven eight').eligible).toBe(true);
  });

  it('skips and drops expired entries', () => {
    const { index, clock } = makeIndex();
    index.add(invoiceText(), scope, { key: 'k1', docId: 'd', ttlMs: HOUR });
    clock.advance(HOUR - 1);
    expect(index.query(invoiceText(), scope)).toBeDefined();
    clock.advance(1);
    expect(index.query(invoiceText(), scope)).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('stays within its bound, dropping the least recently used', () => {
    const { index } = makeIndex({}, 2);
    const doc = (n: number) => invoiceText({ number: `INV-${n}` });
    index.add(doc(1), scope, { key: 'k1', docId: '1', ttlMs: HOUR });
    index.add(doc(2), scope, { key: 'k2', docId: '2', ttlMs: HOUR });
    expect(index.query(doc(1), scope)?.key).toBe('k1'); // k1 is now the most recently used
    index.add(doc(3), scope, { key: 'k3', docId: '3', ttlMs: HOUR });
    expect(index.size).toBe(2);
    expect(index.query(doc(2), scope)).toBeUndefined();
    expect(index.query(doc(1), scope)?.key).toBe('k1');
    expect(index.query(doc(3), scope)?.key).toBe('k3');
  });

  it('replaces an entry added again under the same key, and forgets removed ones', () => {
    const { index } = makeIndex();
    index.add(invoiceText(), scope, { key: 'k1', docId: 'old', ttlMs: HOUR });
    index.add(invoiceText(), scope, { key: 'k1', docId: 'new', ttlMs: HOUR });
    expect(index.size).toBe(1);
    expect(index.query(invoiceText(), scope)?.docId).toBe('new');
    expect(index.remove('k1', scope)).toBe(true);
    expect(index.query(invoiceText(), scope)).toBeUndefined();
    expect(index.remove('k1', scope)).toBe(false);
  });

  it('serves the most similar candidate, and lets a check veto candidates', () => {
    const { index, signer } = makeIndex();
    const prepared = signer.prepare(invoiceText());
    index.add(alter(prepared, 10), scope, { key: 'far', docId: 'far', ttlMs: HOUR });
    index.add(alter(prepared, 2), scope, { key: 'near', docId: 'near', ttlMs: HOUR });
    expect(index.query(prepared, scope)?.key).toBe('near');
    const seen: SemanticHit[] = [];
    const hit = index.query(prepared, scope, (candidate) => {
      seen.push(candidate);
      return candidate.key !== 'near';
    });
    expect(hit?.key).toBe('far');
    expect(seen.map((c) => c.key)).toEqual(['near', 'far']);
    expect(index.query(prepared, scope, () => false)).toBeUndefined();
  });

  it('rejects a nonsense bound', () => {
    expect(() => makeIndex({}, 0)).toThrow(RangeError);
  });
});
