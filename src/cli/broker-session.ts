import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { BatchStore } from '../queue/batch-store.js';
import { checkBrokerPolicy } from '../redis/broker-checks.js';
import { connectBroker } from '../redis/broker-client.js';
import { EmbeddedRedis } from '../redis/embedded-redis.js';

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

/**
 * Connects to the configured broker, or, with no broker URL, starts the embedded broker
 * (and cache, when asked) from `<dataDir>`: its AOF keeps batches between commands, so
 * `status` and `export` work after `run` on the embedded default too.
 */
export async function openBrokerSession(config: Config, logger: Logger, options: { withCache: boolean }): Promise<BrokerSession> {
  let embedded: EmbeddedRedis | undefined;
  let brokerUrl = config.brokerUrl;
  let cacheUrl = config.cacheUrl;
  if (!brokerUrl) {
    embedded = await EmbeddedRedis.start(config.dataDir, { withCache: options.withCache && !config.cacheUrl });
    brokerUrl = embedded.broker.url;
    cacheUrl = config.cacheUrl ?? embedded.cache?.url;
    logger.debug({ broker: brokerUrl, cache: cacheUrl }, 'embedded redis started');
  }
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
