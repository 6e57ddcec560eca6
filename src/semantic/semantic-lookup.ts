import { type Clock, systemClock } from '../time.js';
import type { CandidateCheck, SemanticEntryInput, SemanticHit, SemanticIndex } from './semantic-index.js';
import { bandKeyStrings, type SemanticStore, type StoredEntry, type StoreProbe } from './semantic-store.js';
import type { SemanticScope } from './settings.js';
import type { PreparedText } from './signer.js';

/** A hit and the tier that found it. */
export interface TieredSemanticHit extends SemanticHit {
  readonly tier: 'l1' | 'l2';
}

/** Options of {@link SemanticLookup}. */
export interface SemanticLookupOptions {
  /** The in-process tier; its signer defines both tiers' keys. */
  readonly l1: SemanticIndex;
  /** The shared tier (usually `RedisSemanticStore` over the cache's choke point). Absent: L1 only. */
  readonly l2?: SemanticStore;
  /** Longest an entry copied from L2 lives in L1 (ms): the cache's L1 TTL cap (`cache.l1.ttlCapMs`). */
  readonly l1TtlCapMs: number;
  /** @defaultValue systemClock */
  readonly clock?: Clock;
}

/**
 * Both tiers of the semantic index behind one lookup: L1 first, then L2; an L2 hit is copied
 * into L1. With the cache breaker open the L2 store answers nothing at once, so lookups
 * quietly become L1-only. Never throws.
 */
export class SemanticLookup {
  private readonly l1: SemanticIndex;
  private readonly l2: SemanticStore | undefined;
  private readonly l1TtlCapMs: number;
  private readonly clock: Clock;

  constructor(options: SemanticLookupOptions) {
    this.l1 = options.l1;
    this.l2 = options.l2;
    this.l1TtlCapMs = options.l1TtlCapMs;
    this.clock = options.clock ?? systemClock;
    if (!(this.l1TtlCapMs > 0)) throw new RangeError('l1TtlCapMs must be > 0');
  }

  /** Canonicalise, sign and fingerprint once; pass the result to `find` and `remember`. */
  prepare(text: string): PreparedText {
    return this.l1.prepare(text);
  }

  /** The best near-duplicate in `scope` (L1, else L2), or undefined. */
  async find(prepared: PreparedText, scope: SemanticScope, check?: CandidateCheck): Promise<TieredSemanticHit | undefined> {
    if (!prepared.eligible) return undefined;
    const local = this.l1.query(prepared, scope, check);
    if (local) return { ...local, tier: 'l1' };
    if (!this.l2) return undefined;
    const signer = this.l1.signer;
    const indexId = signer.indexId(scope);
    const candidates = await this.l2.candidates(indexId, this.probe(prepared, indexId));
    const now = this.clock.now();
    const ranked = candidates
      .filter((entry) => entry.fingerprint === prepared.fingerprint && entry.expiresAt > now)
      .flatMap((entry) => {
        const judgement = signer.judge(prepared, entry);
        return judgement ? [{ entry, judgement }] : [];
      })
      .sort((a, b) => b.judgement.score - a.judgement.score);
    for (const { entry, judgement } of ranked) {
      const hit = { key: entry.key, docId: entry.docId, ...judgement };
      if (check && !check(hit)) continue;
      this.copyToL1(entry, scope, now);
      return { ...hit, tier: 'l2' };
    }
    return undefined;
  }

  /**
   * Indexes a processed document in L1 at once and in L2 in the background. Resolves when
   * the L2 write has settled (true if stored); callers on the job path should not await it.
   */
  async remember(prepared: PreparedText, scope: SemanticScope, entry: SemanticEntryInput): Promise<boolean> {
    if (!prepared.eligible || !(entry.ttlMs > 0)) return false;
    this.l1.add(prepared, scope, { ...entry, ttlMs: Math.min(entry.ttlMs, this.l1TtlCapMs) });
    if (!this.l2) return true;
    const signer = this.l1.signer;
    const indexId = signer.indexId(scope);
    const stored: StoredEntry = {
      key: entry.key,
      docId: entry.docId,
      signature: prepared.signature,
      fingerprint: prepared.fingerprint,
      order: prepared.order,
      expiresAt: this.clock.now() + entry.ttlMs,
    };
    return this.l2.add(indexId, stored, this.probe(prepared, indexId), entry.ttlMs);
  }

  /**
   * Forgets the entry for artifact `key` in both tiers, e.g. when the artifact a hit for
   * `prepared` pointed to turned out to be gone.
   */
  async forget(prepared: PreparedText, scope: SemanticScope, key: string): Promise<void> {
    this.l1.remove(key, scope);
    if (!this.l2 || !prepared.eligible) return;
    const indexId = this.l1.signer.indexId(scope);
    await this.l2.remove(indexId, key, this.probe(prepared, indexId));
  }

  private probe(prepared: PreparedText, indexId: string): StoreProbe {
    return { fingerprint: prepared.fingerprint, bandKeys: bandKeyStrings(this.l1.signer.bandKeys(prepared, indexId)) };
  }

  private copyToL1(entry: StoredEntry, scope: SemanticScope, now: number): void {
    // Only what L1 needs: the entry was eligible when it was written (its text is not here).
    const prepared: PreparedText = {
      wordCount: 0,
      eligible: true,
      signature: entry.signature,
      fingerprint: entry.fingerprint,
      order: entry.order,
      paragraphs: [],
    };
    const ttlMs = Math.min(entry.expiresAt - now, this.l1TtlCapMs);
    this.l1.add(prepared, scope, { key: entry.key, docId: entry.docId, ttlMs });
  }
}
