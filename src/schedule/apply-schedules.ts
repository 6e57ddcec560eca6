import type { Queue } from 'bullmq';
import type { Config, DocumentQueueName } from '../config/index.js';
import { assertSchedulesValid } from './check-schedule.js';
import { SCHEDULED_BATCH_JOB, SCHEDULER_ID_PREFIX, type ScheduledBatchData, schedulerIdFor } from './scheduled-batch-job.js';

export type ScheduleQueues = Readonly<Record<DocumentQueueName, Queue>>;

/** A schedule as it stands in the broker. */
export interface AppliedSchedule {
  name: string;
  queue: DocumentQueueName;
  cron: string;
  timezone: string;
  inputs: string[];
  pipeline?: string;
  /** Next run (ms since epoch), when BullMQ knows it. */
  next?: number;
}

export interface ApplyReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
}

/** Every batchline schedule in the broker, across the document queues. */
export async function listSchedules(queues: ScheduleQueues): Promise<AppliedSchedule[]> {
  const found: AppliedSchedule[] = [];
  for (const [queueName, queue] of Object.entries(queues) as [DocumentQueueName, Queue][]) {
    for (const scheduler of await queue.getJobSchedulers(0, -1, true)) {
      if (!scheduler.key.startsWith(SCHEDULER_ID_PREFIX)) continue;
      const data = scheduler.template?.data as ScheduledBatchData | undefined;
      found.push({
        name: scheduler.key.slice(SCHEDULER_ID_PREFIX.length),
        queue: queueName,
        cron: scheduler.pattern ?? '',
        timezone: scheduler.tz ?? 'UTC',
        inputs: data?.inputs ?? [],
        ...(data?.pipeline ? { pipeline: data.pipeline } : {}),
        ...(scheduler.next ? { next: scheduler.next } : {}),
      });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Makes the broker's schedules match the config: adds new ones, updates changed ones,
 * removes batchline schedules no longer in the config. Running it twice changes nothing
 * the second time. Schedulers not made by batchline are left alone. All or nothing for
 * bad input: one invalid cron pattern or time zone throws E_CONFIG naming it before
 * anything in the broker changes.
 */
export async function applySchedules(config: Config, queues: ScheduleQueues): Promise<ApplyReport> {
  assertSchedulesValid(config.schedules);
  const report: ApplyReport = { added: [], updated: [], unchanged: [], removed: [] };
  const existing = await listSchedules(queues);
  for (const schedule of config.schedules) {
    const data: ScheduledBatchData = {
      schedule: schedule.name,
      inputs: [...schedule.inputs],
      queue: schedule.queue,
      ...(schedule.pipeline ? { pipeline: schedule.pipeline } : {}),
    };
    const current = existing.find((applied) => applied.name === schedule.name);
    const same =
      current !== undefined &&
      current.queue === schedule.queue &&
      current.cron === schedule.cron &&
      current.timezone === schedule.timezone &&
      JSON.stringify(current.inputs) === JSON.stringify(data.inputs) &&
      current.pipeline === data.pipeline;
    if (same) {
      report.unchanged.push(schedule.name);
      continue;
    }
    // A schedule that moved to another queue is removed from the old one first.
    if (current && current.queue !== schedule.queue) await queues[current.queue].removeJobScheduler(schedulerIdFor(schedule.name));
    await queues[schedule.queue].upsertJobScheduler(
      schedulerIdFor(schedule.name),
      { pattern: schedule.cron, tz: schedule.timezone },
      { name: SCHEDULED_BATCH_JOB, data, opts: { attempts: config.jobs.attempts, backoff: { type: 'exponential', delay: config.jobs.backoffMs } } },
    );
    (current ? report.updated : report.added).push(schedule.name);
  }
  for (const applied of existing) {
    if (config.schedules.some((schedule) => schedule.name === applied.name)) continue;
    await queues[applied.queue].removeJobScheduler(schedulerIdFor(applied.name));
    report.removed.push(applied.name);
  }
  return report;
}

/** Removes one batchline schedule by name; false when there was none. */
export async function removeSchedule(queues: ScheduleQueues, name: string): Promise<boolean> {
  let removed = false;
  for (const queue of Object.values(queues)) removed = (await queue.removeJobScheduler(schedulerIdFor(name))) || removed;
  return removed;
}
