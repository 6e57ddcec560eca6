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
  const controller = new AbortController();
  const timedOut = () => {
    const error = new BatchlineError(ErrorCode.JOB_TIMEOUT, `pipeline ${pipeline.name}@${pipeline.version} did not finish within ${timeoutMs} ms`);
    controller.abort(error);
    return error;
  };
  // The signal is made only for a pipeline that reads it: making one per job was a
  // measurable share of a worker's CPU per document with fast pipelines (issue 12).
  const context = {
    get signal() {
      return controller.signal;
    },
    ...(patterns ? { patterns } : {}),
  };
  const artifact = await within(Promise.resolve().then(() => pipeline.run(doc, context)), timeoutMs, 'pipeline', timedOut);
  if (typeof artifact !== 'object' || artifact === null || Array.isArray(artifact)) {
    throw new BatchlineError(ErrorCode.PIPELINE, `pipeline ${pipeline.name} returned ${artifact === null ? 'null' : typeof artifact}, not an object`);
  }
  return artifact;
}
