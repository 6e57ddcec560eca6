import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import { createLogger } from '../../log.js';
import { openQueue } from '../../queue/index.js';
import { applySchedules, assertSchedulesValid, listSchedules, removeSchedule, type ScheduleQueues } from '../../schedule/index.js';
import { openBrokerSession } from '../broker-session.js';
import type { CommonFlags } from '../cli-options.js';
import { configFor, configOption, logLevelOption } from '../shared-options.js';

/** Runs `fn` with the document queues of the configured (or embedded) broker, then closes everything. */
async function withScheduleQueues<T>(config: Config, logger: Logger, fn: (queues: ScheduleQueues) => Promise<T>): Promise<T> {
  const session = await openBrokerSession(config, logger, { withCache: false });
  const queues = { default: openQueue(config, 'default', session.brokerUrl), batch: openQueue(config, 'batch', session.brokerUrl) };
  try {
    return await fn(queues);
  } finally {
    await Promise.all(Object.values(queues).map((queue) => queue.close().catch(() => {})));
    await session.close();
  }
}

export function registerScheduleCommand(program: Command): void {
  const schedule = program.command('schedule').description('recurring batches declared in the config (`schedules`), as BullMQ job schedulers');

  schedule
    .command('list')
    .description('schedules in the broker, with their next run')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (flags: CommonFlags & { json?: boolean }) => {
      const config = configFor(flags);
      const found = await withScheduleQueues(config, createLogger({ level: config.logLevel, format: config.logFormat }), listSchedules);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(found)}\n`);
        return;
      }
      if (found.length === 0) process.stdout.write('no schedules in the broker (declare them under "schedules" and run `batchline schedule apply`)\n');
      for (const s of found) {
        const next = s.next ? new Date(s.next).toISOString() : 'unknown';
        process.stdout.write(`${s.name}  "${s.cron}" ${s.timezone}  → ${s.queue}  next: ${next}  inputs: ${s.inputs.join(' ')}\n`);
      }
    });

  schedule
    .command('apply')
    .description('make the broker match the config: add, update and remove schedules (running it twice changes nothing)')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (flags: CommonFlags & { json?: boolean }) => {
      const config = configFor(flags);
      assertSchedulesValid(config.schedules); // a typo is named before any broker is reached
      const report = await withScheduleQueues(config, createLogger({ level: config.logLevel, format: config.logFormat }), (queues) => applySchedules(config, queues));
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(report)}\n`
          : `added: ${report.added.join(', ') || '-'}; updated: ${report.updated.join(', ') || '-'}; unchanged: ${report.unchanged.join(', ') || '-'}; removed: ${report.removed.join(', ') || '-'}\n`,
      );
    });

  schedule
    .command('remove')
    .description('remove one schedule from the broker (it comes back on the next apply while it is in the config)')
    .argument('<name>', 'schedule name')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (name: string, flags: CommonFlags) => {
      const config = configFor(flags);
      const removed = await withScheduleQueues(config, createLogger({ level: config.logLevel, format: config.logFormat }), (queues) => removeSchedule(queues, name));
      process.stdout.write(removed ? `removed ${name}\n` : `no schedule named ${name}\n`);
    });
}
