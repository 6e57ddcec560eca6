import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connectBroker } from '../../src/redis/broker-client.js';
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

/**
 * A producer connection to the file's broker (for its batch store, say), opened once the
 * servers of `useRedis` are up and closed before they stop. Call after `useRedis`; read
 * `broker.client` inside tests.
 */
export function useBrokerClient(servers: { readonly broker: RedisServer }): { readonly client: Redis } {
  const broker = {} as { client: Redis };
  beforeAll(async () => {
    broker.client = await connectBroker(servers.broker.url, 'producer');
  });
  afterAll(() => {
    broker.client.disconnect();
  });
  return broker;
}
