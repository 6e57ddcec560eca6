/** The temp dir, input file and broker one bench run works in, and their removal. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { writeDocuments } from './bench-documents.js';

type RedisServerModule = typeof import('../../src/redis/redis-server.js');

export interface Sandbox {
  tmp: string;
  /** `docs` generated documents as JSONL. */
  inputFile: string;
  /** Bytes of document text in the input. */
  textBytes: number;
  brokerUrl: string;
  /** A plain client of the broker, for INFO and resets. */
  admin: Redis;
}

/**
 * Runs a bench's `body` in a fresh temp dir holding the input file and a broker-role
 * redis-server (RedisServer from dist/: AOF everysec, noeviction). On the way out, or on
 * Ctrl-C, `stopFirst` ends the bench's own processes, then the broker stops and the temp
 * dir goes.
 */
export async function withBenchBroker(
  name: string,
  docs: number,
  stopFirst: () => Promise<void>,
  body: (sandbox: Sandbox) => Promise<void>,
): Promise<void> {
  const { RedisServer } = (await import(new URL('../../dist/src/redis/redis-server.js', import.meta.url).href)) as RedisServerModule;
  const tmp = mkdtempSync(path.join(os.tmpdir(), `batchline-bench-${name}-`));
  let broker: Awaited<ReturnType<typeof RedisServer.start>> | undefined;
  let admin: Redis | undefined;
  const cleanUp = async () => {
    await stopFirst().catch(() => {});
    admin?.disconnect();
    await broker?.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = () => {
    cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const inputFile = path.join(tmp, 'bench.jsonl');
    const { bytes } = writeDocuments(inputFile, docs);
    broker = await RedisServer.start({ dir: path.join(tmp, 'broker'), role: 'broker' });
    admin = new Redis(broker.url, { maxRetriesPerRequest: 1 });
    await body({ tmp, inputFile, textBytes: bytes, brokerUrl: broker.url, admin });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
}
