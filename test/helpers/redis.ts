import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RedisRole, RedisServer } from '../../src/redis/redis-server.js';

/**
 * Starts a real redis-server on a free loopback port in its own temporary directory.
 * Never touches the Redis on 6379. Call `stopRedis` (or `server.stop()`) in afterAll.
 */
export async function startRedis(
  role: RedisRole,
  extraArgs: readonly string[] = [],
  tls?: { certFile: string; keyFile: string; caFile: string },
): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `batchline-test-${role}-`));
  return RedisServer.start({ dir, role, extraArgs, ...(tls ? { tls } : {}) });
}

/**
 * Starts a real redis-server on another host (a network namespace, see netns.ts), bound to
 * that host's address on 6379 and requiring `password`: without one, protected mode would
 * refuse every client that is not on loopback. Its URL carries no password.
 */
export async function startRedisOnHost(role: RedisRole, host: { address: string; launcher: readonly string[] }, password: string): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `batchline-test-${role}-`));
  return RedisServer.start({ dir, role, host: host.address, port: 6379, launcher: host.launcher, extraArgs: ['--requirepass', password] });
}

export async function stopRedis(...servers: (RedisServer | undefined)[]): Promise<void> {
  for (const server of servers) {
    if (!server) continue;
    await server.stop();
    rmSync(server.options.dir, { recursive: true, force: true });
  }
}

/** A unique name for queues, prefixes and batches, so tests never see each other's keys. */
export function uniqueName(label = 't'): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}
