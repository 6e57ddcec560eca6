import { TtlTier } from '../cache/index.js';
import type { QueueName } from '../config/index.js';

/** The cache tier of what each queue's workers write: the cache knows tiers, not queues. */
export const TTL_TIER_BY_QUEUE: Readonly<Record<QueueName, TtlTier>> = Object.freeze({
  default: TtlTier.DEFAULT,
  batch: TtlTier.BATCH,
  patterns: TtlTier.PATTERN,
});
