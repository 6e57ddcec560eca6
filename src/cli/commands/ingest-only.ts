import type { Logger } from 'pino';
import { assertBatchId, newBatchId } from '../../batches/index.js';
import type { Config, DocumentQueueName } from '../../config/index.js';
import { BatchlineError, ErrorCode } from '../../errors.js';
import { ErrorsFile, Ingester, type IngestReport } from '../../ingest/index.js';
import { learnWhenBatchesFinish } from '../../patterns/index.js';
import { openIngestQueue } from '../../queue/index.js';
import { openBrokerSession } from '../broker-session.js';
import { batchFiles } from '../paths.js';
import { ProgressDisplay } from '../progress-display.js';

/** `batchline ingest`: enqueue only, for workers that run elsewhere. */
export async function ingestOnly(
  config: Config,
  request: { inputs: readonly string[]; queue: DocumentQueueName; batchId?: string; quiet: boolean },
  logger: Logger,
): Promise<IngestReport> {
  if (!config.brokerUrl) {
    throw new BatchlineError(
      ErrorCode.CONFIG,
      'invalid config: brokerUrl: `ingest` needs BATCHLINE_BROKER_URL (the embedded broker only lives while `run` runs; use `batchline run` for one-shot batches)',
    );
  }
  const batchId = assertBatchId(request.batchId ?? newBatchId());
  const session = await openBrokerSession(config, logger, { withCache: false });
  // A batch whose documents all had results already is finished by this ingest's seal.
  const learning = learnWhenBatchesFinish(session.store, config, session.brokerUrl, logger);
  const queue = openIngestQueue(config, request.queue, session.brokerUrl);
  const errors = new ErrorsFile(batchFiles(config.outDir, batchId).errors, batchId, 'append');
  const progress = new ProgressDisplay(process.stderr, request.quiet);
  try {
    const report = await new Ingester(config, queue, session.store, logger)
      .ingest({ batchId, queueName: request.queue, inputs: request.inputs, pipeline: config.pipeline, errors }, (p) =>
        progress.update('ingest', p.enqueued + p.skipped, p.read, '', false),
      )
      .finally(() => errors.close());
    progress.done();
    return report;
  } finally {
    await learning.close();
    await queue.close().catch(() => {});
    await session.close();
  }
}
