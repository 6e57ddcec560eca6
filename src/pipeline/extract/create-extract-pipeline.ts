import type { Logger } from 'pino';
import { createLlmStep, isLlmEnabled, type LlmConfig, type LlmFields, type LlmUsage } from '../../llm/index.js';
import { silentLogger } from '../../log.js';
import type { Document, Pipeline, PipelineContext } from '../types.js';
import { type ExtractArtifact, extractPipeline } from './extract-pipeline.js';
import { extractPatternHook } from './pattern-hints.js';

/** An `extract` artifact with the LLM step on: the rule-based keys, then `llm`, then `usage`. */
export type ExtractLlmArtifact = ExtractArtifact & {
  /** The model's validated reply, normalised (see `llmReplySchema`). */
  readonly llm: LlmFields;
  /** What this document cost: LLM calls and tokens in/out, summed over its calls. */
  readonly usage: LlmUsage;
};

export interface ExtractPipelineOptions {
  /** The `llm` config section; the step is on only when `baseUrl` and `model` are set. */
  readonly llm?: LlmConfig | undefined;
  /** Directory `llm.promptFile` is relative to. @defaultValue `process.cwd()` */
  readonly cwd?: string | undefined;
  readonly logger?: Logger | undefined;
  /** For tests: the `fetch` of the LLM client. */
  readonly fetch?: typeof fetch;
}

/**
 * The built-in `extract` pipeline for a config. Without an LLM endpoint it is exactly
 * {@link extractPipeline} (same version, byte-identical artifacts). With one, each document
 * also goes to the model with the fields found by the rules, and the version becomes
 * `1.0.0+llm.<hash of model and prompt template>`, so changing either never serves an old
 * artifact.
 *
 * @throws BatchlineError `E_CONFIG` when the prompt template cannot be read or is unusable.
 */
export function createExtractPipeline(options: ExtractPipelineOptions = {}): Pipeline {
  const { llm } = options;
  if (!isLlmEnabled(llm)) return extractPipeline;
  const logger = options.logger ?? silentLogger;
  const step = createLlmStep(llm, {
    logger,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const version = `${extractPipeline.version}+${step.versionTag}`;
  logger.info({ endpoint: step.endpoint, model: step.model, promptFile: step.template.file, version }, 'extract: LLM step on');
  return {
    name: extractPipeline.name,
    version,
    // Its artifacts are the rule-based ones plus `llm` and `usage`: templates are learned from the rules' part alone.
    patterns: extractPatternHook,
    async run(doc: Document, context: PipelineContext): Promise<ExtractLlmArtifact> {
      const signal = context?.signal ?? new AbortController().signal;
      // The rule-based pipeline as it stands (pattern hints included), then the model.
      const base = (await extractPipeline.run(doc, context)) as ExtractArtifact;
      const { llm: reply, usage } = await step.enrich(doc.text, llmInputFields(base), signal);
      return { ...base, llm: reply, usage };
    },
  };
}

/** Keys of the rule-based artifact the model is not shown: they describe the text, not facts in it, and only cost tokens. */
const NOT_FOR_THE_MODEL: ReadonlySet<string> = new Set(['keywords', 'summary', 'fingerprint', 'stats', 'pattern']);

/** The rule-based fields the model is shown (`{{fields}}`): the facts found, in artifact order. */
function llmInputFields(artifact: ExtractArtifact): Record<string, unknown> {
  return Object.fromEntries(Object.entries(artifact).filter(([key]) => !NOT_FOR_THE_MODEL.has(key)));
}
