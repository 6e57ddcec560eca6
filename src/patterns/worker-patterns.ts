import type { Cache } from '../cache/index.js';
import type { Config } from '../config/index.js';
import type { PatternLookup, Pipeline } from '../pipeline/index.js';
import { systemClock } from '../time.js';
import { createPatternLookup } from './pattern-lookup.js';

/**
 * A document worker's `context.patterns`: lookups on its own cache (so they share its L1,
 * budget and breaker) for the pipeline it runs. Undefined when patterns are off or there is
 * no cache Redis. (Learning is queued by `learnWhenBatchesFinish`, not by the workers' jobs.)
 */
export function patternLookupForWorker(config: Config, cache: Cache, pipeline: Pipeline): PatternLookup | undefined {
  if (!config.patterns.enabled || cache.mode !== 'l1+l2') return undefined;
  return createPatternLookup({
    cache,
    scope: { namespace: config.cache.namespace, pipeline: pipeline.name, version: pipeline.version },
    clock: systemClock,
  });
}
