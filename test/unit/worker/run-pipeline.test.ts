import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import type { Pipeline, PipelineContext } from '../../../src/pipeline/types.js';
import { runPipeline } from '../../../src/worker/run-pipeline.js';

const doc = { id: 'd-1', text: 'hello' };

function pipelineOf(run: Pipeline['run']): Pipeline {
  return { name: 'test', version: '1', run };
}

describe('runPipeline', () => {
  it('aborts the signal of a pipeline that waits on it, and fails with E_JOB_TIMEOUT', async () => {
    let seen: AbortSignal | undefined;
    const pipeline = pipelineOf(async (_doc, context: PipelineContext) => {
      seen = context.signal;
      await sleep(60_000, undefined, { signal: context.signal });
      return {};
    });
    await expect(runPipeline(pipeline, doc, 50)).rejects.toMatchObject({ code: ErrorCode.JOB_TIMEOUT });
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toMatchObject({ code: ErrorCode.JOB_TIMEOUT });
  });

  it('times out a pipeline that never reads its signal', async () => {
    const pipeline = pipelineOf(() => new Promise(() => {}));
    await expect(runPipeline(pipeline, doc, 50)).rejects.toMatchObject({ code: ErrorCode.JOB_TIMEOUT });
  });

  it('hands back the artifact of a pipeline that finishes in time, with the same signal on every read', async () => {
    const pipeline = pipelineOf(async (_doc, context: PipelineContext) => {
      const first = context.signal;
      return { same: first === context.signal, aborted: first.aborted };
    });
    await expect(runPipeline(pipeline, doc, 1_000)).resolves.toEqual({ same: true, aborted: false });
  });
});
