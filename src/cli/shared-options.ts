import { Option } from 'commander';
import type { Logger } from 'pino';
import { type Config, type DocumentQueueName, loadConfig, type QueueName } from '../config/index.js';
import { assertInputsReadable } from '../ingest/index.js';
import { createLogger } from '../log.js';
import { type CommonFlags, overridesFrom } from './cli-options.js';

/** `--config FILE`, on every command. */
export const configOption = () => new Option('-c, --config <file>', 'config file (default: ./batchline.config.json if present)');

/** `--log-level LEVEL`, on every command. */
export const logLevelOption = () =>
  new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** The validated config of a command: file, environment, then its flags. */
export function configFor(flags: CommonFlags, queue?: QueueName): Config {
  return loadConfig({ configFile: flags.config, overrides: overridesFrom(flags, queue) });
}

/**
 * What `run` and `ingest` do first: resolve the config for the documents' queue, check that
 * every input can be read (a usage error before any server starts or anything is
 * enqueued), then make the logger.
 */
export function startInputCommand(flags: CommonFlags & { queue: DocumentQueueName }, inputs: readonly string[]): { config: Config; logger: Logger } {
  const config = configFor(flags, flags.queue);
  assertInputsReadable(inputs);
  return { config, logger: createLogger({ level: config.logLevel, format: config.logFormat }) };
}
