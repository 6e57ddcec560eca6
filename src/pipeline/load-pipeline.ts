import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { BatchlineError, ErrorCode, messageOf } from '../errors.js';
import type { LlmConfig } from '../llm/index.js';
import { createExtractPipeline } from './extract/index.js';
import { noopPipeline } from './noop-pipeline.js';
import type { Pipeline } from './types.js';

/** What the built-in pipelines may need from the config and the process. */
export interface LoadPipelineOptions {
  /** The `llm` config section: turns on the LLM step of `extract` when it names an endpoint and a model. */
  llm?: LlmConfig | undefined;
  /** Directory module paths and `llm.promptFile` are relative to. @defaultValue `process.cwd()` */
  cwd?: string | undefined;
  logger?: Logger | undefined;
}

const builtIn: Readonly<Record<string, (options: LoadPipelineOptions) => Pipeline>> = {
  extract: (options) => createExtractPipeline(options),
  noop: () => noopPipeline,
};

export const BUILT_IN_PIPELINES = Object.keys(builtIn);

/**
 * A pipeline by built-in name (`extract`, `noop`) or from a module path. The module's
 * default export (or its named export `pipeline`) must be `{ name, version, run(doc) }`.
 */
export async function loadPipeline(spec: string, options: LoadPipelineOptions = {}): Promise<Pipeline> {
  const cwd = options.cwd ?? process.cwd();
  const known = builtIn[spec];
  if (known) return known(options);
  if (!/[./\\]/.test(spec)) {
    throw new BatchlineError(
      ErrorCode.PIPELINE_LOAD,
      `unknown pipeline "${spec}": use one of ${BUILT_IN_PIPELINES.join(', ')} or a path to a module such as ./my-pipeline.js`,
    );
  }
  const file = path.resolve(cwd, spec);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new BatchlineError(ErrorCode.PIPELINE_LOAD, `cannot load pipeline module ${file}: ${messageOf(error)}`, { cause: error });
  }
  const candidate = (loaded.default ?? loaded.pipeline) as Partial<Pipeline> | undefined;
  const problem = shapeProblem(candidate);
  if (problem) throw new BatchlineError(ErrorCode.PIPELINE_LOAD, `pipeline module ${file} ${problem}`);
  return candidate as Pipeline;
}

function shapeProblem(candidate: Partial<Pipeline> | undefined): string | undefined {
  if (typeof candidate !== 'object' || candidate === null) return 'must export default { name, version, run(doc) }';
  if (typeof candidate.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(candidate.name)) {
    return 'must have a "name" of 1-64 letters, digits, ".", "_" or "-"';
  }
  if (typeof candidate.version !== 'string' || candidate.version === '') return 'must have a non-empty string "version"';
  if (typeof candidate.run !== 'function') return 'must have a "run(doc)" function';
  return undefined;
}
