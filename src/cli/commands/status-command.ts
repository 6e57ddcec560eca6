import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { assertBatchId, type BatchInfo, type BatchStore, batchPhase, describeStranded, findStrandedDocs, isFinished, StrandedCheck, type StrandedDocs } from '../../batches/index.js';
import type { Config } from '../../config/index.js';
import { BatchlineError, ErrorCode } from '../../errors.js';
import { formatStatus } from '../batch-summary.js';
import { openBrokerSession, startEmbeddedEarly } from '../broker-session.js';
import type { CommonFlags } from '../cli-options.js';
import { cacheCounts, ProgressDisplay } from '../progress-display.js';
import { configFor, configOption, logLevelOption } from '../shared-options.js';
import { tokenCost } from '../token-cost.js';

async function batchOrThrow(store: BatchStore, batchId: string): Promise<BatchInfo> {
  const batch = await store.get(batchId);
  if (!batch) throw new BatchlineError(ErrorCode.USAGE, `no batch "${batchId}" in the broker`);
  return batch;
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('progress of one batch, or the most recent batches')
    .argument('[batchId]', 'batch id')
    .option('--watch', 'follow one batch with a live progress bar until it finishes')
    .option('--json', 'print JSON (with --watch: one line per update)')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (batchId: string | undefined, flags: CommonFlags & { json?: boolean; watch?: boolean }) => {
      const config = configFor(flags);
      if (flags.watch && !batchId) throw new BatchlineError(ErrorCode.USAGE, '--watch needs a batch id');
      if (batchId) assertBatchId(batchId);
      // The embedded broker reads its AOF while the logger and the Redis client load.
      const early = startEmbeddedEarly(config, { withCache: false });
      const { createLogger } = await import('../../log.js');
      const logger = createLogger({ level: config.logLevel, format: config.logFormat });
      const session = await openBrokerSession(config, logger, { withCache: false, early });
      try {
        if (batchId && flags.watch) {
          await watch(session.store, assertBatchId(batchId), !!flags.json, config);
          return;
        }
        const ids = batchId ? [assertBatchId(batchId)] : await session.store.list(20);
        const batches: BatchInfo[] = [];
        for (const id of ids) batches.push(await batchOrThrow(session.store, id));
        // One batch asked for by id, whose progress stands still: say whether it waits for
        // documents no job will finish (a moving batch is not scanned: a look reads every pending id).
        const only = batchId ? batches[0] : undefined;
        const stalled = only?.sealed && !isFinished(only) && Date.now() - only.updatedAt >= config.results.strandedQuietMs;
        const stranded = only && stalled ? await findStrandedDocs(session.store, only) : undefined;
        const withCost = batches.map((batch) => {
          const cost = tokenCost(batch.llm, config.llm.price);
          return { ...batch, phase: batchPhase(batch), ...(cost ? { cost } : {}), ...(batch === only && stranded ? { stranded } : {}) };
        });
        if (flags.json) process.stdout.write(`${JSON.stringify(batchId ? withCost[0] : withCost)}\n`);
        else if (batches.length === 0) process.stdout.write('no batches yet\n');
        else {
          const texts = batches.map((batch) => formatStatus(batch, config.llm.price));
          if (only && stranded) texts[0] += strandedLine(only.batchId, stranded);
          process.stdout.write(`${texts.join('\n\n')}\n`);
        }
      } finally {
        await session.close();
      }
    });
}

/** The status line about stranded documents; empty when there are none. */
function strandedLine(batchId: string, stranded: StrandedDocs): string {
  if (stranded.count === 0) return '';
  return `\n  stranded: ${describeStranded(batchId, stranded)}`;
}

/**
 * Redraws the batch's progress every half second until it finishes. Stops with E_STRANDED
 * when it would otherwise wait forever for documents no job will finish.
 */
async function watch(store: BatchStore, batchId: string, json: boolean, config: Config): Promise<void> {
  const display = new ProgressDisplay(process.stderr, json);
  const strandedCheck = new StrandedCheck(store, config.results.strandedQuietMs);
  for (;;) {
    const batch = await batchOrThrow(store, batchId);
    const done = batch.ok + batch.failed;
    if (json) process.stdout.write(`${JSON.stringify(batch)}\n`);
    display.update(batchId, done, batch.total, `${batch.ok} ok, ${batch.failed} failed · ${cacheCounts(batch.cache)}`);
    if (isFinished(batch)) break;
    const stranded = await strandedCheck.check(batch);
    if (stranded) {
      display.done();
      throw new BatchlineError(ErrorCode.STRANDED, describeStranded(batchId, stranded));
    }
    await sleep(500);
  }
  display.done();
  if (!json) process.stdout.write(`${formatStatus(await batchOrThrow(store, batchId), config.llm.price)}\n`);
}
