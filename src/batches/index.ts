/**
 * The batches area's public face: batch and document ids, the batch store (where each
 * document's one result is recorded — `BatchStore.recordResults` and the Lua in
 * batch-scripts.ts — with the batch's counters, and where a batch is known to have
 * finished: `BatchStore.onBatchFinished`), the result line, the batch's phase,
 * stranded-document checks and the results export. It loads no BullMQ: `status` and
 * `export` start fast because they need only this area.
 */
export type { BatchFinishedListener } from './batch-finished.js';
export { batchKeys } from './batch-keys.js';
export { type BatchPhase, batchPhase, INGEST_QUIET_MS } from './batch-phase.js';
export { type BatchInfo, BatchStore, isFinished, type NewBatch, type RecordOutcome, type TimelinePoint } from './batch-store.js';
export { assertBatchId, jobIdFor, newBatchId } from './ids.js';
export { writeLinesAtomically } from './jsonl-export.js';
export { type CacheKind, NO_USAGE, type ResultLine, type ResultWrite, type TokenUsage } from './result-line.js';
export { describeStranded, findStrandedDocs, StrandedCheck, type StrandedDocs } from './stranded-docs.js';
export { newWriteId } from './write-id.js';
