import { CronExpressionParser } from 'cron-parser';
import type { Config } from '../config/index.js';
import { BatchlineError, ErrorCode, messageOf } from '../errors.js';

type Schedule = Config['schedules'][number];

/** The next run of a schedule, or why its cron pattern or time zone is invalid. */
export function nextRun(schedule: Schedule): { next: Date } | { problem: string } {
  try {
    return { next: CronExpressionParser.parse(schedule.cron, { tz: schedule.timezone }).next().toDate() };
  } catch (error) {
    return { problem: `${schedule.name}: cron "${schedule.cron}" / time zone "${schedule.timezone}" is invalid: ${messageOf(error)}` };
  }
}

/**
 * Throws E_CONFIG naming every schedule whose cron pattern or time zone does not parse:
 * `schedule apply` checks them all before it changes anything, so one typo applies nothing
 * instead of leaving the broker half updated.
 */
export function assertSchedulesValid(schedules: readonly Schedule[]): void {
  const problems = schedules.flatMap((schedule) => {
    const outcome = nextRun(schedule);
    return 'problem' in outcome ? [outcome.problem] : [];
  });
  if (problems.length > 0) {
    throw new BatchlineError(ErrorCode.CONFIG, `invalid config: schedules: ${problems.join('; ')}; nothing was applied`);
  }
}
