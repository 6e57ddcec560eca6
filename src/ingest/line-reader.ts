import type { Readable } from 'node:stream';

export type Line =
  | { readonly lineNo: number; readonly bytes: Buffer }
  | { readonly lineNo: number; readonly tooLong: number };

/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes` of one
 * line: a longer line is reported by its length and skipped, so a 50 MB line or a file
 * with no newline at all cannot exhaust memory. Splits on bytes, not characters, so
 * invalid UTF-8 reaches the caller intact to be reported.
 */
export async function* readLines(stream: Readable, maxLineBytes: number): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let lineNo = 1;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      const length = pendingBytes + piece.length;
      if (skipping || length > maxLineBytes) yield { lineNo, tooLong: length };
      else yield { lineNo, bytes: pending.length === 0 ? piece : Buffer.concat([...pending, piece]) };
      pending = [];
      pendingBytes = 0;
      skipping = false;
      lineNo++;
      start = newline + 1;
    }
    const rest = chunk.subarray(start);
    pendingBytes += rest.length;
    if (skipping || pendingBytes > maxLineBytes) {
      skipping = true;
      pending = [];
    } else if (rest.length > 0) {
      pending.push(Buffer.from(rest)); // copy: the stream may reuse its buffer
    }
  }
  if (pendingBytes > 0) {
    if (skipping) yield { lineNo, tooLong: pendingBytes };
    else yield { lineNo, bytes: Buffer.concat(pending) };
  }
}
