import { createRequire } from 'node:module';
import { recordDocsScript, recordResultsScript, sealScript } from '../../src/batches/batch-scripts.js';
import { type CommandMatcher, type CommandWeight, isExecOf, isScript } from './fault-proxy.js';
import { RESULT_FIELDS } from '../../src/batches/batch-scripts.js';

const require = createRequire(import.meta.url);

/** The Lua source of one of BullMQ's scripts, as its clients send it (by SHA-1 of this text). */
export function bullmqScript(file: string): string {
  return (require(`bullmq/dist/cjs/scripts/${file}.js`) as Record<string, { content: string }>)[file.replace(/-\d+$/, '')]?.content ?? '';
}

/** One kind of command that ingest or a worker sends the broker, and how to recognise it on the wire. */
export interface BatchCommandKind {
  name: string;
  /** Who sends it. */
  by: 'ingest' | 'worker';
  match: CommandMatcher;
  /** Matching commands to let through first in a 300-document batch with 100-document chunks, so the fault lands mid-batch. */
  skip: number;
  /** How often it is sent: once (or a few times) per batch, per ingest chunk, per document, or only for the last document (for picking a random occurrence). */
  per: 'batch' | 'chunk' | 'document' | 'last-document';
  /** For commands that carry several documents: how many; `skip` then counts documents, not commands. */
  weigh?: CommandWeight;
}

/** Results in one result-recording call (a worker sends those of all its jobs that finished meanwhile): EVALSHA sha numkeys, 5 keys, ttl, now, then the documents. */
const resultsInCall: CommandWeight = (c) => Math.max(1, (c.args.length - 9) / RESULT_FIELDS);

/** Every kind of command ingest and workers send the broker (all writes, and ingest's id check): none may lose or double anything when its reply is lost or its sender killed right after it. */
export const batchCommandKinds: readonly BatchCommandKind[] = [
  { name: 'open the batch (MULTI/EXEC)', by: 'ingest', skip: 0, per: 'batch', match: isExecOf((c) => c.name === 'HSETNX' && c.args[1] === 'createdAt') },
  { name: 'check ids (HMGET, a read)', by: 'ingest', skip: 1, per: 'chunk', match: (c) => c.name === 'HMGET' && (c.args[0] ?? '').endsWith(':docs') },
  { name: 'record accepted ids (script)', by: 'ingest', skip: 1, per: 'chunk', match: isScript(recordDocsScript) },
  // BullMQ 6 sends addBulk as a pipeline of addStandardJob scripts, not one transaction.
  { name: 'add a job (addBulk: addStandardJob)', by: 'ingest', skip: 150, per: 'document', match: isScript(bullmqScript('addStandardJob-9')) },
  { name: 'record rejections (MULTI/EXEC)', by: 'ingest', skip: 0, per: 'batch', match: isExecOf((c) => c.name === 'HSET' && (c.args[0] ?? '').endsWith(':rejected')) },
  { name: 'seal the batch (script)', by: 'ingest', skip: 0, per: 'batch', match: isScript(sealScript) },
  { name: 'fetch a job (moveToActive)', by: 'worker', skip: 2, per: 'batch', match: isScript(bullmqScript('moveToActive-11')) },
  { name: 'record a result (script)', by: 'worker', skip: 40, per: 'document', match: isScript(recordResultsScript), weigh: resultsInCall },
  { name: 'complete a job and fetch the next (moveToFinished)', by: 'worker', skip: 40, per: 'document', match: isScript(bullmqScript('moveToFinished-14')) },
  { name: 'record the result that finishes the batch (script)', by: 'worker', skip: 299, per: 'last-document', match: isScript(recordResultsScript), weigh: resultsInCall },
];
