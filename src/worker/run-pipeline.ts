import { BatchlineError, ErrorCode } from '../errors.js';
import type { Artifact, Document, Pipeline } from '../pipeline/types.js';

/**
 * Runs the pipeline on one document with a time limit. On timeout the pipeline's signal
 * is aborted and the job fails with E_JOB_TIMEOUT; the worker moves on. (A pipeline that
 * blocks the event loop synchronously cannot be interrupted this way.)
 */
export async function runPipeline(pipeline: Pipeline, doc: Document, timeoutMs: number): Promise<Artifact> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new BatchlineError(
        ErrorCode.JOB_TIMEOUT,
        `pipeline ${pipeline.name}@${pipeline.version} did not finish within ${timeoutMs} ms`,
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const artifact = await Promise.race([Promise.resolve().then(() => pipeline.run(doc, { signal: controller.signal })), timeout]);
    if (typeof artifact !== 'object' || artifact === null || Array.isArray(artifact)) {
      throw new BatchlineError(ErrorCode.PIPELINE, `pipeline ${pipeline.name} returned ${artifact === null ? 'null' : typeof artifact}, not an object`);
    }
    return artifact;
  } finally {
    clearTimeout(timer);
  }
}
