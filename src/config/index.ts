export { CONFIG_FILE_NAME, INHERITED_CONFIG_VARIABLE, type LoadConfigOptions, loadConfig } from './load-config.js';
export { type Config, type ConfigInput, configSchema, environmentKeys } from './schema.js';
export { redactUrl } from './redact.js';
