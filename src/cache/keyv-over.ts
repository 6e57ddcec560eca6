import type KeyvRedis from '@keyv/redis';
import type { Keyv } from '@keyv/redis';
import { keyvRedis } from './keyv-redis.js';

/** Keyv over a node-redis client (one server or a cluster), as the cache uses it. */
export function keyvOver(client: ConstructorParameters<typeof KeyvRedis<string>>[0]): Keyv<string> {
  const { default: KeyvRedisStore, Keyv: KeyvClass } = keyvRedis();
  const store = new KeyvRedisStore<string>(client, { throwOnConnectError: true, throwOnErrors: true });
  store.on('error', () => {});
  const keyv = new KeyvClass<string>(store, {
    // Keys are complete already (namespace included): no Keyv or store prefix.
    namespace: undefined,
    useKeyPrefix: false,
    throwOnErrors: true,
    // Redis holds our JSON envelope as is. Keyv's default serializer would wrap it and would
    // turn strings starting with ":base64:" into Buffers; expiry is Redis's PX, not Keyv's.
    serialize: (data) => String(data.value),
    deserialize: <Value>(data: string) => ({ value: data as unknown as Value }),
  });
  keyv.on('error', () => {});
  return keyv;
}
