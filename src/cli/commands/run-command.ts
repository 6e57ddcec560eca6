import { type Command, Option } from 'commander';
import { formatSummary } from '../batch-summary.js';
import { type CommonFlags, parseDocumentQueue, parsePositiveInt } from '../cli-options.js';
import { configOption, logLevelOption, startInputCommand } from '../shared-options.js';
import { runBatch } from './run-batch.js';

export function registerRunCommand(program: Command): void {
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
      const { config, logger } = startInputCommand(flags, inputs);
      const { summary, files } = await runBatch(config, { inputs, queue: flags.queue, batchId: flags.batchId, quiet: !!flags.json }, logger);
      process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary, files));
    });
}
