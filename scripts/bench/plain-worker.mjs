// The baseline of `npm run bench -- queue`: a plain BullMQ worker whose jobs do nothing.
// Plain JavaScript so it starts without a transpiler. Configured by the parent through
// BENCH_BROKER_URL, BENCH_QUEUE, BENCH_PREFIX and BENCH_CONCURRENCY.
import { Worker } from 'bullmq';

const url = new URL(process.env.BENCH_BROKER_URL ?? 'redis://127.0.0.1:6379');
const worker = new Worker(process.env.BENCH_QUEUE ?? 'bench', async () => {}, {
  connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
  prefix: process.env.BENCH_PREFIX ?? 'bull',
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 10),
});
worker.on('error', (error) => process.stderr.write(`plain worker: ${error.message}\n`));

let stopping = false;
const stop = () => {
  if (stopping) process.exit(130);
  stopping = true;
  worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The IPC channel closes when the bench process dies: never outlive it.
process.on('disconnect', stop);
