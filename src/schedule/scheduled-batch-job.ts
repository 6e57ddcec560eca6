import type { DocumentQueueName } from '../config/index.js';

/** Name of the jobs a schedule enqueues: each one ingests a new batch. */
export const SCHEDULED_BATCH_JOB = 'scheduled-batch';

/** Data of a scheduled-batch job (the scheduler's template). */
export interface ScheduledBatchData {
  schedule: string;
  inputs: string[];
  queue: DocumentQueueName;
  pipeline?: string;
}

/** Scheduler ids carry a prefix so `apply` only ever touches schedulers batchline made. */
export const SCHEDULER_ID_PREFIX = 'bl-schedule-';

export function schedulerIdFor(name: string): string {
  return `${SCHEDULER_ID_PREFIX}${name}`;
}

/**
 * The batch a scheduled run creates: the schedule's name and the UTC minute it was due,
 * so a retried run lands in the same batch instead of a second one.
 */
export function scheduledBatchId(schedule: string, dueAt: number): string {
  const stamp = new Date(dueAt).toISOString().replace(/[-:]/g, '').slice(0, 13); // 20261128T0200
  return `${schedule}-${stamp}Z`;
}
