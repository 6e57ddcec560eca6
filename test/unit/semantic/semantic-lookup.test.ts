import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/time.js';
import {
  resolveSemanticSettings,
  SemanticIndex,
  SemanticLookup,
  SemanticSigner,
  type SemanticStore,
  type StoredEntry,
} from '../../../src/semantic/index.js';
import { invoiceText } from './fixtures.js';

const settings = resolveSemanticSettings({ mode: 'similar', threshold: 0.8, shingleSize: 3, permutations: 128, minWords: 8, seed: 1 });
const scope = { pipeline: 'extract', version: '1' };
const DAY = 86_400_000;

/** An in-memory L2 with the store contract, shared by several lookups like a Redis would be. */
class MemoryStore implements SemanticStore {
  readonly entries = new Map<string, StoredEntry>();
  down = false;
  async candidates(indexId: string, probe: { fingerprint: string }): Promise<readonly StoredEntry[]> {
    if (this.down) return [];
    return [...this.entries].filter(([id, e]) => id.startsWith(`${indexId}|`) && e.fingerprint === probe.fingerprint).map(([, e]) => e);
  }
  async add(indexId: string, entry: StoredEntry): Promise<boolean> {
    if (this.down) return false;
    this.entries.set(`${indexId}|${entry.key}`, entry);
    return true;
  }
  async remove(indexId: string, key: string): Promise<boolean> {
    return this.entries.delete(`${indexId}|${key}`);
  }
}

function lookup(store: MemoryStore | undefined, clock: ManualClock, l1TtlCapMs = 600_000): SemanticLookup {
  const l1 = new SemanticIndex({ signer: new SemanticSigner(settings), clock });
  return new SemanticLookup({ l1, ...(store ? { l2: store } : {}), clock, l1TtlCapMs });
}

describe('SemanticLookup (both tiers)', () => {
  it('finds in L2 what another process wrote, then serves it from L1', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const writer = lookup(store, clock);
    expect(await writer.remember(writer.prepare(invoiceText()), scope, { key: 'k1', docId: 'doc-1', ttlMs: DAY })).toBe(true);
    const reader = lookup(store, clock);
    const prepared = reader.prepare(invoiceText().replaceAll('\n', '\r\n'));
    expect(await reader.find(prepared, scope)).toEqual({ key: 'k1', docId: 'doc-1', score: 1, difference: 'similar', tier: 'l2' });
    store.down = true;
    expect(await reader.find(prepared, scope)).toMatchObject({ key: 'k1', tier: 'l1' });
  });

  it('caps the L1 copy of an L2 entry at the L1 TTL cap', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    await lookup(store, clock).remember(lookup(store, clock).prepare(invoiceText()), scope, { key: 'k1', docId: 'd', ttlMs: DAY });
    const reader = lookup(store, clock, 1_000);
    const prepared = reader.prepare(invoiceText());
    expect((await reader.find(prepared, scope))?.tier).toBe('l2');
    store.down = true;
    clock.advance(1_000);
    expect(await reader.find(prepared, scope)).toBeUndefined();
  });

  it('never serves an L2 entry past its expiry, of another fingerprint, or vetoed', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const writer = lookup(store, clock);
    await writer.remember(writer.prepare(invoiceText()), scope, { key: 'k1', docId: 'd', ttlMs: 60_000 });
    expect(await lookup(store, clock).find(writer.prepare(invoiceText({ quantity: '3' })), scope)).toBeUndefined();
    expect(await lookup(store, clock).find(writer.prepare(invoiceText()), scope, () => false)).toBeUndefined();
    clock.advance(60_000);
    expect(await lookup(store, clock).find(writer.prepare(invoiceText()), scope)).toBeUndefined();
  });

  it('works with L1 alone, and when L2 answers nothing', async () => {
    const clock = new ManualClock();
    const alone = lookup(undefined, clock);
    const prepared = alone.prepare(invoiceText());
    expect(await alone.remember(prepared, scope, { key: 'k1', docId: 'd', ttlMs: DAY })).toBe(true);
    expect(await alone.find(prepared, scope)).toMatchObject({ tier: 'l1' });
    const store = new MemoryStore();
    store.down = true;
    const degraded = lookup(store, clock);
    expect(await degraded.remember(prepared, scope, { key: 'k1', docId: 'd', ttlMs: DAY })).toBe(false);
    expect(await degraded.find(prepared, scope)).toMatchObject({ tier: 'l1' });
  });

  it('ignores short texts and forgets entries in both tiers', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const both = lookup(store, clock);
    const short = both.prepare('too short to match');
    expect(await both.remember(short, scope, { key: 'k0', docId: 'd', ttlMs: DAY })).toBe(false);
    expect(await both.find(short, scope)).toBeUndefined();
    const prepared = both.prepare(invoiceText());
    await both.remember(prepared, scope, { key: 'k1', docId: 'd', ttlMs: DAY });
    await both.forget(prepared, scope, 'k1');
    expect(store.entries.size).toBe(0);
    expect(await both.find(prepared, scope)).toBeUndefined();
  });
});
