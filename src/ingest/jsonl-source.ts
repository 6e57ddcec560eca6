import type { Readable } from 'node:stream';
import { type InputLimits, type InputRecord, rejectRecord } from './input-record.js';
import { readLines } from './line-reader.js';
import { validateRecord } from './validate-record.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const BOM = '\uFEFF';

/**
 * The longest JSON line worth reading: twice the text limit, room for ordinary escaping
 * (`\n`, `\"`, CJK as `\uXXXX` the way Python's json.dumps writes it), plus id, type and
 * meta. Longer lines are skipped unread, so one huge line costs no memory. A text near the
 * limit made mostly of escaped accents, emoji or control characters (3-6 bytes per UTF-8
 * byte) can exceed it; it is then rejected as a too-long line, with that reason.
 */
export function maxLineBytes(limits: InputLimits): number {
  return limits.maxDocBytes * 2 + limits.maxIdLength * 6 + 64 * 1024;
}

/**
 * Documents from a JSONL stream, one `{"id","text","type"?,"meta"?}` per line. Blank
 * lines are skipped; every other line is either a document or a rejection naming
 * its file and line and the reason. Tolerates a BOM, CRLF line ends and a last line
 * without a newline. A raw NUL (or any raw control character) inside a string is not
 * JSON and rejects its line; the escaped `\u0000` is a character like any other.
 */
export async function* jsonlRecords(stream: Readable, name: string, limits: InputLimits): AsyncGenerator<InputRecord> {
  for await (const line of readLines(stream, maxLineBytes(limits))) {
    const origin = { file: name, line: line.lineNo };
    if ('tooLong' in line) {
      const limit = maxLineBytes(limits);
      yield rejectRecord(origin, `line is ${line.tooLong} bytes, longer than the limit of ${limit} (2 × ingest.maxDocBytes + room for id and meta)`);
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(line.bytes);
    } catch {
      yield rejectRecord(origin, 'line is not valid UTF-8');
      continue;
    }
    if (line.lineNo === 1 && text.startsWith(BOM)) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      // Parses any depth without recursion; should a RangeError come anyway, it is this line's.
      value = JSON.parse(text);
    } catch (error) {
      yield rejectRecord(origin, `invalid JSON: ${(error as Error).message.slice(0, 200)}`);
      continue;
    }
    const doc = validateRecord(value, limits);
    yield typeof doc === 'string' ? rejectRecord(origin, doc) : { kind: 'doc', doc, origin, bytes: line.bytes.length };
  }
}
