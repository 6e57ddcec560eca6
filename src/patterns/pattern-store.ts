import { type Cache, TtlTier, ttlMs, type ValueCodec, type ValueOrigin } from '../cache/index.js';
import {
  FINGERPRINT_RE,
  type PatternScope,
  parsePipelineId,
  patternIndexKey,
  patternKey,
  patternLockKey,
  patternScopesKey,
} from './pattern-keys.js';
import { parseStoredPattern, type StoredPattern } from './stored-pattern.js';

/** Keys per MGET / SMISMEMBER round trip. */
const CHUNK = 500;
/** Most fingerprints `fingerprints()` enumerates. */
const MAX_LISTED = 10_000;

/** Patterns as the cache reads them back: validated once, as they enter L1. */
const patternCodec: ValueCodec<StoredPattern> = { decode: parseStoredPattern };

/**
 * The patterns of one pipeline version in the cache, through the cache's own API only:
 * `get`/`set` for the patterns themselves (PATTERN tier), its named L2 operations for the
 * index sets, the merge lock and reads that must skip this process's L1.
 * Nothing here throws; `undefined` means the cache did not answer.
 */
export class PatternStore {
  constructor(
    private readonly cache: Cache,
    readonly scope: PatternScope,
  ) {}

  /** A pattern through the tiers (L1, then L2), as workers and `patterns show` read it. */
  async get(fingerprint: string): Promise<StoredPattern | undefined> {
    if (!FINGERPRINT_RE.test(fingerprint)) return undefined;
    const hit = await this.cache.get(patternKey(this.scope, fingerprint), this.origin(fingerprint), patternCodec);
    return hit && this.belongs(hit.value.artifact, fingerprint) ? hit.value.artifact : undefined;
  }

  /**
   * The pattern as the cache Redis holds it now, past this process's L1 (which may keep a
   * copy another learner has since replaced): what a merge must start from. `null` when
   * there is none, `undefined` when the cache did not answer.
   */
  async latest(fingerprint: string): Promise<StoredPattern | null | undefined> {
    const found = await this.read([fingerprint]);
    return found && (found[0] ?? null);
  }

  /**
   * Stores a pattern for the PATTERN tier's lifetime and adds it to the index. Waits (at
   * most `flushMs`) for the write to reach the cache Redis, so a merge lock held around it
   * means something. False when the index could not be updated.
   */
  async save(pattern: StoredPattern, writtenBy: string, flushMs = 1_000): Promise<boolean> {
    const made = this.origin(pattern.fingerprint);
    this.cache.set(patternKey(this.scope, pattern.fingerprint), { artifact: pattern, docId: writtenBy, made }, TtlTier.PATTERN, patternCodec);
    await this.cache.flush(flushMs);
    return this.cache.l2.addToSets(
      [
        { set: patternIndexKey(this.scope), member: pattern.fingerprint },
        { set: patternScopesKey(this.scope.namespace), member: `${this.scope.pipeline}@${this.scope.version}` },
      ],
      ttlMs(TtlTier.PATTERN),
    );
  }

  /** The pipeline versions of a namespace that have patterns; undefined when the cache did not answer. */
  static async scopes(cache: Cache, namespace: string): Promise<PatternScope[] | undefined> {
    const members = await cache.l2.setMembers(patternScopesKey(namespace), MAX_LISTED);
    if (members === undefined) return undefined;
    return members
      .flatMap((member) => {
        const id = parsePipelineId(member);
        return id ? [{ namespace, ...id }] : [];
      })
      .sort((a, b) => (a.pipeline === b.pipeline ? (a.version < b.version ? -1 : 1) : a.pipeline < b.pipeline ? -1 : 1));
  }

  /** Which of `fingerprints` have a pattern (by the index); undefined when the cache did not answer. */
  async known(fingerprints: readonly string[]): Promise<Set<string> | undefined> {
    const found = new Set<string>();
    const index = patternIndexKey(this.scope);
    for (let at = 0; at < fingerprints.length; at += CHUNK) {
      const chunk = fingerprints.slice(at, at + CHUNK);
      const flags = await this.cache.l2.setContains(index, chunk);
      if (flags === undefined) return undefined;
      chunk.forEach((fingerprint, i) => {
        if (flags[i]) found.add(fingerprint);
      });
    }
    return found;
  }

  /**
   * Every pattern in the index (at most 10,000), read past L1. Index entries whose pattern
   * is gone (expired, evicted by the cache's LRU, unreadable) are removed from the index.
   * Undefined when the cache did not answer.
   */
  async list(): Promise<StoredPattern[] | undefined> {
    const index = patternIndexKey(this.scope);
    const members = await this.cache.l2.setMembers(index, MAX_LISTED);
    if (members === undefined) return undefined;
    const patterns: StoredPattern[] = [];
    const gone: string[] = [];
    for (let at = 0; at < members.length; at += CHUNK) {
      const chunk = members.slice(at, at + CHUNK);
      const found = await this.read(chunk);
      if (found === undefined) return undefined;
      chunk.forEach((fingerprint, i) => {
        const pattern = found[i];
        if (pattern) patterns.push(pattern);
        else gone.push(fingerprint);
      });
    }
    if (gone.length > 0) await this.cache.l2.removeFromSet(index, gone);
    return patterns;
  }

  /** Takes the merge lock of one template for `ms`; false when another learner holds it, undefined when the cache did not answer. */
  lock(fingerprint: string, token: string, ms: number): Promise<boolean | undefined> {
    return this.cache.l2.acquireLock(patternLockKey(this.scope, fingerprint), token, ms);
  }

  /** Releases the lock if this token still holds it. */
  async unlock(fingerprint: string, token: string): Promise<void> {
    await this.cache.l2.releaseLock(patternLockKey(this.scope, fingerprint), token);
  }

  /**
   * The patterns of `fingerprints` as the cache Redis holds them, past L1: each checked by
   * the cache (key, expiry, origin, codec) and here (its scope); undefined where absent.
   */
  private async read(fingerprints: readonly string[]): Promise<(StoredPattern | undefined)[] | undefined> {
    const keys = fingerprints.map((fingerprint) => patternKey(this.scope, fingerprint));
    const values = await this.cache.l2.readLatest(keys, (_key, i) => this.origin(fingerprints[i] ?? ''), patternCodec);
    return values?.map((value, i) => (value && this.belongs(value.artifact, fingerprints[i] ?? '') ? value.artifact : undefined));
  }

  /** What a pattern value is made from: patterns are shared by every scope of a pipeline version (see pattern-keys.ts). */
  private origin(fingerprint: string): ValueOrigin {
    return { pipeline: this.scope.pipeline, version: this.scope.version, scope: null, input: fingerprint };
  }

  /** Whether a pattern is the one of `fingerprint` in this scope (cheap: it runs per document). */
  private belongs(pattern: StoredPattern, fingerprint: string): boolean {
    const { pipeline, version } = this.scope;
    return pattern.fingerprint === fingerprint && pattern.pipeline === pipeline && pattern.version === version;
  }
}
