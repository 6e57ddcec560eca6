/**
 * The cache area's public face: what workers and the semantic index import. The gateway,
 * the Redis store and the tier classes stay internal so nothing can bypass the choke point.
 */
export { type CacheConfig, type CreateCacheOptions, createCache } from './create-cache.js';
export { type ArtifactKeyParts, artifactKey, canonicalText, inputHash, keyPrefix } from './keys.js';
export { checkCachePolicy } from './policy-check.js';
export type { CacheRedisClient } from './redis-store.js';
export { l1TtlMs, MAX_TIMER_MS, TTL_MS, TTL_TIER_BY_QUEUE, TtlTier, ttlMs } from './ttl.js';
export type {
  ArtifactToCache,
  Cache,
  CacheHealth,
  CacheHit,
  CacheMode,
  CacheStats,
  CacheTier,
} from './types.js';
export { CACHE_SCHEMA_VERSION, type CachedValue } from './value.js';
