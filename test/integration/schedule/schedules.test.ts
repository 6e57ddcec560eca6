import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { cleanEnv, collect, runCli, tempDir, WORKER, writeCorpus } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

let broker: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
});

afterAll(async () => {
  await stopRedis(broker);
});

describe('schedules', () => {
  const dir = tempDir('schedules');
  const { file } = writeCorpus(dir, 25);
  const configFile = path.join(dir, 'batchline.config.json');
  const prefix = `{${uniqueName('s')}}`;
  const env = () => cleanEnv({ BATCHLINE_BROKER_URL: broker.url, BATCHLINE_QUEUE_PREFIX: prefix });
  const writeConfig = (schedules: unknown[]) => writeFileSync(configFile, JSON.stringify({ schedules }));
  const cli = async (...args: string[]) => {
    const result = await runCli([...args, '--config', configFile], { env: env(), cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };

  it('apply is idempotent, and removing a schedule from the config and applying removes it', async () => {
    writeConfig([
      { name: 'nightly', cron: '0 2 * * *', timezone: 'Europe/Berlin', inputs: [file] },
      { name: 'hourly', cron: '0 * * * *', inputs: [file], queue: 'default' },
    ]);
    expect(JSON.parse(await cli('schedule', 'apply', '--json'))).toEqual({ added: ['nightly', 'hourly'], updated: [], unchanged: [], removed: [] });
    const listed = JSON.parse(await cli('schedule', 'list', '--json'));
    expect(JSON.parse(await cli('schedule', 'apply', '--json'))).toEqual({ added: [], updated: [], unchanged: ['nightly', 'hourly'], removed: [] });
    expect(JSON.parse(await cli('schedule', 'list', '--json'))).toEqual(listed);
    expect(listed).toEqual([
      expect.objectContaining({ name: 'hourly', queue: 'default', cron: '0 * * * *', timezone: 'UTC', next: expect.any(Number) }),
      expect.objectContaining({ name: 'nightly', queue: 'batch', cron: '0 2 * * *', timezone: 'Europe/Berlin', inputs: [file] }),
    ]);

    writeConfig([{ name: 'nightly', cron: '30 3 * * *', timezone: 'Europe/Berlin', inputs: [file] }]);
    expect(JSON.parse(await cli('schedule', 'apply', '--json'))).toEqual({ added: [], updated: ['nightly'], unchanged: [], removed: ['hourly'] });
    expect(JSON.parse(await cli('schedule', 'list', '--json')).map((s: { name: string; cron: string }) => [s.name, s.cron])).toEqual([
      ['nightly', '30 3 * * *'],
    ]);
    expect(await cli('schedule', 'remove', 'nightly')).toMatch(/removed nightly/);
    expect(JSON.parse(await cli('schedule', 'list', '--json'))).toEqual([]);
  });

  it('apply with one bad cron pattern names that schedule, exits 2 and changes nothing in the broker', async () => {
    writeConfig([{ name: 'nightly', cron: '0 2 * * *', inputs: [file] }]);
    await cli('schedule', 'apply');
    const before = JSON.parse(await cli('schedule', 'list', '--json'));
    writeConfig([
      { name: 'nightly', cron: '0 4 * * *', inputs: [file] },
      { name: 'hourly', cron: '0 * * * *', inputs: [file] },
      { name: 'typo', cron: '0 2 * * * * *', inputs: [file] },
    ]);
    const result = await runCli(['schedule', 'apply', '--config', configFile], { env: env(), cwd: dir });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/typo: cron "0 2 \* \* \* \* \*"/);
    expect(lines[0]).not.toMatch(/nightly|hourly/);
    expect(lines[0]).toMatch(/nothing was applied/);
    expect(JSON.parse(await cli('schedule', 'list', '--json'))).toEqual(before);
    await cli('schedule', 'remove', 'nightly');
  });

  it('a due schedule creates a normal batch named after the schedule and the time, processed by the batch workers', async () => {
    writeConfig([{ name: 'every-second', cron: '* * * * * *', inputs: [file] }]);
    await cli('schedule', 'apply');
    const worker = spawn(process.execPath, [WORKER('batch')], { env: { ...env(), BATCHLINE_CONFIG: configFile }, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = collect(worker);
    let batches: { batchId: string; total: number; ok: number; queue: string }[] = [];
    for (let i = 0; i < 100; i++) {
      batches = JSON.parse(await cli('status', '--json'));
      if (batches.some((b) => b.ok === 25)) break;
      await sleep(200);
    }
    writeConfig([]);
    await cli('schedule', 'apply');
    worker.kill('SIGTERM');
    await exited;
    const done = batches.find((b) => b.ok === 25);
    expect(done?.batchId).toMatch(/^every-second-\d{8}T\d{4}Z$/);
    expect(done).toMatchObject({ total: 25, queue: 'batch' });
  });
});
