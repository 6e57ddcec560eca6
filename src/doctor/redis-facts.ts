import { type Finding, fail, formatBytes, ok, warn } from './finding.js';

/** What doctor learns about a Redis server from INFO and CONFIG GET. */
export interface RedisFacts {
  version: string;
  runId: string;
  policy: string | undefined;
  usedMemory: number;
  maxMemory: number;
  totalSystemMemory: number;
  aofEnabled: boolean;
  appendfsync: string | undefined;
}

export function factsFrom(info: Record<string, string>, policy: string | undefined, appendfsync: string | undefined): RedisFacts {
  return {
    version: info.redis_version ?? 'unknown',
    runId: info.run_id ?? '',
    policy: policy ?? info.maxmemory_policy,
    usedMemory: Number(info.used_memory ?? 0),
    maxMemory: Number(info.maxmemory ?? 0),
    totalSystemMemory: Number(info.total_system_memory ?? 0),
    aofEnabled: info.aof_enabled === '1',
    appendfsync,
  };
}

/** Memory headroom: how full the server is against its limit (or the machine, without one). */
export function memoryFinding(area: string, facts: RedisFacts, failAbove: number): Finding {
  const used = formatBytes(facts.usedMemory);
  if (facts.maxMemory === 0) {
    const machine = facts.totalSystemMemory ? ` of ${formatBytes(facts.totalSystemMemory)} on the machine` : '';
    return warn(area, `memory: ${used} used${machine}, no maxmemory set: it can grow until the machine runs out`);
  }
  const share = facts.usedMemory / facts.maxMemory;
  const line = `memory: ${used} of ${formatBytes(facts.maxMemory)} (${Math.round(share * 100)} %)`;
  if (share > failAbove) return fail(area, `${line}: almost full`);
  if (share > 0.8) return warn(area, `${line}: getting full`);
  return ok(area, line);
}
