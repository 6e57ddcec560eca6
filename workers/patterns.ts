#!/usr/bin/env node
/** Worker process for the `patterns` queue. Configure with BATCHLINE_* variables or batchline.config.json. */
import { exitCodeFor, messageOf } from '../src/errors.js';
import { runWorkerProcess } from '../src/worker/worker-main.js';

runWorkerProcess('patterns').catch((error: unknown) => {
  process.stderr.write(`batchline worker (patterns): ${messageOf(error)}\n`);
  process.exit(exitCodeFor(error));
});
