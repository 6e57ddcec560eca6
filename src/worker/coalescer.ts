interface Pending<Request, Answer> {
  request: Request;
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
}

/**
 * Requests to the broker sent together: while one call is on its way, the requests made
 * meanwhile wait and go in the next call, one call per key (a batch id). With many jobs per
 * process this turns one round trip per document into one per round trip's worth of
 * documents, at no added latency: a request that finds nothing in flight is sent on the
 * next turn of the event loop.
 *
 * Each caller's promise settles only when the call carrying its request has. A failed call
 * rejects every request in it; each caller retries its own.
 */
export class Coalescer<Request, Answer> {
  private readonly waiting: Pending<Request, Answer>[] = [];
  private sending = false;

  constructor(
    private readonly keyOf: (request: Request) => string,
    /** Answers the requests of one key, one answer per request, in order. */
    private readonly call: (key: string, requests: Request[]) => Promise<Answer[]>,
    /** Most requests in one call: bounds the call's size and the broker's time in it. */
    private readonly maxPerCall = 100,
  ) {}

  request(request: Request): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (!this.sending) {
        this.sending = true;
        setImmediate(() => void this.send());
      }
    });
  }

  private async send(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const byKey = new Map<string, Pending<Request, Answer>[]>();
        for (const pending of this.waiting.splice(0, this.maxPerCall)) {
          const key = this.keyOf(pending.request);
          const group = byKey.get(key);
          if (group) group.push(pending);
          else byKey.set(key, [pending]);
        }
        await Promise.all([...byKey].map(([key, group]) => this.callFor(key, group)));
      }
    } finally {
      this.sending = false;
    }
  }

  private async callFor(key: string, group: Pending<Request, Answer>[]): Promise<void> {
    try {
      const answers = await this.call(
        key,
        group.map((pending) => pending.request),
      );
      for (const [i, pending] of group.entries()) pending.resolve(answers[i] as Answer);
    } catch (error) {
      for (const pending of group) pending.reject(error);
    }
  }
}
