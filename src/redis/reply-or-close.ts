import { BatchlineError, ErrorCode } from '../errors.js';

/** What is needed of a client (ioredis, or BullMQ's wrapper of it): its `close` event. */
export interface ClosingClient {
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/**
 * Runs `call` on `client` and settles with it, or rejects as soon as the connection closes
 * before its reply came: on a connection that does not re-send commands after a reconnect
 * (`ingestConnection`), ioredis 5 would otherwise leave such a call pending forever. The
 * command may have taken effect; the caller decides how to retry.
 */
export async function replyOrClose<T>(client: ClosingClient, call: () => Promise<T>): Promise<T> {
  let onClose: () => void = () => {};
  const closed = new Promise<never>((_, reject) => {
    onClose = () => reject(new BatchlineError(ErrorCode.BROKER_UNAVAILABLE, 'the broker connection closed before the reply came'));
  });
  client.once('close', onClose);
  try {
    return await Promise.race([call(), closed]);
  } finally {
    client.off('close', onClose);
  }
}
