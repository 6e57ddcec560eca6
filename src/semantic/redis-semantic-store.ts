import { createHash } from 'node:crypto';
import { type Clock, systemClock } from '../time.js';
import { decodeSignature, encodeSignature, type SemanticStore, type StoredEntry, type StoreProbe } from './semantic-store.js';
import { SIGNATURE_FORMAT } from './settings.js';

/**
 * The L2 tier of the semantic index in the cache Redis: plain hashes, no modules.
 *
 *   <ns>:sem:{<index digest>}:f:<fingerprint>   HASH  artifact key → {"v","d","x","s","o"} (JSON)
 *
 * One bucket per fingerprint (strict mode: the text's strict canonical form; similar mode:
 * its salient tokens). Only an entry with the query's fingerprint is ever served, so that
 * bucket is the complete candidate set: one HGETALL, one round
 * trip, then the signatures are scored here. Buckets are tiny in practice (documents with
 * identical salient values are near-copies of each other). Measured on Redis 7.0 at 10k
 * documents: ~1.2 KB per document, against ~7 KB for one SET per salted LSH band (14 bands,
 * mostly single-member sets, each a key with its own overhead) — which would fill the 250 MB
 * cache at ~35k documents. LSH banding stays where it pays: L1, over a whole scope in memory.
 *
 * All keys of one index share the hash tag `{<index digest>}`: one Redis Cluster slot. A
 * bucket carries the TTL of its latest entry; each entry carries its own expiry (`x`) and is
 * skipped once past it. Entries past expiry, malformed or of another format are deleted
 * lazily when met, and a bucket over `maxBucketEntries` is trimmed (soonest-expiring first).
 * Every command is one of the cache's named, breaker-guarded hash operations.
 */

/**
 * The hash operations this store needs; the cache's `l2` operations provide them. Each is
 * guarded: `undefined` (or false) on any failure, never a throw or an unbounded wait.
 */
export interface SemanticHashes {
  /** Every field of a hash ({} when there is none). */
  hashEntries(hash: string): Promise<Readonly<Record<string, string>> | undefined>;
  /** Sets one field and the hash's lifetime, all or nothing. `background`: nobody waits for it. */
  hashPut(hash: string, field: string, value: string, ttlMs: number, options?: { readonly background?: boolean }): Promise<boolean>;
  hashRemove(hash: string, fields: readonly string[], options?: { readonly background?: boolean }): Promise<boolean>;
}

/** Options of {@link RedisSemanticStore}. */
export interface RedisSemanticStoreOptions {
  /** The cache Redis's hash operations (`cache.l2`). */
  readonly hashes: SemanticHashes;
  /** Key namespace (`cache.namespace`). */
  readonly namespace: string;
  /** Signature length (0 in strict mode); stored signatures of another length are ignored. */
  readonly signatureLength: number;
  /** Entries a bucket keeps; beyond it the soonest-expiring are dropped on read (`semantic.maxBucketEntries`). */
  readonly maxBucketEntries: number;
  /** @defaultValue systemClock */
  readonly clock?: Clock;
}

interface StoredValue {
  readonly v: number;
  readonly d: string;
  readonly x: number;
  readonly s: string;
  /** Strict mode: the paragraph order (`StrictForm.order`). */
  readonly o: string;
}

const MAX_PREFIXES = 1_024;

/** L2 semantic index over the cache Redis. */
export class RedisSemanticStore implements SemanticStore {
  private readonly hashes: SemanticHashes;
  private readonly maxBucketEntries: number;
  private readonly clock: Clock;
  private readonly prefixes = new Map<string, string>();

  constructor(private readonly options: RedisSemanticStoreOptions) {
    const { maxBucketEntries } = options;
    if (!Number.isInteger(maxBucketEntries) || maxBucketEntries < 1) throw new RangeError('maxBucketEntries must be a positive integer');
    this.hashes = options.hashes;
    this.maxBucketEntries = maxBucketEntries;
    this.clock = options.clock ?? systemClock;
  }

  /** The key prefix of one index, ending in its hash tag: every key of the index shares a slot. */
  prefix(indexId: string): string {
    let prefix = this.prefixes.get(indexId);
    if (prefix === undefined) {
      // A digest keeps user-controlled pipeline names and scopes (and their braces) out of keys.
      const digest = createHash('sha256').update(indexId).digest('base64url').slice(0, 16);
      prefix = `${this.options.namespace}:sem:{${digest}}`;
      if (this.prefixes.size >= MAX_PREFIXES) this.prefixes.clear();
      this.prefixes.set(indexId, prefix);
    }
    return prefix;
  }

  /** The bucket key of a fingerprint (base64url: no braces, colons or spaces). */
  bucketKey(indexId: string, fingerprint: string): string {
    return `${this.prefix(indexId)}:f:${fingerprint}`;
  }

  async candidates(indexId: string, probe: StoreProbe): Promise<readonly StoredEntry[]> {
    const bucket = this.bucketKey(indexId, probe.fingerprint);
    const record = await this.hashes.hashEntries(bucket);
    if (record === undefined) return [];
    const entries: StoredEntry[] = [];
    const stale: string[] = [];
    for (const [key, raw] of Object.entries(record)) {
      const entry = this.parse(key, raw, probe.fingerprint);
      if (entry) entries.push(entry);
      else stale.push(key);
    }
    if (entries.length > this.maxBucketEntries) {
      entries.sort((a, b) => b.expiresAt - a.expiresAt);
      for (const dropped of entries.splice(this.maxBucketEntries)) stale.push(dropped.key);
    }
    if (stale.length > 0) {
      // Fire-and-forget: cleaning is an optimisation, and the operation never rejects.
      void this.hashes.hashRemove(bucket, stale, { background: true }).catch(() => undefined);
    }
    return entries;
  }

  async add(indexId: string, entry: StoredEntry, _probe: StoreProbe, ttlMs: number): Promise<boolean> {
    const bucket = this.bucketKey(indexId, entry.fingerprint);
    const value: StoredValue = {
      v: SIGNATURE_FORMAT,
      d: entry.docId,
      x: entry.expiresAt,
      s: encodeSignature(entry.signature),
      o: entry.order,
    };
    return this.hashes.hashPut(bucket, entry.key, JSON.stringify(value), ttlMs, { background: true });
  }

  async remove(indexId: string, key: string, probe: StoreProbe): Promise<boolean> {
    const bucket = this.bucketKey(indexId, probe.fingerprint);
    return this.hashes.hashRemove(bucket, [key]);
  }

  /** A stored field as an entry, or undefined when it is malformed, of another format or expired. */
  private parse(key: string, raw: unknown, fingerprint: string): StoredEntry | undefined {
    if (typeof raw !== 'string') return undefined;
    let value: Partial<StoredValue>;
    try {
      value = JSON.parse(raw) as Partial<StoredValue>;
    } catch {
      return undefined;
    }
    if (typeof value !== 'object' || value === null || value.v !== SIGNATURE_FORMAT) return undefined;
    const { d, x, s, o } = value;
    if (typeof d !== 'string' || typeof s !== 'string' || typeof o !== 'string') return undefined;
    if (typeof x !== 'number' || !(x > this.clock.now())) return undefined;
    const signature = decodeSignature(s, this.options.signatureLength);
    return signature && { key, docId: d, signature, fingerprint, order: o, expiresAt: x };
  }
}
