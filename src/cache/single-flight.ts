/**
 * Within one process, concurrent callers for one key share one run of `fn`: the first
 * caller starts it, the others get the same promise (result or rejection). The key is free
 * again as soon as the run settles.
 */
export class SingleFlight {
  private readonly running = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    const existing = this.running.get(key);
    if (existing !== undefined) return existing as Promise<T>;
    // The async wrapper turns a synchronous throw into a rejection shared like any other.
    const promise = (async () => fn())().finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return promise;
  }

  /** Keys with a run in progress. */
  get size(): number {
    return this.running.size;
  }
}
