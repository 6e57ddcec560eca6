import { createRequire } from 'node:module';
import type * as KeyvRedisModule from '@keyv/redis';

/**
 * @keyv/redis (and node-redis under it, ~400 modules) loaded on first use, synchronously:
 * a process with no cache Redis (`--no-cache`, no cache URL, most CLI commands) never
 * needs it, and loading it cost every worker process ~130 ms of start-up, a quarter of its
 * imports. Its CommonJS build, so that `createCache` stays synchronous; every use of the
 * package in batchline goes through here, so the classes it hands out are all of one build.
 */
let loaded: typeof KeyvRedisModule | undefined;

export function keyvRedis(): typeof KeyvRedisModule {
  loaded ??= createRequire(import.meta.url)('@keyv/redis') as typeof KeyvRedisModule;
  return loaded;
}
