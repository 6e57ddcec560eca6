import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Warns, clearly and once, unless the broker evicts nothing: BullMQ's locks and job
 * hashes vanish under any eviction policy, losing jobs silently.
 */
export async function checkBrokerPolicy(redis: Redis, logger: Logger): Promise<string | undefined> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy !== undefined && policy !== 'noeviction') {
      logger.warn(
        { policy },
        `broker Redis has maxmemory-policy ${policy}; BullMQ needs noeviction or jobs can be lost. Run: CONFIG SET maxmemory-policy noeviction`,
      );
    }
    return policy;
  } catch {
    // Managed Redis services often forbid CONFIG; the check is advice, not a gate.
    return undefined;
  }
}
