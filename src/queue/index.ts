/**
 * The queue area's public face: queue names and job data, opening BullMQ queues and their
 * job options, and the worker registry. Queue names are the config's vocabulary (src/config). Batches, results and document ids are the batches
 * area's. Other areas import this file, never the modules behind it.
 */
export type { DocumentJobData } from './job-data.js';
export { applyRetryPolicy, defaultJobOptions, jobRetention, openIngestQueue, openQueue } from './queues.js';
export { newWorkerId, type WorkerHeartbeat, WorkerRegistry } from './worker-registry.js';
