/**
 * batchline as a library: what a pipeline author or an embedding application imports.
 * The CLI (`batchline`) and the worker entry points are built on the same pieces.
 */


// Batches and their results in the broker, and the queues their documents go through.
export { type BatchInfo, BatchStore, jobIdFor, newBatchId, type ResultLine } from './batches/index.js';
// The optional cache and the near-duplicate lookup.
export { type BreakerHealth, BreakerState, CacheBreaker } from './breaker/index.js';
export { artifactKey, type Cache, type CacheHealth, type CacheStats, createCache, TtlTier } from './cache/index.js';
// Configuration and errors.
export { type Config, type ConfigInput, configSchema, DOCUMENT_QUEUES, loadConfig, QUEUE_NAMES, type QueueName, redactUrl } from './config/index.js';
// Operators' surface.
export { startDashboard } from './dashboard/index.js';
export { BatchlineError, ErrorCode, exitCodeFor, hasCode, isBatchlineError } from './errors.js';
// Writing a pipeline.
export {
  type Artifact,
  createExtractPipeline,
  type Document,
  extractDocument,
  extractPipeline,
  loadPipeline,
  type PatternHint,
  type PatternHook,
  type PatternLookup,
  type Pipeline,
  type PipelineContext,
  type TemplateObservation,
  templateFingerprint,
} from './pipeline/index.js';
export { type WorkerHeartbeat, WorkerRegistry } from './queue/index.js';
export { RedisServer } from './redis/index.js';
export { createSemanticLookup, defaultGuard, type SemanticGuard } from './semantic/index.js';
export { type Clock, ManualClock, systemClock } from './time.js';
