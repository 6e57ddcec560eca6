export {
  CONFIG_FILE_NAME,
  CONFIG_JSON_VARIABLE,
  childEnvironment,
  executablePath,
  type LoadConfigOptions,
  loadConfig,
  RESOLVED_CONFIG_VARIABLE,
} from './load-config.js';
export { DOCUMENT_QUEUES, type DocumentQueueName, isQueueName, QUEUE_NAMES, type QueueName } from './queue-names.js';
export { type ClusterNode, type ClusterUrl, hashTagOf, isClusterUrl, parseClusterUrl } from './cluster-url.js';
export { redactUrl } from './redact.js';
export { type Config, type ConfigInput, configSchema, environmentKeys } from './schema.js';
