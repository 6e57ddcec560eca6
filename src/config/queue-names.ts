/** The three queues. `default` for ad-hoc work, `batch` for backfills and schedules, `patterns` for learning templates. */
export const QUEUE_NAMES = ['default', 'batch', 'patterns'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Queues that carry documents (the ingester may target these). */
export const DOCUMENT_QUEUES = ['default', 'batch'] as const satisfies readonly QueueName[];
export type DocumentQueueName = (typeof DOCUMENT_QUEUES)[number];

export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}
