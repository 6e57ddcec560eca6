import type { BatchInfo, BatchStore } from './batch-store.js';

/** Documents of a batch that no job will ever finish, found by `findStrandedDocs`. */
export interface StrandedDocs {
  count: number;
  /** A few of their ids, to name in a message. */
  sample: string[];
}

/**
 * Looks through a batch for documents with no result and no live job (waiting, active,
 * delayed, prioritized or waiting for children): the ones a wait for the batch would wait
 * for forever. Reads a page of ids at a time. Only meaningful once the batch is sealed:
 * during ingest a document is recorded just before its job is added.
 */
export async function findStrandedDocs(
  store: Pick<BatchStore, 'pendingDocs' | 'stranded'>,
  batch: Pick<BatchInfo, 'batchId' | 'queue'>,
  sampleSize = 5,
): Promise<StrandedDocs> {
  const found: StrandedDocs = { count: 0, sample: [] };
  for await (const page of store.pendingDocs(batch.batchId)) {
    const stranded = await store.stranded(batch.batchId, batch.queue, page);
    found.count += stranded.length;
    found.sample.push(...stranded.slice(0, sampleSize - found.sample.length));
  }
  return found;
}

/** One line naming stranded documents and what to do about them. */
export function describeStranded(batchId: string, stranded: StrandedDocs): string {
  const ids = stranded.sample.map((id) => JSON.stringify(id)).join(', ');
  const more = stranded.count > stranded.sample.length ? ', ...' : '';
  return (
    `${stranded.count} document(s) of batch ${batchId} have no result and no job that will give them one (${ids}${more}); ` +
    `ingest the batch again with --batch-id ${batchId} (run or ingest) to enqueue them again`
  );
}

/**
 * Tells a wait for a batch when to look for stranded documents, and looks: once its
 * progress has stood still for `quietMs` (`results.strandedQuietMs` in the config), then
 * again no sooner than `quietMs` or ten times as long as the last look took, whichever is longer.
 */
export class StrandedCheck {
  private lastDone = -1;
  private lastChange = 0;
  private nextLookAt = 0;

  constructor(
    private readonly store: Pick<BatchStore, 'pendingDocs' | 'stranded'>,
    private readonly quietMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The batch's stranded documents when it looked and found some; otherwise undefined. */
  async check(batch: BatchInfo): Promise<StrandedDocs | undefined> {
    if (!batch.sealed || batch.finishedAt !== undefined) return undefined;
    const done = batch.ok + batch.failed;
    const now = this.now();
    if (done !== this.lastDone) {
      this.lastDone = done;
      this.lastChange = now;
      return undefined;
    }
    if (now - this.lastChange < this.quietMs || now < this.nextLookAt) return undefined;
    const found = await findStrandedDocs(this.store, batch);
    this.nextLookAt = this.now() + Math.max(this.quietMs, 10 * (this.now() - now));
    return found.count > 0 ? found : undefined;
  }
}
