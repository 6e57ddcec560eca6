import { InvalidArgumentError } from 'commander';
import { type ConfigInput, DOCUMENT_QUEUES, type DocumentQueueName } from '../config/index.js';

/** Flags shared by the commands, before they become config overrides. */
export interface CommonFlags {
  config?: string;
  out?: string;
  pipeline?: string;
  concurrency?: number;
  workers?: number;
  cache?: boolean;
  logLevel?: string;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

export function parseDocumentQueue(value: string): DocumentQueueName {
  if (!(DOCUMENT_QUEUES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${DOCUMENT_QUEUES.join(', ')}`);
  }
  return value as DocumentQueueName;
}

/** Command-line flags as a config layer (they win over file and environment). */
export function overridesFrom(flags: CommonFlags, queue?: DocumentQueueName | 'patterns'): ConfigInput {
  const overrides: Record<string, unknown> = {};
  if (flags.out !== undefined) overrides.outDir = flags.out;
  if (flags.pipeline !== undefined) overrides.pipeline = flags.pipeline;
  if (flags.logLevel !== undefined) overrides.logLevel = flags.logLevel;
  if (flags.cache === false) overrides.cache = { enabled: false };
  const workers: Record<string, unknown> = {};
  if (flags.workers !== undefined) workers.processes = flags.workers;
  if (flags.concurrency !== undefined && queue) workers.concurrency = { [queue]: flags.concurrency };
  if (Object.keys(workers).length > 0) overrides.workers = workers;
  return overrides as ConfigInput;
}
