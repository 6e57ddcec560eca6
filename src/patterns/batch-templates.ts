import type { Logger } from 'pino';
import type { Artifact, PatternHook, PipelineFinder, TemplateObservation } from '../pipeline/index.js';
import { FINGERPRINT_RE } from './pattern-keys.js';

/** Where the batch's results come from (the batch store). */
export interface ResultSource {
  results(batchId: string): AsyncIterable<string>;
}

/**
 * A finished batch's successful artifacts as their own pipeline's pattern hook reads them
 * (`Pipeline.patterns`): learning knows no pipeline's artifacts itself. Results of a
 * pipeline without a hook, or one this process cannot find, teach nothing (said once per
 * pipeline). A hook that throws or answers something unusable is "nothing to learn" for
 * that artifact: patterns are optional and must not fail for one pipeline's bug.
 */
export class BatchTemplates {
  private readonly hooks = new Map<string, PatternHook | undefined>();

  constructor(
    private readonly source: ResultSource,
    private readonly pipelines: PipelineFinder,
    private readonly batchId: string,
    private readonly logger: Logger,
  ) {}

  /** Each artifact's template fingerprint, with the id of the pipeline that made it. */
  async *fingerprints(): AsyncGenerator<{ pipelineId: string; fingerprint: string }> {
    for await (const { pipelineId, hook, artifact } of this.artifacts()) {
      const fingerprint = attempt(() => hook.fingerprint(artifact));
      if (typeof fingerprint === 'string' && FINGERPRINT_RE.test(fingerprint)) yield { pipelineId, fingerprint };
    }
  }

  /** What each artifact shows about its template, with the id of the pipeline that made it. */
  async *observations(): AsyncGenerator<{ pipelineId: string; observation: TemplateObservation }> {
    for await (const { pipelineId, hook, artifact } of this.artifacts()) {
      const observation = attempt(() => hook.observe(artifact));
      if (isObservation(observation)) yield { pipelineId, observation };
    }
  }

  /** The batch's successful results that carry an artifact and whose pipeline has a hook. Lines that do not parse are skipped. */
  private async *artifacts(): AsyncGenerator<{ pipelineId: string; hook: PatternHook; artifact: Artifact }> {
    for await (const line of this.source.results(this.batchId)) {
      let result: unknown;
      try {
        result = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof result !== 'object' || result === null) continue;
      const { status, pipeline, artifact } = result as { status?: unknown; pipeline?: unknown; artifact?: unknown };
      if (status !== 'ok' || typeof pipeline !== 'string' || typeof artifact !== 'object' || artifact === null || Array.isArray(artifact)) continue;
      const hook = await this.hookOf(pipeline);
      if (hook) yield { pipelineId: pipeline, hook, artifact: artifact as Artifact };
    }
  }

  private async hookOf(pipelineId: string): Promise<PatternHook | undefined> {
    if (this.hooks.has(pipelineId)) return this.hooks.get(pipelineId);
    const pipeline = await this.pipelines(pipelineId);
    const context = { batchId: this.batchId, pipeline: pipelineId };
    if (!pipeline) this.logger.warn(context, 'patterns: no pipeline of this id here (a patterns worker loads the configured one and the built-ins); its results teach nothing');
    else if (!pipeline.patterns) this.logger.debug(context, 'patterns: this pipeline has no pattern hook; nothing is learned from its results');
    this.hooks.set(pipelineId, pipeline?.patterns);
    return pipeline?.patterns;
  }
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const strings = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** An observation as the hook contract says, checked: a custom pipeline's hook is code batchline does not know. */
function isObservation(value: unknown): value is TemplateObservation {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Partial<TemplateObservation>;
  return (
    typeof o.fingerprint === 'string' &&
    FINGERPRINT_RE.test(o.fingerprint) &&
    (o.type === undefined || typeof o.type === 'string') &&
    strings(o.labels) &&
    strings(o.fields) &&
    Array.isArray(o.labelFields) &&
    o.labelFields.every((pair) => Array.isArray(pair) && pair.length === 2 && strings(pair))
  );
}
