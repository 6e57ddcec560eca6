/**
 * Broker keys of batchline's own records. They share the queue prefix, and so its hash
 * tag, with BullMQ's keys: one slot on Redis Cluster. `bl` keeps them apart from queues.
 */
export function batchKeys(prefix: string, batchId: string) {
  const base = `${prefix}:bl:batch:${batchId}`;
  return {
    /** Hash: metadata and counters. */
    meta: base,
    /** Hash: document id → ingest run that enqueued it (makes re-ingest idempotent). */
    docs: `${base}:docs`,
    /** Hash: document id → result line (JSON). One field per document: at-least-once becomes one result. */
    results: `${base}:results`,
    /** Hash: document id → "status|cacheCounter", to fix counters when a job runs twice. */
    states: `${base}:states`,
    /** Hash: input source → rejected records in its latest ingest. */
    rejected: `${base}:rejected`,
    /** Hash: `<unix minute>:<counter>` → documents finished in that minute (ok, failed, cacheMiss, ...). */
    timeline: `${base}:timeline`,
  };
}

/** Sorted set of all batch ids by creation time. */
export function batchIndexKey(prefix: string): string {
  return `${prefix}:bl:batches`;
}
