import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { brokerRefusalOf, messageOf } from '../errors.js';

export interface BrokerWritesOptions {
  logger: Logger;
  /** True once the worker is stopping: then a refusal is thrown instead of waited out. */
  stopping: () => boolean;
  /** First and longest pause between tries (ms). */
  baseMs?: number;
  capMs?: number;
}

/**
 * A worker's writes of results to the broker, waited out while the broker refuses them.
 *
 * A broker out of memory (or unable to persist, read-only, loading) is an infrastructure
 * failure, not the document's: thrown to BullMQ it would use up the job's attempts, and
 * on the last one the job would fail with no result at all. So the job keeps its slot and
 * tries again with backoff until the broker accepts the write. BullMQ's own writes (lock
 * renewal, completing the job) are refused too meanwhile; a job whose lock lapses comes
 * back through stall detection and finds its result already there. Logged once per
 * change (refusing, accepting again) per process, not once per job.
 */
export class BrokerWrites {
  private refusing = false;

  constructor(private readonly options: BrokerWritesOptions) {}

  /** Runs `write` until the broker accepts it. It must be safe to repeat (a write id, an idempotent command). */
  async run<T>(what: string, write: () => Promise<T>): Promise<T> {
    const { baseMs = 250, capMs = 5_000 } = this.options;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await write();
        if (this.refusing) {
          this.refusing = false;
          this.options.logger.info({ what }, 'broker accepts writes again');
        }
        return result;
      } catch (error) {
        if (!this.noteRefusal(what, error) || this.options.stopping()) throw error;
        await sleep(Math.min(baseMs * 2 ** Math.min(attempt, 10), capMs));
      }
    }
  }

  /**
   * True when the error is a broker refusal; logs the change into the refusing state once.
   * For refusals seen elsewhere (BullMQ's own writes), so they are named for what they are.
   */
  noteRefusal(what: string, error: unknown): boolean {
    const cause = brokerRefusalOf(error);
    if (cause === undefined) return false;
    if (!this.refusing) {
      this.refusing = true;
      this.options.logger.warn({ what, cause, err: messageOf(error) }, 'broker refuses writes; jobs wait and try again (no attempt is used up)');
    }
    return true;
  }
}
