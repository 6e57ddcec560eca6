import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';

export const API_KEY = 'sk-integration-SECRET-9d8c7b6a5f';

/** Environment turning the LLM step on against the stand-in at `url`. */
export function llmEnv(url: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { BATCHLINE_LLM_BASE_URL: url, BATCHLINE_LLM_MODEL: 'stand-in', BATCHLINE_LLM_API_KEY: API_KEY, ...extra };
}

/** A JSONL file of the given texts, ids `d0`, `d1`, ... unless given. */
export function writeDocs(dir: string, docs: readonly { id: string; text: string }[], name = 'docs.jsonl'): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${docs.map((doc) => JSON.stringify(doc)).join('\n')}\n`);
  return file;
}

/** A small invoice-like text, distinct per `n`, with optional stand-in fault markers. */
export function invoiceText(n: number, markers = ''): string {
  return `Invoice INV-${70_000 + n}\nCustomer: Client ${n}\nTotal: EUR ${(n * 13.7 + 5).toFixed(2)}\nNote: ${markers || 'none'}\nThank you.`;
}

/** Every value stored in a Redis instance, as text: to prove a secret never reached it. */
export async function dumpRedis(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const parts: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        parts.push(key);
        if (type === 'string') parts.push((await redis.get(key)) ?? '');
        else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}
