import type { Keyv } from '@keyv/redis';
import type { CacheRedisClient, RedisStore } from '../../../src/cache/redis-store.js';

/** A RedisStore stand-in whose connection state the test sets; its clients are never used directly. */
export function fakeStore(options: { ready?: boolean; firstAttemptDone?: boolean; keyv?: Partial<Keyv<string>> } = {}) {
  let ready = options.ready ?? true;
  let settle: () => void = () => {};
  const firstAttempt = new Promise<void>((resolve) => {
    settle = resolve;
  });
  if (options.firstAttemptDone ?? true) settle();
  let closed = 0;
  const store: RedisStore = {
    client: {} as CacheRedisClient,
    keyv: (options.keyv ?? {}) as Keyv<string>,
    isReady: () => ready,
    firstAttempt,
    connectionError: () => undefined,
    close: async () => {
      closed++;
    },
  };
  return {
    store,
    setReady: (value: boolean) => {
      ready = value;
    },
    settleFirstAttempt: () => settle(),
    closedCount: () => closed,
  };
}

/** A Keyv stand-in over a Map that records the TTL of each write. */
export function mapKeyv() {
  const data = new Map<string, string>();
  const ttls = new Map<string, number | undefined>();
  const keyv = {
    get: async (key: string) => data.get(key),
    set: async (key: string, value: string, ttl?: number) => {
      data.set(key, value);
      ttls.set(key, ttl);
      return true;
    },
    delete: async (key: string) => data.delete(key),
  };
  return { keyv: keyv as unknown as Partial<Keyv<string>>, data, ttls };
}
