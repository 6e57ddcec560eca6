import { Option } from 'commander';
import { type Config, loadConfig, type QueueName } from '../config/index.js';
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
