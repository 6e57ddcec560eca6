import { type Cache, decodeValue, TtlTier, ttlMs, type ValueOrigin, valueMatches } from '../cache/index.js';
import { type Clock, systemClock } from '../clock.js';
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

const unlockScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * The patterns of one pipeline version in the cache, through the cache's own API only:
 * `get`/`set` for the patterns themselves (PATTERN tier), `redis()` — the guarded choke
 * point — for the index set, the merge lock and reads that must skip this process's L1.
 * Nothing here throws; `undefined` means the cache did not answer.
 */
export class PatternStore {
  private readonly parsed = new WeakMap<object, StoredPattern | null>();

  constructor(
    private readonly cache: Cache,
    readonly scope: PatternScope,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A pattern through the tiers (L1, then L2), as workers and `patterns show` read it. */
  async get(fingerprint: string): Promise<StoredPattern | undefined> {
    if (!FINGERPRINT_RE.test(fingerprint)) return undefined;
    const hit = await this.cache.get(patternKey(this.scope, fingerprint), this.origin(fingerprint));
    if (!hit) return undefined;
    // L1 hands back one frozen value until it changes: validate it once, not per document.
    const value = hit.value.artifact;
    if (!this.parsed.has(value)) this.parsed.set(value, this.accept(value, fingerprint) ?? null);
    return this.parsed.get(value) ?? undefined;
  }

  /**
   * The pattern as the cache Redis holds it now, past this process's L1 (which may keep a
   * copy another learner has since replaced): what a merge must start from. `null` when
   * there is none, `undefined` when the cache did not answer.
   */
  async latest(fingerprint: string): Promise<StoredPattern | null | undefined> {
    const raw = await this.cache.redis('patterns.latest', (client) => client.get(patternKey(this.scope, fingerprint)));
    if (raw === undefined) return undefined;
    return this.decode(raw, fingerprint) ?? null;
  }

  /**
   * Stores a pattern for the PATTERN tier's lifetime and adds it to the index. Waits (at
   * most `flushMs`) for the write to reach the cache Redis, so a merge lock held around it
   * means something. False when the index could not be updated.
   */
  async save(pattern: StoredPattern, writtenBy: string, flushMs = 1_000): Promise<boolean> {
    const made = this.origin(pattern.fingerprint);
    this.cache.set(patternKey(this.scope, pattern.fingerprint), { artifact: pattern, docId: writtenBy, made }, TtlTier.PATTERN);
    await this.cache.flush(flushMs);
    const index = patternIndexKey(this.scope);
    const scopes = patternScopesKey(this.scope.namespace);
    const lifetime = ttlMs(TtlTier.PATTERN);
    // Two transactions, one per key: on a Redis Cluster the two keys sit in different slots.
    const done = await this.cache.redis('patterns.index', (client) =>
      Promise.all([
        client.multi().sAdd(index, pattern.fingerprint).pExpire(index, lifetime).exec(),
        client.multi().sAdd(scopes, `${this.scope.pipeline}@${this.scope.version}`).pExpire(scopes, lifetime).exec(),
      ]),
    );
    return done !== undefined;
  }

  /** The pipeline versions of a namespace that have patterns; undefined when the cache did not answer. */
  static async scopes(cache: Cache, namespace: string): Promise<PatternScope[] | undefined> {
    const members = await cache.redis('patterns.scopes', (client) => client.sMembers(patternScopesKey(namespace)));
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
      const flags = await this.cache.redis('patterns.known', (client) => client.smIsMember(index, chunk));
      if (flags === undefined) return undefined;
      chunk.forEach((fingerprint, i) => {
        if (Number(flags[i]) === 1) found.add(fingerprint);
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
    const members = await this.cache.redis('patterns.members', async (client) => {
      // SSCAN by hand, not sScanIterator: a Redis Cluster client has no iterators.
      const found: string[] = [];
      let cursor = '0';
      do {
        const page = await client.sScan(index, cursor, { COUNT: 1_000 });
        cursor = String(page.cursor);
        found.push(...page.members);
      } while (cursor !== '0' && found.length < MAX_LISTED);
      return found.slice(0, MAX_LISTED);
    });
    if (members === undefined) return undefined;
    const patterns: StoredPattern[] = [];
    const gone: string[] = [];
    for (let at = 0; at < members.length; at += CHUNK) {
      const chunk = members.slice(at, at + CHUNK);
      // One GET per key, not MGET: on a Redis Cluster the keys sit in different slots (node-redis pipelines the GETs).
      const values = await this.cache.redis('patterns.read', (client) => Promise.all(chunk.map((fp) => client.get(patternKey(this.scope, fp)))));
      if (values === undefined) return undefined;
      chunk.forEach((fingerprint, i) => {
        const pattern = this.decode(values[i], fingerprint);
        if (pattern) patterns.push(pattern);
        else gone.push(fingerprint);
      });
    }
    if (gone.length > 0) await this.cache.redis('patterns.prune', (client) => client.sRem(index, gone));
    return patterns;
  }

  /** Takes the merge lock of one template for `ms`; false when another learner holds it, undefined when the cache did not answer. */
  async lock(fingerprint: string, token: string, ms: number): Promise<boolean | undefined> {
    const key = patternLockKey(this.scope, fingerprint);
    const reply = await this.cache.redis('patterns.lock', (client) =>
      client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ms } }),
    );
    return reply === undefined ? undefined : reply === 'OK';
  }

  /** Releases the lock if this token still holds it. */
  async unlock(fingerprint: string, token: string): Promise<void> {
    const key = patternLockKey(this.scope, fingerprint);
    await this.cache.redis('patterns.unlock', (client) => client.eval(unlockScript, { keys: [key], arguments: [token] }));
  }

  /**
   * A raw cache value (the cache's JSON envelope around the pattern) as a pattern of this
   * scope, or undefined. Expired, malformed, of another schema or for another key: absent.
   */
  private decode(raw: unknown, fingerprint: string): StoredPattern | undefined {
    const decoded = decodeValue(raw);
    if (!decoded || decoded.value.expiresAt <= this.clock.now()) return undefined;
    if (!valueMatches(decoded.value, patternKey(this.scope, fingerprint), this.origin(fingerprint))) return undefined;
    return this.accept(decoded.value.artifact, fingerprint);
  }

  /** What a pattern value is made from: patterns are shared by every scope of a pipeline version (see pattern-keys.ts). */
  private origin(fingerprint: string): ValueOrigin {
    return { pipeline: this.scope.pipeline, version: this.scope.version, scope: null, input: fingerprint };
  }

  private accept(value: unknown, fingerprint: string): StoredPattern | undefined {
    const pattern = parseStoredPattern(value);
    const { pipeline, version } = this.scope;
    return pattern && pattern.fingerprint === fingerprint && pattern.pipeline === pipeline && pattern.version === version ? pattern : undefined;
  }
}
