import type { Cache } from '../cache/index.js';
import { systemClock } from '../time.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log.js';
import type { Pipeline } from '../pipeline/index.js';
import { createSemanticLookup } from '../semantic/index.js';
import { CachedArtifacts } from './cached-artifacts.js';
import { type DocumentCache, noDocumentCache } from './document-cache.js';
import { InFlightClaims } from './inflight-claims.js';

/**
 * The worker's cache path for one pipeline: exact lookups on `cache`, plus near-duplicates
 * when `semantic.enabled` (their L2 index goes through the cache's own choke point, never a
 * client of its own). `--no-cache` gives the pipeline-only path.
 */
export function buildDocumentCache(config: Config, cache: Cache, pipeline: Pipeline, logger: Logger): DocumentCache {
  if (!config.cache.enabled) return noDocumentCache;
  if (config.semantic.enabled && config.semantic.mode === 'similar') {
    logger.warn(
      { threshold: config.semantic.threshold, salient: pipeline.salient ? 'pipeline' : 'default' },
      'semantic.mode is "similar": near-duplicates that differ in more than formatting may be served another document\'s artifact (see BENCHMARKS.md)',
    );
  }
  const semantic = config.semantic.enabled
    ? createSemanticLookup({
        settings: config.semantic,
        hashes: cache.mode === 'l1+l2' ? cache.l2 : undefined,
        namespace: config.cache.namespace,
        l1TtlCapMs: config.cache.l1.ttlCapMs,
        ...(pipeline.salient ? { extractor: pipeline.salient } : {}),
        clock: systemClock,
      })
    : undefined;
  const claims =
    config.cache.claims.enabled && cache.mode === 'l1+l2'
      ? new InFlightClaims(cache, { ttlMs: config.workers.jobTimeoutMs, ...config.cache.claims })
      : undefined;
  return new CachedArtifacts(cache, pipeline, config.cache.namespace, semantic, claims);
}
