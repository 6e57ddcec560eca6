import { randomBytes } from 'node:crypto';

/** A pool of random bytes that write ids are cut from, 6 bytes (48 bits) each. */
const WRITE_ID_BYTES = 6;
let writeIdBytes = Buffer.alloc(0);
let writeIdBytesAt = 0;

/**
 * Names one logical write, so that the broker can tell a re-sent command (its first reply
 * was lost) from a new one. 48 random bits: it only has to differ from the few other
 * writes to the same document.
 */
export function newWriteId(): string {
  // Random bytes are drawn 3 KiB at a time: one randomBytes call per id cost ~13 µs, a
  // measurable share of a worker's CPU per document (issue 12's queue bench).
  if (writeIdBytesAt + WRITE_ID_BYTES > writeIdBytes.length) {
    writeIdBytes = randomBytes(WRITE_ID_BYTES * 512);
    writeIdBytesAt = 0;
  }
  const id = writeIdBytes.toString('base64url', writeIdBytesAt, writeIdBytesAt + WRITE_ID_BYTES);
  writeIdBytesAt += WRITE_ID_BYTES;
  return id;
}
