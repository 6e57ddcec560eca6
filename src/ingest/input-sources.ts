import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { DOCUMENT_EXTENSIONS, fileRecord, folderRecords } from './folder-source.js';
import { type InputLimits, type InputRecord, rejectRecord } from './input-record.js';
import { jsonlRecords } from './jsonl-source.js';

/**
 * Every record of every input, in order: `-` is JSONL on stdin, a folder is one document
 * per file, a .txt/.md/.json file is one document, anything else is JSONL.
 */
export async function* inputRecords(inputs: readonly string[], limits: InputLimits): AsyncGenerator<InputRecord> {
  for (const input of inputs) {
    if (input === '-') {
      yield* jsonlRecords(process.stdin, 'stdin', limits);
      continue;
    }
    const stat = await fs.stat(input).catch((error: NodeJS.ErrnoException) => error);
    if (stat instanceof Error) {
      yield rejectRecord({ file: input }, `cannot read input: ${stat.code === 'ENOENT' ? 'no such file or folder' : stat.message}`);
    } else if (stat.isDirectory()) {
      yield* folderRecords(input, limits);
    } else if (DOCUMENT_EXTENSIONS.has(path.extname(input).toLowerCase())) {
      yield await fileRecord(input, path.basename(input), { file: input }, limits);
    } else {
      yield* jsonlRecords(createReadStream(input, { highWaterMark: 256 * 1024 }), input, limits);
    }
  }
}
