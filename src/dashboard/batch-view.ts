import { type BatchInfo, type BatchPhase, batchPhase } from '../batches/index.js';
import type { RecentPoint } from './recent-timeline.js';

/** A batch as the batches page shows it: the broker's counters plus what follows from them. */
export interface BatchView extends BatchInfo {
  /** Documents with a result (ok + failed). */
  done: number;
  /** Accepted documents whose job is running now. */
  active: number;
  /** Accepted documents with no result and not running: queued, delayed or waiting for a retry. */
  waiting: number;
  /** done / total, 0–1 (0 before anything is accepted). */
  progress: number;
  /** See `BatchPhase`: `ingest-failed` carries its reason in `ingestError`. */
  phase: BatchPhase;
  /** Documents per minute: recent rate while running, average over the run once finished. */
  throughputPerMinute?: number;
  /** Seconds until every accepted document has a result at the current rate; absent when unknown or finished. */
  etaSeconds?: number;
}

/** How far back the "current" rate of a running batch looks. */
const RECENT_WINDOW_MS = 5 * 60_000;

/**
 * Derives a batch's view. `recent` (the last minutes of its timeline) is only needed while
 * the batch runs, for the current rate; `active` comes from the queue's active list.
 * Waiting is what is left: accepted, no result, not running — it includes jobs delayed
 * for a retry.
 */
export function batchView(batch: BatchInfo, active: number, recent: readonly RecentPoint[] | undefined, now: number): BatchView {
  const done = batch.ok + batch.failed;
  const pending = Math.max(0, batch.total - done);
  const running = Math.min(active, pending);
  const finished = batch.finishedAt !== undefined;
  const view: BatchView = {
    ...batch,
    done,
    active: finished ? 0 : running,
    waiting: finished ? 0 : pending - running,
    progress: batch.total > 0 ? Math.min(1, done / batch.total) : 0,
    phase: batchPhase(batch, now),
  };
  const rate = finished ? averageRate(batch, done) : recentRate(batch, done, recent ?? [], now);
  if (rate !== undefined) view.throughputPerMinute = rate;
  if (!finished && rate !== undefined && rate > 0) view.etaSeconds = Math.ceil((pending / rate) * 60);
  return view;
}

function averageRate(batch: BatchInfo, done: number): number | undefined {
  const elapsedMs = (batch.finishedAt ?? batch.updatedAt) - batch.createdAt;
  return elapsedMs > 0 ? (done / elapsedMs) * 60_000 : undefined;
}

/**
 * Results in the last few minutes over the time they span. The window starts at the
 * earliest of those minutes, or at the batch's creation if later, so a batch a few
 * seconds old is not judged over a whole minute. Nothing recent: 0 once anything has
 * finished (stalled), unknown before.
 */
function recentRate(batch: BatchInfo, done: number, points: readonly RecentPoint[], now: number): number | undefined {
  const recent = points.filter((point) => point.minute * 1000 >= now - RECENT_WINDOW_MS);
  const first = recent[0];
  if (!first) return done > 0 ? 0 : undefined;
  const start = Math.max(first.minute * 1000, batch.createdAt);
  const elapsedMs = now - start;
  if (elapsedMs <= 0) return undefined;
  const finished = recent.reduce((sum, point) => sum + point.ok + point.failed, 0);
  return (finished / elapsedMs) * 60_000;
}
