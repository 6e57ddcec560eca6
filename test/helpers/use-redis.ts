import { afterAll, beforeAll } from 'vitest';
import type { RedisRole, RedisServer } from '../../src/redis/redis-server.js';
import { startRedis, stopRedis } from './redis.js';

/**
 * Real redis-servers for one test file, one per role given: started before its tests
 * (`beforeAll`), stopped after them (`afterAll`). Read `servers.cache` (say) inside tests
 * and in hooks registered after this call, which run after the servers are up.
 */
export function useRedis<R extends RedisRole>(...roles: R[]): Readonly<Record<R, RedisServer>> {
  const servers = {} as Record<R, RedisServer>;
  beforeAll(async () => {
    for (const role of roles) servers[role] = await startRedis(role);
  });
  afterAll(async () => {
    await stopRedis(...roles.map((role) => servers[role]));
  });
  return servers;
}
