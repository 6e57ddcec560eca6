import { type Cache, decodeValue, TtlTier, ttlMs, type ValueCodec, type ValueOrigin, valueMatches } from '../cache/index.js';
import { type Clock, systemClock } from '../time.js';
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

const unlockScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * The patterns of one pipeline version in the cache, through the cache's own API only:
 * `get`/`set` for the patterns themselves (PATTERN tier), `redis()` — the guarded choke
 * point — for the index set, the merge lock and reads that must skip this process's L1.
 * Nothing here throws; `undefined` means the cache did not answer.
 */
export class PatternStore {
  constructor(
    private readonly cache: Cache,
    readonly scope: PatternScope,
    private readonly clock: Clock = systemClock,
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
    this.cache.set(patternKey(this.scope, pattern.fingerprint), { artifact: pattern, docId: writtenBy, made }, TtlTier.PATTERN, patternCodec);
    await this.cache.flush(flushMs);
    const index = patternIndexKey(this.scope);
    const scopes = patternScopesKey(this.scope.namespace);
    const lifetime = ttlMs(TtlTier.PATTERN);
    const done = await this.cache.redis('patterns.index', (client) =>
      client
        .multi()
        .sAdd(index, pattern.fingerprint)
        .pExpire(index, lifetime)
        .sAdd(scopes, `${this.scope.pipeline}@${this.scope.version}`)
        .pExpire(scopes, lifetime)
        .exec(),
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
      const found: string[] = [];
      for await (const batch of client.sScanIterator(index, { COUNT: 1_000 })) {
        found.push(...batch);
        if (found.length >= MAX_LISTED) break;
      }
      return found.slice(0, MAX_LISTED);
    });
    if (members === undefined) return undefined;
    const patterns: StoredPattern[] = [];
    const gone: string[] = [];
    for (let at = 0; at < members.length; at += CHUNK) {
      const chunk = members.slice(at, at + CHUNK);
      const values = await this.cache.redis('patterns.read', (client) => client.mGet(chunk.map((fp) => patternKey(this.scope, fp))));
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
    const pattern = parseStoredPattern(decoded.value.artifact);
    return pattern && this.belongs(pattern, fingerprint) ? pattern : undefined;
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
