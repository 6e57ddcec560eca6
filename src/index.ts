/**
 * batchline as a library: what a pipeline author or an embedding application imports.
 * The CLI (`batchline`) and the worker entry points are built on the same pieces.
 */

// Writing a pipeline.
export type { Artifact, Document, PatternHint, PatternLookup, Pipeline, PipelineContext } from './pipeline/types.js';
export { createExtractPipeline, extractDocument, extractPipeline, templateFingerprint } from './pipeline/extract/index.js';
export { loadPipeline } from './pipeline/load-pipeline.js';

// Configuration and errors.
export { type Config, type ConfigInput, configSchema, loadConfig, redactUrl } from './config/index.js';
export { BatchlineError, ErrorCode, exitCodeFor, hasCode, isBatchlineError } from './errors.js';
export { type Clock, ManualClock, systemClock } from './time.js';

// The optional cache and the near-duplicate lookup.
export { type BreakerHealth, BreakerState, CacheBreaker } from './breaker/index.js';
export { artifactKey, type Cache, type CacheHealth, type CacheStats, createCache, TtlTier } from './cache/index.js';
export { createSemanticLookup, defaultGuard, type SemanticGuard } from './semantic/index.js';

// Batches in the broker.
export { type BatchInfo, BatchStore, type ResultLine } from './queue/batch-store.js';
export { jobIdFor, newBatchId } from './queue/ids.js';
export { DOCUMENT_QUEUES, QUEUE_NAMES, type QueueName } from './queue/queue-names.js';
export { type WorkerHeartbeat, WorkerRegistry } from './queue/worker-registry.js';

// Operators' surface.
export { startDashboard } from './dashboard/index.js';
export { RedisServer } from './redis/redis-server.js';
