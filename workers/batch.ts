#!/usr/bin/env node
/** Worker process for the `batch` queue. Configure with BATCHLINE_* variables or batchline.config.json. */
import { exitCodeFor, messageOf } from '../src/errors.js';
import { runWorkerProcess } from '../src/worker/worker-main.js';

runWorkerProcess('batch').catch((error: unknown) => {
  process.stderr.write(`batchline worker (batch): ${messageOf(error)}\n`);
  process.exit(exitCodeFor(error));
});
