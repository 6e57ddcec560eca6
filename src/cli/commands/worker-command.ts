import { type Command, Option } from 'commander';
import { QUEUE_NAMES, type QueueName } from '../../config/index.js';
import { runWorkerProcess } from '../../worker/index.js';
import { type CommonFlags, overridesFrom, parsePositiveInt } from '../cli-options.js';
import { configOption, logLevelOption } from '../shared-options.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker process for one queue in the foreground (needs BATCHLINE_BROKER_URL)')
    .addOption(new Option('-q, --queue <queue>', 'queue to work on').choices([...QUEUE_NAMES]).default('default'))
    .option('-p, --pipeline <pipeline>', 'built-in pipeline or path to a pipeline module')
    .option('--concurrency <n>', 'jobs at once', parsePositiveInt)
    .option('--no-cache', 'do not use the cache')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (flags: CommonFlags & { queue: QueueName }) => {
      await runWorkerProcess(flags.queue, {
        configFile: flags.config,
        overrides: overridesFrom(flags, flags.queue),
        concurrency: flags.concurrency,
      });
    });
}
