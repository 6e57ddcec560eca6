import { createCache } from '../cache/index.js';
import { systemClock } from '../time.js';
import { type Config, isClusterUrl, redactUrl } from '../config/index.js';
import { silentLogger } from '../log.js';
import { cacheNodeViews, clusterFindings } from './check-cluster.js';
import { type Finding, ok, parseInfo, warn } from './finding.js';
import { factsFrom, memoryFinding, type RedisFacts } from './redis-facts.js';

/**
 * The cache Redis, read through the cache's own choke point like every cache access.
 * Problems are warnings, never failures: the cache is optional.
 */
export async function checkCache(config: Config): Promise<{ findings: Finding[]; facts?: RedisFacts }> {
  if (!config.cache.enabled) return { findings: [ok('cache', 'cache disabled (cache.enabled false): every document runs the pipeline')] };
  if (!config.cacheUrl) return { findings: [warn('cache', 'no cacheUrl: workers use only their in-process cache; set BATCHLINE_CACHE_URL')] };
  const shown = redactUrl(config.cacheUrl);
  // The operator's budget: doctor waits once, workers never do.
  const { connectTimeoutMs, operatorOpTimeoutMs } = config.cache;
  const cache = createCache({ ...config.cache, opTimeoutMs: operatorOpTimeoutMs }, { url: config.cacheUrl, logger: silentLogger, clock: systemClock });
  const readyMs = connectTimeoutMs + operatorOpTimeoutMs;
  try {
    if (!(await cache.ready(readyMs))) {
      const cause = cache.health().connectionError ?? `no answer within ${readyMs} ms`;
      return { findings: [warn('cache', `${shown} is not reachable: ${cause}; batches still run, only slower (every document misses)`)] };
    }
    if (isClusterUrl(config.cacheUrl)) {
      const nodes = await cache.l2.clusterNodes();
      if (nodes === undefined) return { findings: [warn('cache', `${shown}: the cluster did not answer doctor's questions; batches still run, only slower`)] };
      const findings = await clusterFindings('cache', cacheNodeViews(nodes));
      // Problems of the cache cluster are warnings, like every cache finding.
      return { findings: [ok('cache', `${shown} reachable`), ...findings.map((finding) => (finding.status === 'fail' ? { ...finding, status: 'warn' as const } : finding))] };
    }
    const server = await cache.l2.serverFacts();
    if (server === undefined) {
      const cause = cache.health().connectionError ?? 'INFO was refused (ACL?)';
      return { findings: [warn('cache', `${shown} is not reachable: ${cause}; batches still run, only slower (every document misses)`)] };
    }
    const facts = factsFrom(parseInfo(server.info), server.maxMemoryPolicy, undefined);
    const evicts = facts.policy !== undefined && /^(allkeys|volatile)-/.test(facts.policy);
    return {
      facts,
      findings: [
        ok('cache', `${shown} reachable, Redis ${facts.version}`),
        evicts
          ? ok('cache', `maxmemory-policy ${facts.policy}: old artifacts make room for new ones`)
          : warn('cache', `maxmemory-policy is ${facts.policy ?? 'unknown'}: when full it refuses writes; use allkeys-lru`),
        facts.maxMemory === 0 ? warn('cache', 'no maxmemory set: the cache can grow without bound; set maxmemory (e.g. 250mb)') : memoryFinding('cache', facts, 1.01),
      ],
    };
  } finally {
    await cache.close(500);
  }
}
