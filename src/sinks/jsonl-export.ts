import { once } from 'node:events';
import { createWriteStream, mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { BatchlineError, ErrorCode, messageOf } from '../errors.js';

const NEWLINE = Buffer.from('\n');

/**
 * Writes lines to a file atomically: into a temporary file beside it, flushed to disk,
 * then renamed over the target. A reader never sees half a file, and a failed export
 * (disk full, read-only) leaves the previous file and throws E_SINK.
 */
export async function writeLinesAtomically(file: string, lines: AsyncIterable<string | Uint8Array>): Promise<number> {
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
      // Bytes are written as they came (no decoding to a string and back); the newline separately.
      let ready: boolean;
      if (typeof line === 'string') ready = stream.write(`${line}\n`);
      else {
        stream.write(line);
        ready = stream.write(NEWLINE); // both always written: false only asks to wait for 'drain'
      }
      if (!ready) await Promise.race([once(stream, 'drain'), failed]);
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
