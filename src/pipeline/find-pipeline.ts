import { messageOf } from '../errors.js';
import { BUILT_IN_PIPELINES, type LoadPipelineOptions, loadPipeline } from './load-pipeline.js';
import type { Pipeline } from './types.js';

/** A pipeline by the id its results carry (`name@version`); undefined when this process has none by that id. */
export type PipelineFinder = (pipelineId: string) => Promise<Pipeline | undefined>;

/**
 * The pipelines a process that reads other workers' results (the patterns learner) knows
 * by id: the configured one (`spec`, loaded as document workers load it) and the built-ins,
 * all loaded when first asked. One that cannot be loaded here is left out, said once.
 */
export function pipelineFinder(spec: string, options: LoadPipelineOptions = {}): PipelineFinder {
  let known: Promise<Map<string, Pipeline>> | undefined;
  return async (pipelineId) => {
    known ??= loadKnown(spec, options);
    return (await known).get(pipelineId);
  };
}

async function loadKnown(spec: string, options: LoadPipelineOptions): Promise<Map<string, Pipeline>> {
  const byId = new Map<string, Pipeline>();
  const seen = new Set<string>();
  // The configured one first: a built-in of its name is then not loaded (nor logged) twice.
  for (const candidate of [spec, ...BUILT_IN_PIPELINES]) {
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    const pipeline = await loadQuietly(candidate, options);
    if (!pipeline) continue;
    seen.add(pipeline.name);
    byId.set(`${pipeline.name}@${pipeline.version}`, pipeline);
  }
  return byId;
}

async function loadQuietly(spec: string, options: LoadPipelineOptions): Promise<Pipeline | undefined> {
  try {
    return await loadPipeline(spec, options);
  } catch (error) {
    options.logger?.warn({ pipeline: spec, err: messageOf(error) }, 'pipeline cannot be loaded here: its results are not read by id');
    return undefined;
  }
}
