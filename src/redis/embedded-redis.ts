import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { BatchlineError, ErrorCode } from '../errors.js';
import { RedisServer } from './redis-server.js';

/**
 * The embedded default: a durable broker (AOF under `<dataDir>/broker`) and, unless not
 * wanted, a disposable cache, both local redis-server children on free loopback ports.
 * A lock file keeps a second batchline process from running a second server on the same
 * append-only file, which would corrupt the first one's data.
 */
export class EmbeddedRedis {
  private constructor(
    readonly broker: RedisServer,
    readonly cache: RedisServer | undefined,
    private readonly lockFile: string,
  ) {}

  static async start(dataDir: string, options: { withCache: boolean }): Promise<EmbeddedRedis> {
    const brokerDir = path.resolve(dataDir, 'broker');
    mkdirSync(brokerDir, { recursive: true });
    const lockFile = path.join(brokerDir, 'batchline.lock');
    acquireLock(lockFile);
    let broker: RedisServer | undefined;
    try {
      broker = await RedisServer.start({ dir: brokerDir, role: 'broker' });
      const cache = options.withCache ? await RedisServer.start({ dir: path.resolve(dataDir, 'cache'), role: 'cache' }) : undefined;
      return new EmbeddedRedis(broker, cache, lockFile);
    } catch (error) {
      await broker?.stop();
      rmSync(lockFile, { force: true });
      throw error;
    }
  }

  /**
   * Stops the cache, then the broker (its AOF is flushed on SIGTERM), then frees the lock.
   * A broker that logged many writes (a large `run`) first has its AOF rewritten, so that the
   * next `status` or `export` loads an RDB rather than replaying the whole run.
   */
  async stop(): Promise<void> {
    await this.cache?.stop();
    if (this.broker.running) {
      // Loaded here, not at the top: ioredis then loads while the broker starts, not before.
      const { compactAof } = await import('./compact-aof.js');
      await compactAof(this.broker.port);
    }
    await this.broker.stop();
    rmSync(this.lockFile, { force: true });
  }
}

function acquireLock(lockFile: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8').trim());
      if (owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new BatchlineError(
          ErrorCode.DATA_DIR_LOCKED,
          `another batchline process (pid ${owner}) is using the embedded broker in ${path.dirname(lockFile)}; ` +
            'wait for it to finish, or set BATCHLINE_DATA_DIR to another folder, or BATCHLINE_BROKER_URL to a running broker',
        );
      }
      rmSync(lockFile, { force: true }); // left by a process that died: take it over
    }
  }
  throw new BatchlineError(ErrorCode.DATA_DIR_LOCKED, `cannot take the lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
