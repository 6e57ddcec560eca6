import { pino, type DestinationStream, type Logger } from 'pino';
import { createRequire } from 'node:module';
import type * as PinoPretty from 'pino-pretty';
import { stderrStatus } from './terminal-status.js';

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

/** `logFormat` of the config. */
export type LogFormat = 'auto' | 'json' | 'pretty';

/** `auto` is human-readable on a terminal and JSON anywhere else (files, pipes, CI, log collectors). */
export function chooseLogFormat(format: LogFormat, stderrIsTerminal: boolean): 'json' | 'pretty' {
  if (format === 'auto') return stderrIsTerminal ? 'pretty' : 'json';
  return format;
}

/** One line per log object, with colours only on a terminal. */
function prettyLine(colorize: boolean): (json: string) => string {
  // Loaded here, not at the top: JSON logs (every worker and CLI process off a terminal)
  // never need pino-pretty, and importing it cost each of them ~40 ms of start-up.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  const format = prettyFactory({ colorize, singleLine: true, translateTime: 'HH:MM:ss', ignore: 'hostname' });
  return (json) => {
    try {
      return format(JSON.parse(json) as object);
    } catch {
      return json.endsWith('\n') ? json : `${json}\n`; // not a log object: as it came
    }
  };
}

/** How this process's log lines reach stderr; worker output forwarded by a parent goes the same way. */
let renderLine: ((json: string) => string) | undefined;

/**
 * The process logger on stderr (stdout is kept for `--json` output), secrets censored.
 * `json` writes one object per line; `pretty` one readable line each. On a terminal every
 * line goes above the progress bar, never into it. Callers log one line per state change,
 * never one per failure.
 */
export function createLogger(options: { level: string; name?: string; bindings?: Record<string, unknown>; format?: LogFormat }): Logger {
  const pretty = chooseLogFormat(options.format ?? 'auto', stderrStatus.isTerminal) === 'pretty';
  renderLine = pretty ? prettyLine(stderrStatus.isTerminal) : undefined;
  const settings = {
    level: options.level,
    name: options.name ?? 'batchline',
    base: { pid: process.pid, ...options.bindings },
    redact: { paths: secretPaths, censor: '***' },
  };
  if (!pretty && !stderrStatus.isTerminal) return pino(settings, pino.destination({ fd: 2, sync: true }));
  const destination: DestinationStream = { write: (line: string) => writeLogLine(line) };
  return pino(settings, destination);
}

/**
 * Writes one log line (this process's, or a worker's forwarded by its parent) to stderr,
 * in this process's format and above the progress bar.
 */
export function writeLogLine(line: string): void {
  const text = renderLine ? renderLine(line) : line.endsWith('\n') ? line : `${line}\n`;
  stderrStatus.writeAbove(text);
}

/** True when worker output must pass through this process (a terminal with a progress bar on it). */
export function forwardsChildOutput(): boolean {
  return stderrStatus.isTerminal;
}

/** A logger that drops everything, for tests and library use without logging. */
export const silentLogger: Logger = pino({ level: 'silent' });
