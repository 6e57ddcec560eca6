/**
 * batchline as a library: what a pipeline author or an embedding application imports.
 * The CLI (`batchline`) and the worker entry points are built on the same pieces.
 */

// Writing a pipeline.
export {
  type Artifact,
  createExtractPipeline,
  type Document,
  extractDocument,
  extractPipeline,
  loadPipeline,
  type PatternHint,
  type PatternLookup,
  type Pipeline,
  type PipelineContext,
  templateFingerprint,
} from './pipeline/index.js';

// Configuration and errors.
export { type Config, type ConfigInput, configSchema, loadConfig, redactUrl } from './config/index.js';
export { BatchlineError, ErrorCode, exitCodeFor, hasCode, isBatchlineError } from './errors.js';
export { type Clock, ManualClock, systemClock } from './time.js';

// The optional cache and the near-duplicate lookup.
export { type BreakerHealth, BreakerState, CacheBreaker } from './breaker/index.js';
export { artifactKey, type Cache, type CacheHealth, type CacheStats, createCache, TtlTier } from './cache/index.js';
export { createSemanticLookup, defaultGuard, type SemanticGuard } from './semantic/index.js';

// Batches in the broker.
export {
  type BatchInfo,
  BatchStore,
  DOCUMENT_QUEUES,
  jobIdFor,
  newBatchId,
  QUEUE_NAMES,
  type QueueName,
  type ResultLine,
  type WorkerHeartbeat,
  WorkerRegistry,
} from './queue/index.js';

// Operators' surface.
export { startDashboard } from './dashboard/index.js';
export { RedisServer } from './redis/index.js';
