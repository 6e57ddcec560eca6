import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../config/redact.js';
import { BatchlineError, ErrorCode, messageOf } from '../errors.js';
import { producerConnection, workerConnection } from '../queue/connections.js';

export type BrokerClientKind = 'producer' | 'worker';

/**
 * An ioredis client on the broker, connected and answering, or an E_BROKER_UNAVAILABLE
 * error within `timeoutMs`. `producer` clients fail calls at once while disconnected;
 * `worker` clients hold calls until the broker is back (used inside jobs, where a broker
 * restart should delay a result, not fail the document).
 */
export async function connectBroker(brokerUrl: string, kind: BrokerClientKind, timeoutMs = 5_000): Promise<Redis> {
  const options: RedisOptions = kind === 'producer' ? producerConnection(brokerUrl) : workerConnection(brokerUrl);
  const redis = new Redis({ ...options, lazyConnect: true });
  redis.on('error', () => {}); // surfaced through the calls; an unhandled 'error' would crash the process
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new BatchlineError(ErrorCode.BROKER_UNAVAILABLE, `cannot reach the broker at ${redactUrl(brokerUrl)}: ${messageOf(error)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
