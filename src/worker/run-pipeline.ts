import { BatchlineError, ErrorCode } from '../errors.js';
import type { Artifact, Document, PatternLookup, Pipeline } from '../pipeline/index.js';
import { within } from '../time.js';

/**
 * Runs the pipeline on one document with a time limit. On timeout the pipeline's signal
 * is aborted and the job fails with E_JOB_TIMEOUT; the worker moves on. (A pipeline that
 * blocks the event loop synchronously cannot be interrupted this way.) `patterns`, when
 * given, is handed to the pipeline as `context.patterns` (learned templates, hints only).
 */
export async function runPipeline(pipeline: Pipeline, doc: Document, timeoutMs: number, patterns?: PatternLookup): Promise<Artifact> {
  // The signal (and its controller) is made only for a pipeline that reads it: making one
  // per job was a measurable share of a worker's CPU per document with fast pipelines (issue 12).
  let controller: AbortController | undefined;
  const timedOut = () => {
    const error = new BatchlineError(ErrorCode.JOB_TIMEOUT, `pipeline ${pipeline.name}@${pipeline.version} did not finish within ${timeoutMs} ms`);
    controller?.abort(error);
    return error;
  };
  const context = {
    get signal() {
      controller ??= new AbortController();
      return controller.signal;
    },
    ...(patterns ? { patterns } : {}),
  };
  const output = pipeline.run(doc, context);
  // Only a pipeline that returns a promise can be timed out: one that answers at once has
  // already finished (and one that blocks the event loop could not be interrupted), so it
  // pays no timer and no race.
  const artifact = isThenable(output) ? await within(Promise.resolve(output), timeoutMs, 'pipeline', timedOut) : output;
  if (typeof artifact !== 'object' || artifact === null || Array.isArray(artifact)) {
    throw new BatchlineError(ErrorCode.PIPELINE, `pipeline ${pipeline.name} returned ${artifact === null ? 'null' : typeof artifact}, not an object`);
  }
  return artifact;
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
