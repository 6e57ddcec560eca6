import { once } from 'node:events';
import { createWriteStream, mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { BatchlineError, ErrorCode, messageOf } from '../errors.js';

/**
 * Writes lines to a file atomically: into a temporary file beside it, flushed to disk,
 * then renamed over the target. A reader never sees half a file, and a failed export
 * (disk full, read-only) leaves the previous file and throws E_SINK.
 */
export async function writeLinesAtomically(file: string, lines: AsyncIterable<string>): Promise<number> {
  const temporary = `${file}.${process.pid}.tmp`;
  let count = 0;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const stream = createWriteStream(temporary);
    const failed = once(stream, 'error').then(([error]) => {
      throw error;
    });
    failed.catch(() => {});
    for await (const line of lines) {
      count++;
      if (!stream.write(`${line}\n`)) await Promise.race([once(stream, 'drain'), failed]);
    }
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    const handle = await fs.open(temporary, 'r');
    await handle.sync().finally(() => handle.close());
    await fs.rename(temporary, file);
    return count;
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => {});
    throw new BatchlineError(ErrorCode.SINK, `cannot write ${file}: ${messageOf(error)}`, { cause: error });
  }
}
