/**
 * The queue area's public face: queue names and job data, opening BullMQ queues, batch
 * and document ids, the batch store (results, counters, phases), stranded-document checks
 * and the worker registry. Other areas import this file, never the modules behind it.
 */
export { batchKeys } from './batch-keys.js';
export { type BatchPhase, batchPhase, INGEST_QUIET_MS } from './batch-phase.js';
export {
  type BatchInfo,
  BatchStore,
  type CacheKind,
  isFinished,
  NO_USAGE,
  newWriteId,
  type RecordOutcome,
  type ResultLine,
  type ResultWrite,
  type TimelinePoint,
  type TokenUsage,
} from './batch-store.js';
export { assertBatchId, jobIdFor, newBatchId } from './ids.js';
export type { DocumentJobData } from './job-data.js';
export { DOCUMENT_QUEUES, type DocumentQueueName, isQueueName, QUEUE_NAMES, type QueueName } from './queue-names.js';
export { defaultJobOptions, jobRetention, openQueue } from './queues.js';
export { describeStranded, findStrandedDocs, STRANDED_QUIET_MS, StrandedCheck, type StrandedDocs } from './stranded-docs.js';
export { newWorkerId, type WorkerHeartbeat, WorkerRegistry } from './worker-registry.js';
