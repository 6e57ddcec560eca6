import type { Redis } from 'ioredis';
import { batchKeys } from '../batches/index.js';

/** Documents finished in one minute (`minute`: its start, unix seconds). */
export interface RecentPoint {
  minute: number;
  ok: number;
  failed: number;
}

/**
 * The last `minutes` minutes of a batch's timeline, read field by field. The batches
 * list needs only this for each running batch's current rate; reading whole timelines
 * (five fields per minute for the batch's whole life) on every refresh would grow with
 * the age of each batch. Fields are `<minute start, unix s>:<counter>` (see batch-keys).
 */
export async function recentTimeline(redis: Redis, prefix: string, batchId: string, now: number, minutes = 6): Promise<RecentPoint[]> {
  const current = Math.floor(now / 60_000) * 60;
  const starts = Array.from({ length: minutes }, (_, i) => current - (minutes - 1 - i) * 60);
  const fields = starts.flatMap((minute) => [`${minute}:ok`, `${minute}:failed`]);
  const values = await redis.hmget(batchKeys(prefix, batchId).timeline, ...fields);
  return starts.flatMap((minute, i) => {
    const ok = Number(values[2 * i] ?? 0);
    const failed = Number(values[2 * i + 1] ?? 0);
    return ok + failed > 0 ? [{ minute, ok, failed }] : [];
  });
}
