import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { replyOrClose } from '../../../src/redis/reply-or-close.js';

describe('replyOrClose', () => {
  it('settles with the call when its reply comes first, and leaves no listener behind', async () => {
    const client = new EventEmitter();
    await expect(replyOrClose(client, async () => 'OK')).resolves.toBe('OK');
    await expect(replyOrClose(client, async () => Promise.reject(new Error('ERR wrong')))).rejects.toThrow('ERR wrong');
    expect(client.listenerCount('close')).toBe(0);
  });

  it('rejects when the connection closes before the reply, though the call never settles', async () => {
    const client = new EventEmitter();
    const pending = replyOrClose(client, () => new Promise<never>(() => {}));
    client.emit('close');
    await expect(pending).rejects.toThrow(/connection closed before the reply came/);
    expect(client.listenerCount('close')).toBe(0);
  });
});
