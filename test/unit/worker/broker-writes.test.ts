import { ReplyError } from 'ioredis';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { BrokerWrites } from '../../../src/worker/broker-writes.js';

const oom = () => new ReplyError("OOM command not allowed when used memory > 'maxmemory'.");

function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('BrokerWrites', () => {
  it('waits out a broker that refuses writes, logging once when it starts refusing and once when it accepts again', async () => {
    const { logger, lines } = recordingLogger();
    const writes = new BrokerWrites({ logger, stopping: () => false, baseMs: 1, capMs: 2 });
    let tries = 0;
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        writes.run('recording a result', async () => {
          tries++;
          if (tries <= 9) throw oom();
          return n;
        }),
      ),
    );
    expect(results).toEqual([1, 2, 3]);
    expect(lines.map((line) => line.msg)).toEqual(['broker refuses writes; jobs wait and try again (no attempt is used up)', 'broker accepts writes again']);
  });

  it('throws anything that is not a refusal at once, and a refusal once the worker is stopping', async () => {
    const { logger } = recordingLogger();
    let stopping = false;
    const writes = new BrokerWrites({ logger, stopping: () => stopping, baseMs: 1, capMs: 2 });
    await expect(writes.run('x', () => Promise.reject(new ReplyError('WRONGTYPE no')))).rejects.toThrow(/WRONGTYPE/);
    stopping = true;
    await expect(writes.run('x', () => Promise.reject(oom()))).rejects.toThrow(/OOM/);
  });
});
