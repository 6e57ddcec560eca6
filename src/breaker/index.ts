/** The breaker area's public face: what other areas import. */
export {
  type BreakerHealth,
  type BreakerPermit,
  BreakerState,
  type BreakerTransition,
  CacheBreaker,
  type CacheBreakerOptions,
} from './cache-breaker.js';
export { type BackoffOptions, backoffDelay, reconnectStrategy, validateBackoff } from './backoff.js';
