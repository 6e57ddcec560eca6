import { type Clock, systemClock } from '../time.js';
import type { Judgement, PreparedText, SemanticSigner } from './signer.js';
import type { SemanticScope } from './settings.js';
import type { SemanticDifference } from './strict-form.js';

/** A near-duplicate found by the index. */
export interface SemanticHit {
  /** Exact cache key of the artifact to serve. */
  readonly key: string;
  /** Id of the document that artifact was computed from. */
  readonly docId: string;
  /** Estimated Jaccard similarity of the two canonical texts (≥ the threshold in similar mode). */
  readonly score: number;
  /** What kind of difference from the query was accepted. */
  readonly difference: SemanticDifference;
}

/** What to index for a processed document. */
export interface SemanticEntryInput {
  /** Exact cache key of the artifact. */
  readonly key: string;
  /** Id of the document the artifact was computed from. */
  readonly docId: string;
  /** Lifetime of the entry (ms): the artifact's remaining lifetime in the tier this index covers. */
  readonly ttlMs: number;
}

/** Optional last word on a candidate that passed threshold and guard (e.g. a pipeline's own pairwise check). */
export type CandidateCheck = (hit: SemanticHit) => boolean;

/** Options of the in-process index. */
export interface SemanticIndexOptions {
  /** Turns texts into signatures and band keys; its settings define the index. */
  readonly signer: SemanticSigner;
  /** Most entries held; the least recently used go first. @defaultValue 20_000 */
  readonly maxEntries?: number;
  /** Time source for expiry. @defaultValue systemClock */
  readonly clock?: Clock;
}

interface Entry {
  readonly id: string;
  readonly indexId: string;
  readonly key: string;
  readonly docId: string;
  readonly signature: Uint32Array;
  readonly fingerprint: string;
  readonly order: string;
  readonly bands: Uint32Array;
  readonly expiresAt: number;
  /** Query number that last looked at this entry, so a candidate found in several bands is scored once. */
  seen: number;
}

// Most buckets hold one entry: store it bare and only allocate an array on the second.
type Bucket = Entry | Entry[];

/**
 * The L1 tier of the semantic index: an in-process MinHash/LSH index, bounded, with
 * lazily removed expired entries. Synchronous and allocation-light, because it sits on the
 * path of every job.
 */
export class SemanticIndex {
  readonly signer: SemanticSigner;
  private readonly maxEntries: number;
  private readonly clock: Clock;
  /** By `indexId \0 key`, in least-recently-used-first order (Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<number, Bucket>();
  private queryNumber = 0;

  constructor(options: SemanticIndexOptions) {
    const maxEntries = options.maxEntries ?? 20_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.signer = options.signer;
    this.maxEntries = maxEntries;
    this.clock = options.clock ?? systemClock;
  }

  /** Entries held (expired ones included until they are noticed). */
  get size(): number {
    return this.entries.size;
  }

  /** Canonicalise, sign and fingerprint a text once; pass the result to `query` and `add`. */
  prepare(text: string): PreparedText {
    return this.signer.prepare(text);
  }

  /**
   * The most similar live entry of `scope` with the query's fingerprint (strict mode: the same
   * text up to formatting; similar mode: the same salient tokens and an estimated similarity
   * ≥ the threshold), or undefined. Short texts never match.
   */
  query(input: string | PreparedText, scope: SemanticScope, check?: CandidateCheck): SemanticHit | undefined {
    const prepared = typeof input === 'string' ? this.prepare(input) : input;
    if (!prepared.eligible) return undefined;
    const indexId = this.signer.indexId(scope);
    const now = this.clock.now();
    const seen = ++this.queryNumber;
    const found: { entry: Entry; judgement: Judgement }[] = [];
    const expired: Entry[] = [];
    for (const bandKey of this.signer.bandKeys(prepared, indexId)) {
      const bucket = this.buckets.get(bandKey);
      if (bucket === undefined) continue;
      for (const entry of Array.isArray(bucket) ? bucket : [bucket]) {
        if (entry.seen === seen) continue;
        entry.seen = seen;
        if (entry.expiresAt <= now) expired.push(entry);
        else if (entry.indexId === indexId && entry.fingerprint === prepared.fingerprint) {
          const judgement = this.signer.judge(prepared, entry);
          if (judgement) found.push({ entry, judgement });
        }
      }
    }
    for (const entry of expired) this.delete(entry);
    found.sort((a, b) => b.judgement.score - a.judgement.score);
    for (const { entry, judgement } of found) {
      const hit: SemanticHit = { key: entry.key, docId: entry.docId, ...judgement };
      if (check && !check(hit)) continue;
      // Refresh recency: a served entry is worth keeping.
      this.entries.delete(entry.id);
      this.entries.set(entry.id, entry);
      return hit;
    }
    return undefined;
  }

  /** Indexes a processed document. Returns false (and stores nothing) for short texts. */
  add(input: string | PreparedText, scope: SemanticScope, entryInput: SemanticEntryInput): boolean {
    const prepared = typeof input === 'string' ? this.prepare(input) : input;
    if (!prepared.eligible || !(entryInput.ttlMs > 0)) return false;
    const indexId = this.signer.indexId(scope);
    const id = `${indexId}\u0000${entryInput.key}`;
    const previous = this.entries.get(id);
    if (previous) this.delete(previous);
    const entry: Entry = {
      id,
      indexId,
      key: entryInput.key,
      docId: entryInput.docId,
      signature: prepared.signature,
      fingerprint: prepared.fingerprint,
      order: prepared.order,
      bands: this.signer.bandKeys(prepared, indexId),
      expiresAt: this.clock.now() + entryInput.ttlMs,
      seen: 0,
    };
    this.entries.set(id, entry);
    for (const bandKey of entry.bands) {
      const bucket = this.buckets.get(bandKey);
      if (bucket === undefined) this.buckets.set(bandKey, entry);
      else if (Array.isArray(bucket)) bucket.push(entry);
      else this.buckets.set(bandKey, [bucket, entry]);
    }
    this.evict();
    return true;
  }

  /** Forgets the entry for artifact `key` in `scope` (e.g. when its artifact turned out to be gone). */
  remove(key: string, scope: SemanticScope): boolean {
    const entry = this.entries.get(`${this.signer.indexId(scope)}\u0000${key}`);
    if (entry) this.delete(entry);
    return entry !== undefined;
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
    this.buckets.clear();
  }

  private evict(): void {
    // Over the bound: drop least recently used. Also reap a couple of expired entries from the
    // old end on each add, so entries nobody queries do not hold memory until eviction.
    const now = this.clock.now();
    let reaped = 0;
    for (const entry of this.entries.values()) {
      if (this.entries.size > this.maxEntries || (reaped < 2 && entry.expiresAt <= now)) {
        this.delete(entry);
        reaped++;
      } else break;
    }
  }

  private delete(entry: Entry): void {
    if (this.entries.get(entry.id) === entry) this.entries.delete(entry.id);
    for (const bandKey of entry.bands) {
      const bucket = this.buckets.get(bandKey);
      if (bucket === entry) this.buckets.delete(bandKey);
      else if (Array.isArray(bucket)) {
        const at = bucket.indexOf(entry);
        if (at >= 0) bucket.splice(at, 1);
        if (bucket.length === 1) this.buckets.set(bandKey, bucket[0]!);
      }
    }
  }
}
