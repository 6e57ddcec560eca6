import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { findFreePort } from '../../src/redis/free-port.js';
import { type RedisRole, RedisServer } from '../../src/redis/redis-server.js';

const run = promisify(execFile);

/**
 * A real Redis Cluster on loopback: `masters` masters with `replicas` replicas each, every
 * node a `redis-server --cluster-enabled yes` (through RedisServer, so with the role's
 * persistence and eviction policy) on a free port with its own directory, joined by
 * `redis-cli --cluster create`. Never touches 6379. Call `stop()` in afterAll.
 */
export class RedisCluster {
  private constructor(
    readonly role: RedisRole,
    readonly nodes: RedisServer[],
    private readonly dirs: string[],
    readonly password: string | undefined,
  ) {}

  static async start(role: RedisRole, options: { masters?: number; replicas?: number; password?: string; nodeTimeoutMs?: number } = {}): Promise<RedisCluster> {
    const { masters = 3, replicas = 0, password, nodeTimeoutMs = 2_000 } = options;
    const nodes: RedisServer[] = [];
    const dirs: string[] = [];
    const cluster = new RedisCluster(role, nodes, dirs, password);
    try {
      for (let i = 0; i < masters * (1 + replicas); i++) {
        const dir = mkdtempSync(path.join(os.tmpdir(), `batchline-test-cluster-${role}-`));
        dirs.push(dir);
        const port = await findFreePort();
        // The cluster bus port is named explicitly: port + 10000 may be taken or above 65535.
        const busPort = await findFreePort();
        const auth = password ? ['--requirepass', password, '--masterauth', password] : [];
        nodes.push(
          await RedisServer.start({
            dir,
            role,
            port,
            extraArgs: [
              '--cluster-enabled', 'yes',
              '--cluster-config-file', 'nodes.conf',
              '--cluster-node-timeout', String(nodeTimeoutMs),
              '--cluster-port', String(busPort),
              // A replica stands for election whenever its master fails, however long its link
              // was down: the tests check for themselves that nothing it should hold is lost.
              '--cluster-replica-validity-factor', '0',
              // A master starts a replica's first sync at once, not after Redis's default 5 s
              // wait for more replicas to share a diskless transfer: no master here has more than one.
              '--repl-diskless-sync-delay', '0',
              ...auth,
            ],
          }),
        );
      }
      const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
      await run('redis-cli', [...cluster.authArgs(), '--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], {
        timeout: 30_000,
      });
      await cluster.waitHealthy();
      // A replica still in its first sync cannot take over: wait until every one is in step.
      await cluster.waitReplicasInSync();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** `redis+cluster://[:password@]127.0.0.1:p1,127.0.0.1:p2,...`: every node as a seed. */
  get url(): string {
    const auth = this.password ? `:${encodeURIComponent(this.password)}@` : '';
    return `redis+cluster://${auth}${this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`;
  }

  /** Runs redis-cli against one node and returns its trimmed output. */
  async cli(node: RedisServer, args: readonly string[]): Promise<string> {
    const { stdout } = await run('redis-cli', [...this.authArgs(), '-p', String(node.port), ...args], { timeout: 10_000 });
    return stdout.trim();
  }

  /** The running nodes that are masters now (roles change with failovers). */
  async masters(): Promise<RedisServer[]> {
    const masters: RedisServer[] = [];
    for (const node of this.nodes.filter((n) => n.running)) {
      if ((await this.cli(node, ['ROLE'])).split('\n')[0] === 'master') masters.push(node);
    }
    return masters;
  }

  /** The running replicas of `master`. */
  async replicasOf(master: RedisServer): Promise<RedisServer[]> {
    const id = await this.cli(master, ['CLUSTER', 'MYID']);
    const replicas: RedisServer[] = [];
    for (const node of this.nodes.filter((n) => n.running && n !== master)) {
      const nodes = await this.cli(node, ['CLUSTER', 'NODES']);
      const self = nodes.split('\n').find((line) => line.includes('myself'));
      if (self?.split(' ')[3] === id) replicas.push(node);
    }
    return replicas;
  }

  /**
   * Waits until every running node reports cluster_state:ok with all 16384 slots
   * assigned and ok, and agrees on the number of masters: after create, a kill or a failover.
   */
  async waitHealthy(timeoutMs = 30_000, expectedMasters?: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const infos = await Promise.all(this.nodes.filter((n) => n.running).map((node) => this.cli(node, ['CLUSTER', 'INFO'])));
        const healthy = infos.every(
          (info) =>
            /cluster_state:ok/.test(info) &&
            /cluster_slots_ok:16384/.test(info) &&
            (expectedMasters === undefined || new RegExp(`cluster_size:${expectedMasters}\\b`).test(info)),
        );
        if (healthy) return;
        last = infos.find((info) => !/cluster_state:ok/.test(info)) ?? infos[0] ?? '';
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(100);
    }
    throw new Error(`cluster not healthy within ${timeoutMs} ms: ${last.replace(/\s+/g, ' ').slice(0, 300)}`);
  }

  /** Waits until every running replica's link to its master is up and its first sync done. */
  async waitReplicasInSync(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const node of this.nodes.filter((n) => n.running)) {
      for (;;) {
        const info = await this.cli(node, ['INFO', 'replication']);
        if (!/role:slave/.test(info) || (/master_link_status:up/.test(info) && /master_sync_in_progress:0/.test(info))) break;
        if (Date.now() > deadline) throw new Error(`replica ${node.port} not in sync within ${timeoutMs} ms: ${info.replace(/\s+/g, ' ').slice(0, 300)}`);
        await sleep(100);
      }
    }
  }

  /** Stops every node and removes their directories. */
  async stop(): Promise<void> {
    for (const node of this.nodes) await node.stop().catch(() => {});
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  private authArgs(): string[] {
    return this.password ? ['-a', this.password, '--no-auth-warning'] : [];
  }
}
