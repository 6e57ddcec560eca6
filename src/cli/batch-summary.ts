import { type BatchInfo, batchPhase, INGEST_QUIET_MS } from '../batches/index.js';
import type { Config } from '../config/index.js';
import { formatCost, type TokenCost, tokenCost } from './token-cost.js';

type Price = Config['llm']['price'];

/** The `--json` summary of `run` (the counters are the batch's own); `cost` only with a price table. */
export type RunSummary = Pick<BatchInfo, 'batchId' | 'total' | 'ok' | 'failed' | 'rejected' | 'cache' | 'llm'> & {
  /** Documents this run sent to the workers (a re-run skips those that already have a result). */
  processed: number;
  wallMs: number;
  /** `processed` per second of this run; 0 when it had nothing to do. */
  docsPerSec: number;
  cost?: TokenCost;
};

export function summarize(batch: BatchInfo, wallMs: number, processed: number, price?: Price): RunSummary {
  const cost = tokenCost(batch.llm, price);
  return {
    batchId: batch.batchId,
    total: batch.total,
    ok: batch.ok,
    failed: batch.failed,
    rejected: batch.rejected,
    cache: { ...batch.cache },
    llm: { ...batch.llm },
    processed,
    wallMs,
    docsPerSec: wallMs > 0 ? Math.round((processed / wallMs) * 1000 * 10) / 10 : 0,
    ...(cost ? { cost } : {}),
  };
}

export function formatSummary(summary: RunSummary, files: { results: string; errors?: string }): string {
  const { cache } = summary;
  const seconds = (summary.wallMs / 1000).toFixed(1);
  const lines = [
    summary.processed === 0
      ? `batch ${summary.batchId}: nothing to do, no document needed processing (checked in ${seconds} s)`
      : `batch ${summary.batchId} finished in ${seconds} s (${summary.processed} documents, ${summary.docsPerSec} docs/s)`,
    `  documents: ${summary.total} accepted, ${summary.ok} ok, ${summary.failed} failed, ${summary.rejected} rejected`,
    `  cache:     ${cache.exact} exact, ${cache.semantic} semantic, ${cache.miss} miss`,
    `  results:   ${files.results}`,
  ];
  if (summary.llm.calls > 0 || summary.llm.tokensSaved > 0) lines.push(`  llm:       ${formatLlm(summary.llm)}${formatCost(summary.cost)}`);
  if (files.errors) lines.push(`  rejected:  ${files.errors}`);
  return `${lines.join('\n')}\n`;
}

function formatLlm(llm: RunSummary['llm']): string {
  return `${llm.calls} calls, ${llm.tokensIn} tokens in, ${llm.tokensOut} out; ${llm.tokensSaved} saved by the cache`;
}

export function formatStatus(batch: BatchInfo, price?: Price, now = Date.now()): string {
  const finished = batch.ok + batch.failed;
  const state = batchPhase(batch, now);
  const lines = [
    `${batch.batchId}  ${state}  queue=${batch.queue}  pipeline=${batch.pipeline}`,
    `  created ${new Date(batch.createdAt).toISOString()}  source: ${batch.source}`,
    `  ${finished}/${batch.total} done: ${batch.ok} ok, ${batch.failed} failed, ${batch.rejected} rejected`,
    `  cache: ${batch.cache.exact} exact, ${batch.cache.semantic} semantic, ${batch.cache.miss} miss`,
  ];
  if (batch.llm.calls > 0 || batch.llm.tokensSaved > 0) lines.push(`  llm: ${formatLlm(batch.llm)}${formatCost(tokenCost(batch.llm, price))}`);
  const again = `ingest it again with --batch-id ${batch.batchId} (run or ingest)`;
  if (state === 'ingest-failed' && batch.ingestError) {
    lines.push(`  ingest failed at ${new Date(batch.ingestError.at).toISOString()}: ${batch.ingestError.message}`);
    lines.push(`  it will not finish by itself: fix the cause, then ${again}`);
  } else if (state === 'ingest-stalled') {
    // A killed ingest (SIGKILL, out of memory) cannot mark its batch: its standing still is the sign.
    const quiet = Math.round((now - batch.updatedAt) / 1000);
    lines.push(`  not sealed, and no ingest progress for ${quiet} s (over ${INGEST_QUIET_MS / 1000} s): its ingest was probably killed; if it is not running, ${again}`);
  } else if (state === 'ingesting') {
    lines.push(`  not sealed: its ingest is still running, or was interrupted (then ${again})`);
  }
  return lines.join('\n');
}
