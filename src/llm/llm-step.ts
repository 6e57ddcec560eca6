import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors.js';
import { silentLogger } from '../log.js';
import { type ChatMessage, ChatClient } from './chat-client.js';
import type { EnabledLlmConfig } from './llm-config.js';
import { LlmError } from './llm-error.js';
import { loadPromptTemplate, type PromptTemplate, renderPrompt } from './prompt-template.js';
import { type LlmFields, parseReply } from './reply-schema.js';
import { addUsage, type LlmUsage, NO_LLM_USAGE } from './usage.js';

/**
 * Revision of the step's own behaviour (request shape, re-ask wording, reply schema and its
 * normalisation). Bump it when any of them changes what an artifact may hold: it is hashed
 * into the pipeline version with the model and the template.
 */
const STEP_REVISION = '1';

/** Longest invalid reply echoed back to the model when re-asking (characters). */
const MAX_ECHO = 8_000;

export interface LlmStepOptions {
  /** Directory `llm.promptFile` is relative to. @defaultValue `process.cwd()` */
  readonly cwd?: string;
  readonly logger?: Logger;
  /** For tests: the `fetch`, clock and randomness of the HTTP client. */
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** What the step adds to one document's artifact. */
export interface LlmEnrichment {
  readonly llm: LlmFields;
  readonly usage: LlmUsage;
}

/** The LLM step of `extract`: one document (and the fields found so far) in, validated LLM fields out. */
export interface LlmStep {
  /** `llm.<12 hex>`, from sha256 of the step's revision, the model and the template text. */
  readonly versionTag: string;
  readonly model: string;
  /** The endpoint, without credentials or query string. */
  readonly endpoint: string;
  readonly template: PromptTemplate;
  /**
   * Asks the model; re-asks after a reply that is not JSON or fails the reply schema, at
   * most `maxInvalidReplies` times.
   *
   * @throws LlmError `E_LLM_INVALID_REPLY` (permanent) when no reply validates, `E_LLM` or
   *   `E_LLM_REJECTED` from the HTTP client; each carries the usage spent so far. The
   *   signal's reason when `signal` aborts.
   */
  enrich(text: string, fields: unknown, signal: AbortSignal): Promise<LlmEnrichment>;
}

/** Builds the step; reads and checks the prompt template now, so a bad one fails at start-up (E_CONFIG). */
export function createLlmStep(config: EnabledLlmConfig, options: LlmStepOptions = {}): LlmStep {
  const template = loadPromptTemplate(config.promptFile, options.cwd ?? process.cwd());
  const logger = options.logger ?? silentLogger;
  const client = new ChatClient({
    baseUrl: config.baseUrl,
    model: config.model,
    apiKey: config.apiKey,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    retryBaseMs: config.retryBaseMs,
    retryMaxMs: config.retryMaxMs,
    logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const versionTag = `llm.${llmVersionHash(config.model, template.text)}`;

  async function enrich(text: string, fields: unknown, signal: AbortSignal): Promise<LlmEnrichment> {
    const messages: ChatMessage[] = [{ role: 'user', content: renderPrompt(template.text, { document: text, fields }) }];
    let usage = NO_LLM_USAGE;
    for (let invalid = 0; ; invalid++) {
      let completion: Awaited<ReturnType<ChatClient['complete']>>;
      try {
        completion = await client.complete(messages, signal);
      } catch (error) {
        throw error instanceof LlmError ? withUsage(error, usage) : error;
      }
      usage = addUsage(usage, { calls: 1, tokensIn: completion.tokensIn, tokensOut: completion.tokensOut });
      const parsed = completion.content === null ? { ok: false as const, problem: 'the reply has no content' } : parseReply(completion.content);
      if (parsed.ok) return { llm: { model: config.model, ...parsed.value }, usage };
      if (invalid >= config.maxInvalidReplies) {
        const replies = invalid + 1;
        throw new LlmError(
          ErrorCode.LLM_INVALID_REPLY,
          `the LLM (${config.model}) gave no valid reply in ${replies} ${replies === 1 ? 'try' : 'tries'}; last: ${parsed.problem}`,
          { permanent: true, usage },
        );
      }
      logger.debug({ model: config.model, problem: parsed.problem, reask: invalid + 1 }, 'invalid LLM reply; asking again');
      messages.push(
        { role: 'assistant', content: (completion.content ?? '').slice(0, MAX_ECHO) },
        {
          role: 'user',
          content: `That reply cannot be used: ${parsed.problem}. Answer again with only the JSON object described above, nothing before or after it.`,
        },
      );
    }
  }

  return { versionTag, model: config.model, endpoint: client.endpoint, template, enrich };
}

/** First 12 hex digits of sha256 over the step's revision, the model and the template text. */
export function llmVersionHash(model: string, templateText: string): string {
  return createHash('sha256').update(`${STEP_REVISION}\n${model}\n${templateText}`, 'utf8').digest('hex').slice(0, 12);
}

function withUsage(error: LlmError, usage: LlmUsage): LlmError {
  if (usage.calls === 0) return error;
  return new LlmError(error.code, error.message, { permanent: error.permanent, usage: addUsage(usage, error.usage), cause: error.cause });
}
