import { pino, type Logger } from 'pino';

export type { Logger };

/** Field names whose values are secrets wherever they appear in a log object. */
const secretPaths = [
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
];

/**
 * The process logger: structured JSON on stderr (stdout is kept for `--json` output),
 * secrets censored. Callers log one line per state change, never one per failure.
 */
export function createLogger(options: { level: string; name?: string; bindings?: Record<string, unknown> }): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'batchline',
      base: { pid: process.pid, ...options.bindings },
      redact: { paths: secretPaths, censor: '***' },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that drops everything, for tests and library use without logging. */
export const silentLogger: Logger = pino({ level: 'silent' });
