/**
 * The cache area's public face: what workers and the semantic index import. The gateway,
 * the Redis store and the tier classes stay internal so nothing can bypass the choke point.
 */
export { type CacheConfig, type CreateCacheOptions, createCache } from './create-cache.js';
export { type ArtifactKeyParts, artifactKey, artifactKeyOf, canonicalText, inputHash, keyPrefix, scopeSlot } from './keys.js';
export { checkCachePolicy } from './policy-check.js';
export { encodeScope, MAX_SCOPE_LENGTH, type ScopeParts, scopeProblem } from './scope.js';
export type { CacheClusterNode, CacheServerFacts, L2OperationOptions, L2Operations } from './l2-operations.js';
export { l1TtlMs, MAX_TIMER_MS, TTL_MS, TtlTier, ttlMs } from './ttl.js';
export type {
  Cache,
  CacheHealth,
  CacheHit,
  CacheMode,
  CacheStats,
  CacheTier,
  ValueToCache,
} from './types.js';
export {
  anyPayload,
  CACHE_SCHEMA_VERSION,
  type CachedValue,
  decodeValue,
  type StoredPayload,
  type ValueCodec,
  type ValueOrigin,
  valueMatches,
} from './value.js';
