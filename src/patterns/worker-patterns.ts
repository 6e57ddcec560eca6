import type { Logger } from 'pino';
import type { Cache } from '../cache/index.js';
import { systemClock } from '../time.js';
import type { Config } from '../config/index.js';
import type { Pipeline, PatternLookup } from '../pipeline/index.js';
import { producerConnection } from '../redis/index.js';
import { LearnTrigger } from './learn-trigger.js';
import { createPatternLookup } from './pattern-lookup.js';

/** What a document worker gets from the patterns area. */
export interface WorkerPatterns {
  /** `context.patterns` for the pipeline; undefined when patterns are off or there is no cache Redis. */
  readonly lookup: PatternLookup | undefined;
  /** Call after recording the result that finished a batch: queues its learn job. Never throws. */
  batchFinished(batchId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Patterns for a document worker process: lookups on its own cache (so they share its L1,
 * budget and breaker) for the pipeline it runs, and the trigger that queues learning.
 */
export function patternsForWorker(config: Config, brokerUrl: string, cache: Cache, pipeline: Pipeline, logger: Logger): WorkerPatterns {
  const lookup =
    config.patterns.enabled && cache.mode === 'l1+l2'
      ? createPatternLookup({
          cache,
          scope: { namespace: config.cache.namespace, pipeline: pipeline.name, version: pipeline.version },
          clock: systemClock,
        })
      : undefined;
  const trigger = new LearnTrigger(config, producerConnection(brokerUrl), logger);
  return {
    lookup,
    batchFinished: (batchId) => trigger.batchFinished(batchId),
    close: () => trigger.close(),
  };
}
