import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { BatchlineError, ErrorCode } from '../errors.js';
import type { Origin } from './input-record.js';

/**
 * The batch's `<batchId>.errors.jsonl`: one line per rejected input record with its file,
 * line and reason. Created on the first rejection; write failures are loud.
 */
export class ErrorsFile {
  private stream: WriteStream | undefined;
  private failure: Error | undefined;
  count = 0;

  constructor(
    readonly file: string,
    private readonly batchId: string,
    private readonly mode: 'append' | 'truncate',
  ) {}

  async write(origin: Origin, reason: string): Promise<void> {
    if (this.failure) throw this.sinkError(this.failure);
    if (!this.stream) {
      mkdirSync(path.dirname(this.file), { recursive: true });
      this.stream = createWriteStream(this.file, { flags: this.mode === 'append' ? 'a' : 'w' });
      this.stream.on('error', (error) => {
        this.failure = error;
      });
    }
    this.count++;
    const line = `${JSON.stringify({ batchId: this.batchId, file: origin.file, line: origin.line ?? null, reason })}\n`;
    if (!this.stream.write(line)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
    if (this.failure) throw this.sinkError(this.failure);
  }

  private sinkError(cause: Error): BatchlineError {
    return new BatchlineError(ErrorCode.SINK, `cannot write errors file ${this.file}: ${cause.message}`, { cause });
  }
}
