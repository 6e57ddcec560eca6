#!/usr/bin/env node
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { type Config, loadConfig } from '../config/index.js';
import { BatchlineError, ErrorCode, exitCodeFor, messageOf } from '../errors.js';
import { createLogger } from '../log.js';
import { assertBatchId } from '../queue/ids.js';
import { QUEUE_NAMES, type QueueName } from '../queue/queue-names.js';
import { runWorkerProcess } from '../worker/worker-main.js';
import { formatStatus, formatSummary } from './batch-summary.js';
import { openBrokerSession } from './broker-session.js';
import { type CommonFlags, overridesFrom, parseDocumentQueue, parsePositiveInt } from './cli-options.js';
import { exportBatch } from './commands/export-batch.js';
import { ingestOnly } from './commands/ingest-only.js';
import { runBatch } from './commands/run-batch.js';
import { batchFiles } from './paths.js';

const program = new Command('batchline')
  .description('Worker-queue batch processor with an optional two-tier cache.')
  .showHelpAfterError()
  .exitOverride();

const configOption = () => new Option('-c, --config <file>', 'config file (default: ./batchline.config.json if present)');
const logLevelOption = () =>
  new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function configFor(flags: CommonFlags, queue?: QueueName): Config {
  return loadConfig({ configFile: flags.config, overrides: overridesFrom(flags, queue === 'patterns' ? 'patterns' : queue) });
}

program
  .command('run')
  .description('ingest inputs, process them with worker processes, write results and print a summary (one shot)')
  .argument('<inputs...>', 'JSONL files, folders of .txt/.md/.json documents, or - for JSONL on stdin')
  .addOption(new Option('-q, --queue <queue>', 'queue: default (interactive) or batch (bulk)').default('default').argParser(parseDocumentQueue))
  .option('-b, --batch-id <id>', 'batch id (re-using one skips documents already done)')
  .option('-o, --out <dir>', 'results folder (default: results)')
  .option('-p, --pipeline <pipeline>', 'built-in pipeline (extract, noop) or path to a pipeline module')
  .option('--concurrency <n>', 'jobs per worker process', parsePositiveInt)
  .option('-w, --workers <n>', 'worker processes', parsePositiveInt)
  .option('--no-cache', 'do not use the cache at all')
  .option('--json', 'print the summary as one JSON object on stdout')
  .addOption(configOption())
  .addOption(logLevelOption())
  .action(async (inputs: string[], flags: CommonFlags & { queue: 'default' | 'batch'; batchId?: string; json?: boolean }) => {
    const config = configFor(flags, flags.queue);
    const logger = createLogger({ level: config.logLevel });
    const { summary, files } = await runBatch(config, { inputs, queue: flags.queue, batchId: flags.batchId, quiet: !!flags.json }, logger);
    process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary, files));
  });

program
  .command('ingest')
  .description('enqueue inputs for workers started elsewhere (needs BATCHLINE_BROKER_URL)')
  .argument('<inputs...>', 'JSONL files, folders, or - for stdin')
  .addOption(new Option('-q, --queue <queue>', 'queue: default or batch').default('default').argParser(parseDocumentQueue))
  .option('-b, --batch-id <id>', 'batch id (re-ingesting the same input adds nothing)')
  .option('-o, --out <dir>', 'folder for the rejected-records file')
  .option('-p, --pipeline <pipeline>', 'pipeline name recorded with the batch')
  .option('--json', 'print the ingest report as JSON')
  .addOption(configOption())
  .addOption(logLevelOption())
  .action(async (inputs: string[], flags: CommonFlags & { queue: 'default' | 'batch'; batchId?: string; json?: boolean }) => {
    const config = configFor(flags, flags.queue);
    const logger = createLogger({ level: config.logLevel });
    const report = await ingestOnly(config, { inputs, queue: flags.queue, batchId: flags.batchId, quiet: !!flags.json }, logger);
    process.stdout.write(
      flags.json
        ? `${JSON.stringify(report)}\n`
        : `batch ${report.batchId}: ${report.enqueued} enqueued, ${report.skipped} already there, ${report.rejected} rejected\n`,
    );
  });

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

program
  .command('status')
  .description('progress of one batch, or the most recent batches')
  .argument('[batchId]', 'batch id')
  .option('--json', 'print JSON')
  .addOption(configOption())
  .addOption(logLevelOption())
  .action(async (batchId: string | undefined, flags: CommonFlags & { json?: boolean }) => {
    const config = configFor(flags);
    const logger = createLogger({ level: config.logLevel });
    const session = await openBrokerSession(config, logger, { withCache: false });
    try {
      const ids = batchId ? [assertBatchId(batchId)] : await session.store.list(20);
      const batches = [];
      for (const id of ids) {
        const batch = await session.store.get(id);
        if (!batch) throw new BatchlineError(ErrorCode.BAD_INPUT, `no batch "${id}" in the broker`);
        batches.push(batch);
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(batchId ? batches[0] : batches)}\n`);
      else process.stdout.write(batches.length ? `${batches.map(formatStatus).join('\n\n')}\n` : 'no batches yet\n');
    } finally {
      await session.close();
    }
  });

program
  .command('export')
  .description("write a batch's results, one JSON line per document")
  .argument('<batchId>', 'batch id')
  .option('-o, --out <file>', 'output file (default: <outDir>/<batchId>.jsonl)')
  .addOption(configOption())
  .addOption(logLevelOption())
  .action(async (batchId: string, flags: { out?: string; config?: string; logLevel?: string }) => {
    const config = configFor({ config: flags.config, logLevel: flags.logLevel });
    const logger = createLogger({ level: config.logLevel });
    const file = flags.out ?? batchFiles(config.outDir, assertBatchId(batchId)).results;
    const session = await openBrokerSession(config, logger, { withCache: false });
    try {
      const count = await exportBatch(session.store, batchId, file);
      process.stderr.write(`${count} results written to ${path.resolve(file)}\n`);
    } finally {
      await session.close();
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  process.stderr.write(`batchline: ${messageOf(error)}\n`);
  process.exit(exitCodeFor(error));
}
