import { redactUrl } from '../config/index.js';
import { messageOf } from '../errors.js';
import type { Cluster } from 'ioredis';
import { isClusterUrl } from '../config/index.js';
import { connectBroker } from '../redis/index.js';
import { clusterFindings, ioredisNodeViews } from './check-cluster.js';
import { type Finding, fail, ok, parseInfo, warn } from './finding.js';
import { factsFrom, memoryFinding, type RedisFacts } from './redis-facts.js';

/** Reachability, version, eviction policy, persistence and memory of the broker. */
export async function checkBroker(url: string): Promise<{ findings: Finding[]; facts?: RedisFacts }> {
  const shown = redactUrl(url);
  let redis: Awaited<ReturnType<typeof connectBroker>>;
  try {
    redis = await connectBroker(url, 'producer', 3_000);
  } catch (error) {
    // The error already names the URL (redacted), the cause and the key to fix.
    return { findings: [fail('broker', messageOf(error))] };
  }
  try {
    if (isClusterUrl(url)) {
      // Every node is asked itself: INFO or CONFIG through the Cluster would reach just one.
      const findings = await clusterFindings('broker', ioredisNodeViews(redis as unknown as Cluster));
      return { findings: [ok('broker', `${shown} reachable`), ...findings] };
    }
    const info = parseInfo(await redis.info());
    const config = async (name: string) => {
      try {
        return ((await redis.config('GET', name)) as string[])[1];
      } catch {
        return undefined; // managed services often disable CONFIG
      }
    };
    const facts = factsFrom(info, await config('maxmemory-policy'), await config('appendfsync'));
    const findings = [ok('broker', `${shown} reachable, Redis ${facts.version}`)];
    if (Number(facts.version.split('.')[0]) < 6) findings.push(fail('broker', `Redis ${facts.version} is too old for BullMQ: use 6.2 or newer`));
    findings.push(
      facts.policy === 'noeviction'
        ? ok('broker', 'maxmemory-policy noeviction (BullMQ requires it)')
        : fail('broker', `maxmemory-policy is ${facts.policy ?? 'unknown'}: BullMQ needs noeviction or jobs can vanish; CONFIG SET maxmemory-policy noeviction`),
    );
    findings.push(
      facts.aofEnabled
        ? ok('broker', `append-only file on (appendfsync ${facts.appendfsync ?? 'unknown'}): a restart loses no acknowledged job`)
        : warn('broker', 'append-only file off: a restart of the broker can lose queued jobs; set appendonly yes'),
    );
    findings.push(memoryFinding('broker', facts, 0.9));
    return { findings, facts };
  } finally {
    redis.disconnect();
  }
}
