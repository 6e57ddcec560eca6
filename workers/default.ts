#!/usr/bin/env node
/** Worker process for the `default` queue. Configure with BATCHLINE_* variables or batchline.config.json. */
import { exitCodeFor, messageOf } from '../src/errors.js';
import { runWorkerProcess } from '../src/worker/worker-main.js';

runWorkerProcess('default').catch((error: unknown) => {
  process.stderr.write(`batchline worker (default): ${messageOf(error)}\n`);
  process.exit(exitCodeFor(error));
});
