// The baseline of `npm run bench -- ingest`: a plain BullMQ producer. Reads a JSONL file with
// readline, JSON.parse per line, and adds the same job data as batchline with Queue.addBulk,
// BENCH_CHUNK jobs per call, one call at a time. Prints {"docs","ms"} as one JSON line, timed
// from the first line read to the last addBulk answered (connecting is not timed). Plain
// JavaScript so it starts without a transpiler. Configured by the parent through
// BENCH_INPUT, BENCH_BROKER_URL, BENCH_QUEUE, BENCH_PREFIX and BENCH_CHUNK.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Queue } from 'bullmq';

const input = process.env.BENCH_INPUT;
if (!input) throw new Error('BENCH_INPUT is not set');
const url = new URL(process.env.BENCH_BROKER_URL ?? 'redis://127.0.0.1:6379');
const chunkSize = Number(process.env.BENCH_CHUNK ?? 500);
const queue = new Queue(process.env.BENCH_QUEUE ?? 'bench', {
  connection: { host: url.hostname, port: Number(url.port || 6379) },
  prefix: process.env.BENCH_PREFIX ?? 'bull',
});
queue.on('error', (error) => process.stderr.write(`raw ingest: ${error.message}\n`));
await queue.waitUntilReady();

const startedAt = performance.now();
let docs = 0;
let lineNo = 0;
let chunk = [];
const lines = createInterface({ input: createReadStream(input), crlfDelay: Number.POSITIVE_INFINITY });
for await (const line of lines) {
  lineNo++;
  if (line === '') continue;
  const doc = JSON.parse(line);
  chunk.push({ name: 'document', data: { batchId: 'bench', doc, origin: `${input}:${lineNo}` } });
  if (chunk.length >= chunkSize) {
    await queue.addBulk(chunk);
    docs += chunk.length;
    chunk = [];
  }
}
if (chunk.length > 0) {
  await queue.addBulk(chunk);
  docs += chunk.length;
}
const ms = performance.now() - startedAt;
await queue.close();
process.stdout.write(`${JSON.stringify({ docs, ms })}\n`);
