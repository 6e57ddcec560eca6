/** Reading and resetting the bench's broker (a redis-server the bench started itself). */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

export async function brokerInfo(admin: Redis, section: string): Promise<Map<string, string>> {
  const text = await admin.info(section);
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

export async function brokerCpuMs(admin: Redis): Promise<number> {
  const cpu = await brokerInfo(admin, 'cpu');
  return (Number(cpu.get('used_cpu_user')) + Number(cpu.get('used_cpu_sys'))) * 1_000;
}

export async function commandCounts(admin: Redis): Promise<Map<string, number>> {
  const stats = await brokerInfo(admin, 'commandstats');
  const counts = new Map<string, number>();
  for (const [key, value] of stats) {
    const calls = /calls=(\d+)/.exec(value)?.[1];
    if (key.startsWith('cmdstat_') && calls) counts.set(key.slice('cmdstat_'.length), Number(calls));
  }
  return counts;
}

export async function aofRewrites(admin: Redis): Promise<number> {
  const persistence = await brokerInfo(admin, 'persistence');
  return Number(persistence.get('aof_rewrites') ?? 0);
}

/**
 * Empties the broker and compacts its append-only file, so every run starts alike: without
 * the rewrite here, the previous run's AOF growth would trigger one early in the next run.
 */
export async function resetBroker(admin: Redis): Promise<void> {
  await admin.flushall();
  await waitForAofRewrite(admin);
  await admin.bgrewriteaof();
  await sleep(100);
  await waitForAofRewrite(admin);
  await admin.config('RESETSTAT');
}

async function waitForAofRewrite(admin: Redis): Promise<void> {
  for (;;) {
    const persistence = await brokerInfo(admin, 'persistence');
    if (persistence.get('aof_rewrite_in_progress') !== '1' && persistence.get('aof_rewrite_scheduled') !== '1') break;
    await sleep(100);
  }
}

/** Broker commands per document, all together and by name (over 0.01), most first. */
export function commandsPerDoc(commands: ReadonlyMap<string, number>, docs: number): string {
  const byName = [...commands.entries()]
    .map(([name, calls]) => [name, calls / docs] as const)
    .filter(([, value]) => value >= 0.01)
    .sort((a, b) => b[1] - a[1])
    .map(([name, value]) => `${name}=${value.toFixed(2)}`);
  const total = [...commands.values()].reduce((a, b) => a + b, 0) / docs;
  return `broker commands/doc ${total.toFixed(2)} (calls inside scripts included): ${byName.join(' ')}`;
}

/**
 * Runs both sides of a bench `rounds` times, batchline first in odd rounds and raw first in
 * even ones, each on an emptied broker. Hands each round's pair to `report`, with its order
 * and a note naming the sides whose run saw an AOF rewrite; returns every pair.
 */
export async function alternatingRounds<M extends { aofRewrite: boolean }>(
  rounds: number,
  admin: Redis,
  sides: { batchline: (round: number) => Promise<M>; raw: (round: number) => Promise<M> },
  report: (round: number, pair: { bl: M; raw: M }, order: string, aofNote: string) => void,
): Promise<{ bl: M; raw: M }[]> {
  const pairs: { bl: M; raw: M }[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? (['batchline', 'raw'] as const) : (['raw', 'batchline'] as const);
    const results: Partial<Record<'batchline' | 'raw', M>> = {};
    for (const side of order) {
      await resetBroker(admin);
      results[side] = await sides[side](round);
    }
    const pair = { bl: results.batchline as M, raw: results.raw as M };
    pairs.push(pair);
    const rewrites = [pair.bl.aofRewrite ? 'batchline' : '', pair.raw.aofRewrite ? 'raw' : ''].filter(Boolean);
    report(round, pair, order.join(','), rewrites.length > 0 ? ` (broker AOF rewrite during ${rewrites.join(' and ')})` : '');
  }
  return pairs;
}
