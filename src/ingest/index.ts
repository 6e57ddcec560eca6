/** The ingest area's public face: reading inputs, enqueueing their documents, recording rejects. */
export { assertInputsReadable } from './check-inputs.js';
export { ErrorsFile } from './errors-file.js';
export { Ingester, type IngestReport } from './ingester.js';
export { withBrokerRetry } from './retry.js';
