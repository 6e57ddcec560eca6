import path from 'node:path';
import type { Command } from 'commander';
import { assertBatchId } from '../../batches/index.js';
import { openBrokerSession, startEmbeddedEarly } from '../broker-session.js';
import { batchFiles } from '../paths.js';
import { configFor, configOption, logLevelOption } from '../shared-options.js';
import { exportBatch } from './export-batch.js';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description("write a batch's results, one JSON line per document")
    .argument('<batchId>', 'batch id')
    .option('-o, --out <file>', 'output file (default: <outDir>/<batchId>.jsonl)')
    .option('--partial', 'export the results so far of a batch that has not finished')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (batchId: string, flags: { out?: string; partial?: boolean; config?: string; logLevel?: string }) => {
      const config = configFor({ config: flags.config, logLevel: flags.logLevel });
      const file = flags.out ?? batchFiles(config.outDir, assertBatchId(batchId)).results;
      // The embedded broker reads its AOF while the logger and the Redis client load.
      const early = startEmbeddedEarly(config, { withCache: false });
      const { createLogger } = await import('../../log.js');
      const logger = createLogger({ level: config.logLevel, format: config.logFormat });
      const session = await openBrokerSession(config, logger, { withCache: false, early });
      try {
        const count = await exportBatch(session.store, batchId, file, { partial: !!flags.partial });
        process.stderr.write(`${count} results written to ${path.resolve(file)}\n`);
      } finally {
        await session.close();
      }
    });
}
