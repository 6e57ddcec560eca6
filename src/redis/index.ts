/**
 * The redis area's public face: broker connection options and clients, broker checks, and
 * the embedded redis-server for `dev` and single-machine runs.
 */
export { checkBrokerPolicy } from './broker-checks.js';
export { brokerClient, connectBroker } from './broker-client.js';
export { isCluster } from './cluster-connection.js';
export { type BrokerConnection, closeWith, ingestConnection, producerConnection, resendsCommands, workerConnection } from './connections.js';
export { replyOrClose } from './reply-or-close.js';
export { EmbeddedRedis } from './embedded-redis.js';
export { findExecutable } from './find-executable.js';
export { RedisServer } from './redis-server.js';
