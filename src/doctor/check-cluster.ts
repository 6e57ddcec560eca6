import type { Cluster } from 'ioredis';
import type { CacheClusterNode } from '../cache/index.js';
import { type Finding, fail, ok, parseInfo, warn } from './finding.js';

/**
 * Doctor's checks of a Redis Cluster (broker or cache): the cluster is healthy as every
 * node sees it (cluster_state ok, all 16384 slots assigned and served), and each node's
 * eviction policy suits its role. Roles differ only in how a wrong policy counts: a broker
 * node that evicts loses jobs (fail), a cache node that does not evict refuses writes
 * when full (warn: the cache is optional).
 */

/** What doctor reads from one node. */
export interface ClusterNodeView {
  readonly address: string;
  readonly role: 'master' | 'replica';
  clusterInfo(): Promise<string>;
  info(): Promise<string>;
  /** CONFIG GET; undefined when refused (managed services often forbid CONFIG). */
  policy(): Promise<string | undefined>;
}

const evicting = /^(allkeys|volatile)-(lru|lfu|random|ttl)$/;

export async function clusterFindings(area: 'broker' | 'cache', nodes: readonly ClusterNodeView[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const masters = nodes.filter((node) => node.role === 'master');
  const unhealthy: string[] = [];
  const policies = new Map<string, string[]>();
  const noAof: string[] = [];
  let version = 'unknown';
  for (const node of nodes) {
    try {
      const cluster = parseInfo(await node.clusterInfo());
      if (cluster.cluster_state !== 'ok' || cluster.cluster_slots_assigned !== '16384' || cluster.cluster_slots_ok !== '16384') {
        unhealthy.push(`${node.address} (state ${cluster.cluster_state}, ${cluster.cluster_slots_ok ?? '?'} of 16384 slots ok)`);
      }
      const info = parseInfo(await node.info());
      version = info.redis_version ?? version;
      if (info.aof_enabled !== '1') noAof.push(node.address);
      const policy = (await node.policy()) ?? info.maxmemory_policy ?? 'unknown';
      policies.set(policy, [...(policies.get(policy) ?? []), node.address]);
    } catch (error) {
      unhealthy.push(`${node.address} (no answer: ${(error as Error).message})`);
    }
  }
  const replicas = nodes.length - masters.length;
  findings.push(ok(area, `Redis Cluster reachable: ${masters.length} masters, ${replicas} replicas, Redis ${version}`));
  findings.push(
    unhealthy.length === 0
      ? ok(area, 'cluster_state ok on every node, all 16384 slots served')
      : fail(area, `cluster unhealthy on ${unhealthy.join(', ')}: run redis-cli --cluster check on a node`),
  );
  for (const [policy, addresses] of policies) {
    const where = `${addresses.length === nodes.length ? 'every node' : addresses.join(', ')}`;
    if (area === 'broker') {
      findings.push(
        policy === 'noeviction'
          ? ok(area, `maxmemory-policy noeviction on ${where} (BullMQ requires it)`)
          : fail(area, `maxmemory-policy ${policy} on ${where}: BullMQ needs noeviction or jobs can vanish; CONFIG SET maxmemory-policy noeviction on each node`),
      );
    } else {
      findings.push(
        evicting.test(policy)
          ? ok(area, `maxmemory-policy ${policy} on ${where}: old artifacts make room for new ones`)
          : warn(area, `maxmemory-policy ${policy} on ${where}: when full it refuses writes; use allkeys-lru`),
      );
    }
  }
  if (area === 'broker') {
    if (noAof.length > 0) findings.push(warn(area, `append-only file off on ${noAof.join(', ')}: a restart of such a node can lose queued jobs; set appendonly yes`));
    if (replicas < masters.length) {
      findings.push(warn(area, 'a master has no replica: if it fails, the queues on its slots stop until it is back (add --cluster-replicas 1)'));
    }
  }
  return findings;
}

/** Node views of a connected ioredis Cluster (the broker). */
export function ioredisNodeViews(cluster: Cluster): ClusterNodeView[] {
  const view = (node: ReturnType<Cluster['nodes']>[number], role: 'master' | 'replica'): ClusterNodeView => ({
    address: `${node.options.host}:${node.options.port}`,
    role,
    clusterInfo: () => node.cluster('INFO') as Promise<string>,
    info: () => node.info(),
    policy: async () => {
      try {
        return ((await node.config('GET', 'maxmemory-policy')) as string[])[1];
      } catch {
        return undefined;
      }
    },
  });
  return [...cluster.nodes('master').map((node) => view(node, 'master')), ...cluster.nodes('slave').map((node) => view(node, 'replica'))];
}

/** Node views of what the cache read of its cluster's nodes (through its choke point). */
export function cacheNodeViews(nodes: readonly CacheClusterNode[]): ClusterNodeView[] {
  const answered = (value: string | undefined, what: string, address: string): string => {
    if (value === undefined) throw new Error(`${address} did not answer ${what}`);
    return value;
  };
  return nodes.map((node) => ({
    address: node.address,
    role: node.role,
    clusterInfo: async () => answered(node.clusterInfo, 'CLUSTER INFO', node.address),
    info: async () => answered(node.info, 'INFO', node.address),
    policy: async () => node.maxMemoryPolicy,
  }));
}
