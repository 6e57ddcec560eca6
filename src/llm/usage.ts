/**
 * What the LLM step spent on one document, carried by the artifact as `usage`: calls made
 * and the sum of each reply's `usage.prompt_tokens` / `usage.completion_tokens` (a reply
 * without `usage` counts 0 tokens). Re-asks after invalid replies are calls too; HTTP
 * retries that got no completion (429, 5xx, timeouts) are not.
 */
export interface LlmUsage {
  readonly calls: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
}

export const NO_LLM_USAGE: LlmUsage = Object.freeze({ calls: 0, tokensIn: 0, tokensOut: 0 });

export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return { calls: a.calls + b.calls, tokensIn: a.tokensIn + b.tokensIn, tokensOut: a.tokensOut + b.tokensOut };
}
