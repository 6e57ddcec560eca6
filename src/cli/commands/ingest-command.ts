import { type Command, Option } from 'commander';
import { type CommonFlags, parseDocumentQueue } from '../cli-options.js';
import { configOption, logLevelOption, startInputCommand } from '../shared-options.js';
import { ingestOnly } from './ingest-only.js';

export function registerIngestCommand(program: Command): void {
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
      const { config, logger } = startInputCommand(flags, inputs);
      const report = await ingestOnly(config, { inputs, queue: flags.queue, batchId: flags.batchId, quiet: !!flags.json }, logger);
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(report)}\n`
          : `batch ${report.batchId}: ${report.enqueued} enqueued, ${report.skipped} already there, ${report.rejected} rejected\n`,
      );
    });
}
