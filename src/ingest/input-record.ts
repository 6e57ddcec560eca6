import type { Document } from '../pipeline/index.js';

/** Where a record came from: the file (or `stdin`) and, for JSONL, the 1-based line. */
export interface Origin {
  readonly file: string;
  readonly line?: number;
}

/**
 * One item an input source yields: a valid document, or a rejected record and why.
 * `bytes` is the record's size in the input (its line, or its file); the ingester uses it
 * to bound the memory of one chunk, so it counts what the record costs, `meta` included.
 */
export type InputRecord =
  | { readonly kind: 'doc'; readonly doc: Document; readonly origin: Origin; readonly bytes: number }
  | { readonly kind: 'reject'; readonly origin: Origin; readonly reason: string };

/** `file:line`, or `file` alone. */
export function formatOrigin(origin: Origin): string {
  return origin.line === undefined ? origin.file : `${origin.file}:${origin.line}`;
}

/** The limits every source enforces, from `config.ingest`. */
export interface InputLimits {
  readonly maxDocBytes: number;
  readonly maxIdLength: number;
}

export function rejectRecord(origin: Origin, reason: string): InputRecord {
  return { kind: 'reject', origin, reason };
}
