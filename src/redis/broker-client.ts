import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../config/index.js';
import { clusterClient } from './cluster-connection.js';
import { isClusterUrl } from '../config/index.js';
import { BatchlineError, type ConnectionTarget, classifyConnectionError, ErrorCode } from '../errors.js';
import { producerConnection, workerConnection } from './connections.js';
import { within } from '../time.js';

export type BrokerClientKind = 'producer' | 'worker';

/** Where the broker's URL is configured: named in every connection error. */
export const brokerTarget = (url: string): ConnectionTarget => ({ server: 'broker', url, key: 'brokerUrl', variable: 'BATCHLINE_BROKER_URL' });

/**
 * An ioredis client on the broker, connected and answering, or an E_BROKER_UNAVAILABLE
 * error within `timeoutMs` whose one line says why (wrong or missing password, nothing
 * listening, unknown host, TLS mismatch or untrusted certificate) and which key to fix.
 * `producer` clients fail calls at once while disconnected; `worker` clients hold calls
 * until the broker is back (used inside jobs, where a broker restart should delay a
 * result, not fail the document). Errors that waiting cannot cure (a refused password,
 * an untrusted certificate) fail at once for both.
 */
export async function connectBroker(brokerUrl: string, kind: BrokerClientKind, timeoutMs = 5_000): Promise<Redis> {
  const redis = brokerClient(brokerUrl, kind);
  const target = brokerTarget(brokerUrl);
  let lastError: unknown;
  let failFast: (error: unknown) => void = () => {};
  // Kept for the diagnosis: the call itself only ever says "Connection is closed.".
  redis.on('error', (error) => {
    // A Cluster's own error says only that no seed answered; the nodes' errors say why.
    if (lastNodeError === undefined) lastError = error;
    if (classifyConnectionError(error, target).permanent) failFast(error);
  });
  let lastNodeError: unknown;
  redis.on('node error', (error: unknown) => {
    lastNodeError = lastError = error;
    if (classifyConnectionError(error, target).permanent) failFast(error);
  });
  const refused = new Promise<never>((_, reject) => {
    failFast = reject;
  });
  let timedOut = false;
  try {
    await within(Promise.race([redis.connect().then(() => redis.ping()), refused]), timeoutMs, 'broker', () => {
      timedOut = true;
      return new Error(`no answer within ${timeoutMs} ms`);
    });
    return redis;
  } catch (error) {
    redis.disconnect();
    const problem = classifyConnectionError(lastError ?? error, target, timedOut && lastError === undefined ? timeoutMs : undefined);
    throw new BatchlineError(ErrorCode.BROKER_UNAVAILABLE, `cannot reach the broker at ${redactUrl(brokerUrl)}: ${problem.message}`, {
      cause: error,
    });
  }
}

/**
 * An unconnected ioredis client on the broker: one Redis, or a Cluster for a
 * `redis+cluster://` URL. A Cluster is handed out typed as `Redis`: it answers the same
 * commands (ioredis's RedisCommander), and batchline sends it only keyed commands, scripts
 * and MULTIs whose keys all carry the queue prefix's hash tag (one slot), plus INFO and
 * CONFIG, which a Cluster sends to one node (doctor asks every node itself).
 */
export function brokerClient(brokerUrl: string, kind: BrokerClientKind): Redis {
  if (isClusterUrl(brokerUrl)) return clusterClient(brokerUrl, kind) as unknown as Redis;
  const options = (kind === 'producer' ? producerConnection(brokerUrl) : workerConnection(brokerUrl)) as RedisOptions;
  return new Redis({ ...options, lazyConnect: true });
}
