import { execFileSync } from 'node:child_process';
import type { Config } from '../config/index.js';
import { messageOf } from '../errors.js';
import { EmbeddedRedis, findExecutable } from '../redis/index.js';
import { checkBroker } from './check-broker.js';
import { checkCache } from './check-cache.js';
import { checkSchedules } from './check-schedules.js';
import { type Finding, fail, ok, warn } from './finding.js';

/**
 * Every check `batchline doctor` makes. With no broker URL it checks the embedded default
 * instead (redis-server present, data folder usable) by starting it briefly.
 */
export async function runDoctor(config: Config): Promise<Finding[]> {
  const findings: Finding[] = [];
  let embedded: EmbeddedRedis | undefined;
  let brokerUrl = config.brokerUrl;
  let cacheConfig = config;
  if (!brokerUrl) {
    const binary = findExecutable('redis-server');
    if (!binary) {
      return [fail('embedded', 'no broker URL and redis-server is not on the PATH: install redis-server, or set BATCHLINE_BROKER_URL')];
    }
    findings.push(ok('embedded', `no broker URL: run/dev start ${execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim().split(' sha=')[0]} from ${binary}`));
    try {
      embedded = await EmbeddedRedis.start(config.dataDir, { withCache: config.cache.enabled && !config.cacheUrl });
      findings.push(ok('embedded', `data folder ${config.dataDir} usable`));
      brokerUrl = embedded.broker.url;
      if (embedded.cache) cacheConfig = { ...config, cacheUrl: embedded.cache.url };
    } catch (error) {
      findings.push(fail('embedded', messageOf(error)));
      return [...findings, ...checkSchedules(config)];
    }
  }
  try {
    const broker = await checkBroker(brokerUrl);
    const cache = await checkCache(cacheConfig);
    findings.push(...broker.findings, ...cache.findings);
    if (broker.facts && cache.facts) {
      findings.push(
        broker.facts.runId === cache.facts.runId
          ? config.allowSharedRedis
            ? warn('setup', 'broker and cache are one Redis instance (allowed by allowSharedRedis): their eviction policies conflict')
            : fail('setup', 'broker and cache are the same Redis instance: use two (noeviction for the broker, allkeys-lru for the cache)')
          : ok('setup', 'broker and cache are different instances'),
      );
    }
    findings.push(...checkSchedules(config));
    return findings;
  } finally {
    await embedded?.stop();
  }
}

/** Exit status of doctor: 1 when any check failed; warnings alone leave it 0. */
export function doctorExitCode(findings: readonly Finding[]): number {
  return findings.some((finding) => finding.status === 'fail') ? 1 : 0;
}
