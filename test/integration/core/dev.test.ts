import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { cleanEnv, startCli, tempDir } from '../../helpers/cli.js';
import { processesWorkingIn } from '../../helpers/processes.js';

describe('batchline dev', () => {
  it('starts broker, cache, a worker per queue and the dashboard, and stops everything on Ctrl-C', async () => {
    const cwd = tempDir('dev');
    const { child, done } = startCli(['dev', '--port', '0'], { cwd, env: cleanEnv({ BATCHLINE_DATA_DIR: `${cwd}/data` }) });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = stderr.match(/dashboard at (http:\/\/\S+)/)?.[1];
      await sleep(100);
    }
    expect(url, stderr).toBeDefined();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    let queues: string[] = [];
    for (let i = 0; i < 100 && queues.length < 3; i++) {
      const body = (await (await fetch(`${url}/api/workers`)).json()) as { workers: { queue: string }[] };
      queues = [...new Set(body.workers.map((worker) => worker.queue))].sort();
      await sleep(200);
    }
    expect(queues).toEqual(['batch', 'default', 'patterns']);
    expect(existsSync(`${cwd}/data/broker/batchline.lock`)).toBe(true);

    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(0);
    for (let i = 0; i < 100 && processesWorkingIn(cwd).length > 0; i++) await sleep(100);
    expect(processesWorkingIn(cwd)).toEqual([]);
    expect(existsSync(`${cwd}/data/broker/batchline.lock`)).toBe(false);
  });
});
