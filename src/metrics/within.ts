/**
 * Resolves like `promise`, or rejects once `timeoutMs` has passed. A hung broker (paused,
 * or a network that drops packets) never errors, so every read that answers an operator
 * or a probe bounds its own wait; the abandoned read settles later and is ignored.
 */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => {}); // the losing side of the race must not become an unhandled rejection
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
