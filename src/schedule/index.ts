/** The schedule area's public face: recurring batches (BullMQ job schedulers) and their runner. */
export { applySchedules, listSchedules, removeSchedule, type ScheduleQueues } from './apply-schedules.js';
export { assertSchedulesValid, nextRun } from './check-schedule.js';
export { SCHEDULED_BATCH_JOB, type ScheduledBatchData } from './scheduled-batch-job.js';
export { createScheduledBatchRunner } from './scheduled-batch-runner.js';
