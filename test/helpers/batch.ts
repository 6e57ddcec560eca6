import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { expect } from 'vitest';
import { readJsonl } from './cli.js';

/** Counts of a queue's jobs by state, read straight from the broker. */
export async function jobCounts(brokerUrl: string, prefix: string, queue: string): Promise<Record<string, number>> {
  const url = new URL(brokerUrl);
  const q = new Queue(queue, { connection: { host: url.hostname, port: Number(url.port) }, prefix });
  q.on('error', () => {});
  try {
    return await q.getJobCounts();
  } finally {
    await q.close();
  }
}

/** Asserts a results file holds exactly one line per expected id, each `ok`. */
export function expectOneOkResultPerDocument(file: string, ids: readonly string[]): void {
  const lines = readJsonl<{ id: string; status: string }>(readFileSync(file, 'utf8'));
  expect(lines).toHaveLength(ids.length);
  expect(new Set(lines.map((line) => line.id))).toEqual(new Set(ids));
  expect(lines.filter((line) => line.status !== 'ok').map((line) => line.id)).toEqual([]);
}

export const resultsFile = (dir: string, batchId: string) => path.join(dir, `${batchId}.jsonl`);
