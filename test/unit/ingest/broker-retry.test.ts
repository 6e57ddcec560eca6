import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { brokerRefusalOf, ErrorCode } from '../../../src/errors.js';
import { withBrokerRetry } from '../../../src/ingest/retry.js';
import { silentLogger } from '../../../src/log.js';

/** The error withBrokerRetry gives up with, with no time left to retry. */
async function givingUp(error: Error): Promise<{ code?: string; message: string }> {
  return withBrokerRetry('enqueueing documents', 0, silentLogger, () => Promise.reject(error)).then(
    () => ({ message: 'resolved' }),
    (thrown: { code?: string; message: string }) => thrown,
  );
}

describe('broker errors during ingest are named for what they are', () => {
  it('OOM: the broker refuses writes because it is out of memory, not "unreachable"', async () => {
    const error = await givingUp(new ReplyError("OOM command not allowed when used memory > 'maxmemory'."));
    expect(error.code).toBe(ErrorCode.BROKER_REFUSED);
    expect(error.message).toMatch(/^broker refuses writes: out of memory .* while enqueueing documents: OOM command not allowed/);
  });

  it('MISCONF, READONLY and LOADING name their causes too, also inside a script or a refused transaction', async () => {
    expect((await givingUp(new ReplyError('MISCONF Redis is configured to save RDB snapshots, but it is currently unable to persist to disk.'))).message).toMatch(
      /unable to persist/,
    );
    expect((await givingUp(new ReplyError("READONLY You can't write against a read only replica."))).message).toMatch(/read-only/);
    expect((await givingUp(new ReplyError('LOADING Redis is loading the dataset in memory'))).message).toMatch(/still loading/);
    expect(brokerRefusalOf(new ReplyError("OOM command not allowed when used memory > 'maxmemory'. script: 3b2f, on @user_script:5."))).toMatch(/out of memory/);
    const execAbort = Object.assign(new ReplyError('EXECABORT Transaction discarded because of previous errors.'), {
      previousErrors: [new ReplyError("OOM command not allowed when used memory > 'maxmemory'.")],
    });
    expect(brokerRefusalOf(execAbort)).toMatch(/out of memory/);
  });

  it('a connection that fails is "unreachable"; another error reply is "rejected", not a refusal', async () => {
    const unreachable = await givingUp(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' }));
    expect(unreachable.code).toBe(ErrorCode.BROKER_UNAVAILABLE);
    expect(unreachable.message).toMatch(/^broker unreachable while enqueueing documents/);
    const rejected = await givingUp(new ReplyError('NOPERM this user has no permissions to run the command'));
    expect(rejected.code).toBe(ErrorCode.BROKER_REFUSED);
    expect(rejected.message).toMatch(/^broker rejected the command while enqueueing documents: NOPERM/);
    expect(brokerRefusalOf(new ReplyError('NOPERM no'))).toBeUndefined();
    expect(brokerRefusalOf(new Error('OOMPH'))).toBeUndefined();
  });
});
