import type { Cache } from '../cache/index.js';
import { type Clock, systemClock } from '../time.js';
import type { PatternHint, PatternLookup } from '../pipeline/index.js';
import type { PatternScope } from './pattern-keys.js';
import { PatternStore } from './pattern-store.js';
import { type StoredPattern, toHint } from './stored-pattern.js';

/** Options of {@link createPatternLookup}. */
export interface PatternLookupOptions {
  readonly cache: Cache;
  readonly scope: PatternScope;
  /** @defaultValue systemClock */
  readonly clock?: Clock;
  /**
   * How long "no pattern for this fingerprint" is remembered in this process, so documents
   * of unknown templates (free text, mostly) do not each cost a cache Redis round trip (ms).
   * A pattern learned meanwhile is seen after this long. @defaultValue 30 000
   */
  readonly absentTtlMs?: number;
  /** Fingerprints remembered as absent at most; the memory is cleared when full. @defaultValue 10 000 */
  readonly maxAbsent?: number;
}

/**
 * The workers' `context.patterns`: patterns through the cache's tiers (an L1 hit costs no
 * I/O; an L2 read gets the cache's time budget and breaker), validated, as hints. Never
 * rejects: no pattern, a cache that is down or slow and a value that does not parse are
 * all `undefined`.
 */
export function createPatternLookup(options: PatternLookupOptions): PatternLookup {
  const clock = options.clock ?? systemClock;
  const absentTtlMs = options.absentTtlMs ?? 30_000;
  const maxAbsent = options.maxAbsent ?? 10_000;
  const store = new PatternStore(options.cache, options.scope);
  const absent = new Map<string, number>();
  // The store returns one object per cached value: derive each hint once.
  const hints = new WeakMap<StoredPattern, PatternHint>();
  return {
    async get(fingerprint: string): Promise<PatternHint | undefined> {
      try {
        const until = absent.get(fingerprint);
        if (until !== undefined && until > clock.now()) return undefined;
        const pattern = await store.get(fingerprint);
        if (!pattern) {
          if (absent.size >= maxAbsent) absent.clear();
          absent.set(fingerprint, clock.now() + absentTtlMs);
          return undefined;
        }
        absent.delete(fingerprint);
        const hint = hints.get(pattern) ?? toHint(pattern);
        hints.set(pattern, hint);
        return hint;
      } catch {
        return undefined;
      }
    },
  };
}
