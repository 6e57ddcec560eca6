import { existsSync } from 'node:fs';
import type { Config } from '../config/index.js';
import { nextRun } from '../schedule/index.js';
import { type Finding, fail, ok, warn } from './finding.js';

/** Each configured schedule: its cron pattern and time zone parse, and its inputs exist here. */
export function checkSchedules(config: Config): Finding[] {
  if (config.schedules.length === 0) return [ok('schedules', 'none configured')];
  return config.schedules.map((schedule) => {
    const outcome = nextRun(schedule);
    if ('problem' in outcome) return fail('schedules', outcome.problem);
    const missing = schedule.inputs.filter((input) => !existsSync(input));
    const when = `"${schedule.cron}" ${schedule.timezone}, next ${outcome.next.toISOString()}`;
    return missing.length > 0
      ? warn('schedules', `${schedule.name}: ${when}; inputs not found on this machine: ${missing.join(', ')} (the worker that runs it must see them)`)
      : ok('schedules', `${schedule.name}: ${when}`);
  });
}
