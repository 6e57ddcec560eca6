import { pino } from 'pino';
import type { Logger } from '../../../src/log.js';

/** A pino logger whose lines land in an array (parsed), for asserting what was logged. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}
