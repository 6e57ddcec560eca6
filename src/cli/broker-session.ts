import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BatchStore } from '../batches/index.js';
import type { Config } from '../config/index.js';
import { BatchlineError, ErrorCode } from '../errors.js';
import { checkBrokerPolicy, EmbeddedRedis } from '../redis/index.js';

/** A connection to the broker (configured, or the embedded one started for this command). */
export interface BrokerSession {
  brokerUrl: string;
  /** The cache URL workers should use: configured, embedded, or none (L1 only). */
  cacheUrl: string | undefined;
  redis: Redis;
  store: BatchStore;
  embedded: EmbeddedRedis | undefined;
  close(): Promise<void>;
}

export interface BrokerSessionOptions {
  withCache: boolean;
  /** The embedded servers already starting (startEmbeddedEarly), when the command started them. */
  early?: Promise<EmbeddedRedis> | undefined;
}

/**
 * Starts the embedded broker now, when the config names no broker, for a command that
 * still has modules to load (the logger, the Redis client): redis-server reads its AOF
 * (about 0.5 s for a 100,000-document batch) while they load. Give the result to
 * openBrokerSession. Should the command fail before that, the servers still stop: their
 * guardian ends them when this process exits.
 */
export function startEmbeddedEarly(config: Config, options: { withCache: boolean }): Promise<EmbeddedRedis> | undefined {
  if (config.brokerUrl) return undefined;
  const starting = EmbeddedRedis.start(config.dataDir, { withCache: options.withCache && !config.cacheUrl });
  starting.catch(() => {}); // rejected later, in openBrokerSession, not as an unhandled rejection now
  return starting;
}

/**
 * Connects to the configured broker, or, with no broker URL, starts the embedded broker
 * (and cache, when asked) from `<dataDir>`: its AOF keeps batches between commands, so
 * `status` and `export` work after `run` on the embedded default too.
 */
export async function openBrokerSession(config: Config, logger: Logger, options: BrokerSessionOptions): Promise<BrokerSession> {
  const starting = options.early ?? startEmbeddedEarly(config, options);
  // ioredis loads while redis-server starts, for commands that did not load it already.
  const { connectBroker } = await import('../redis/index.js');
  const embedded = await starting;
  const brokerUrl = embedded?.broker.url ?? config.brokerUrl;
  if (!brokerUrl) throw new BatchlineError(ErrorCode.CONFIG, 'no broker: no broker URL, and the embedded broker was not started');
  const cacheUrl = config.cacheUrl ?? embedded?.cache?.url;
  if (embedded) logger.debug({ broker: brokerUrl, cache: cacheUrl }, 'embedded redis started');
  let redis: Redis;
  try {
    redis = await connectBroker(brokerUrl, 'producer');
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  await checkBrokerPolicy(redis, logger);
  return {
    brokerUrl,
    cacheUrl,
    redis,
    store: new BatchStore(redis, config.queuePrefix, config.results.ttlSeconds),
    embedded,
    async close() {
      redis.disconnect();
      await embedded?.stop();
    },
  };
}
