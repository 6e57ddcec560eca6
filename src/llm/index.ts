/** The LLM area: an OpenAI-compatible chat client and the `extract` pipeline's LLM step. */
export { type ChatClientOptions, type ChatCompletion, ChatClient, type ChatMessage } from './chat-client.js';
export { type EnabledLlmConfig, isLlmEnabled, type LlmConfig, type QueueLimiter, queueLimiter, withLimiter } from './llm-config.js';
export { LlmError } from './llm-error.js';
export { createLlmStep, type LlmEnrichment, type LlmStep, type LlmStepOptions, llmVersionHash } from './llm-step.js';
export { defaultPromptFile, loadPromptTemplate, type PromptTemplate, renderPrompt } from './prompt-template.js';
export { type LlmFields, llmReplySchema, parseReply } from './reply-schema.js';
export { parseRetryAfter } from './retry-after.js';
export { addUsage, type LlmUsage, NO_LLM_USAGE } from './usage.js';
