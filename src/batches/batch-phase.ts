import type { BatchInfo } from './batch-store.js';

/**
 * How long an unsealed batch may go without any change before `status` and the dashboard
 * call its ingest stalled: a killed ingest (SIGKILL, OOM killer, a lost machine) cannot say
 * so itself. Recording accepted documents and every result move `updatedAt`; an ingest held
 * back by a full queue with no worker running also stands still, so the words are "no
 * progress", not "dead".
 */
export const INGEST_QUIET_MS = 60_000;

/**
 * Where a batch stands. `ingesting`: documents may still arrive; `ingest-failed`: its ingest
 * stopped on an error (see `ingestError`) and it will not finish until ingested again;
 * `ingest-stalled`: unsealed with no change for INGEST_QUIET_MS; `processing`: all
 * documents accepted, results pending; `finished`.
 */
export type BatchPhase = 'ingesting' | 'ingest-failed' | 'ingest-stalled' | 'processing' | 'finished';

export function batchPhase(batch: Pick<BatchInfo, 'finishedAt' | 'sealed' | 'ingestError' | 'updatedAt'>, now = Date.now()): BatchPhase {
  if (batch.finishedAt !== undefined) return 'finished';
  if (batch.sealed) return 'processing';
  if (batch.ingestError) return 'ingest-failed';
  return now - batch.updatedAt >= INGEST_QUIET_MS ? 'ingest-stalled' : 'ingesting';
}
