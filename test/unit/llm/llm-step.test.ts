import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StandIn, startStandIn } from '../../../scripts/llm-stand-in.js';
import { ErrorCode, hasCode } from '../../../src/errors.js';
import { createLlmStep, type LlmStep } from '../../../src/llm/index.js';
import { live, llmConfig, rejectionOf } from './helpers.js';

let standIn: StandIn;
let step: LlmStep;

beforeAll(async () => {
  standIn = await startStandIn({ promptTokens: 100, completionTokens: 20 });
  step = createLlmStep(llmConfig(standIn.url, { maxInvalidReplies: 2 }));
});
afterAll(() => standIn.close());
beforeEach(() => standIn.reset());

const fields = { type: 'invoice', emails: ['billing@acme.example'] };

describe('the LLM step against the stand-in', () => {
  it('merges a valid reply and counts one call with its tokens', async () => {
    const { llm, usage } = await step.enrich('Invoice INV-1 from billing@acme.example', fields, live());
    expect(llm).toMatchObject({ model: 'stand-in', documentType: 'stand_in', entities: [{ type: 'email', value: 'billing@acme.example' }] });
    expect(llm.summary).toMatch(/^Stand-in summary/);
    expect(llm.fields.stand_in).toBe('true');
    expect(usage).toEqual({ calls: 1, tokensIn: 100, tokensOut: 20 });
    expect(standIn.stats()).toMatchObject({ requests: 1, completions: 1, byOutcome: { '200': 1 } });
  });

  it('re-asks after a reply that is not JSON and sums the tokens of both calls', async () => {
    const { llm, usage } = await step.enrich('Ticket LLM_BAD_JSON_ONCE printer on fire', fields, live());
    expect(llm.documentType).toBe('stand_in');
    expect(usage).toEqual({ calls: 2, tokensIn: 200, tokensOut: 40 });
    expect(standIn.stats().requests).toBe(2);
  });

  it('re-asks after JSON that fails the reply schema', async () => {
    const { usage } = await step.enrich('Note LLM_BAD_SCHEMA', fields, live());
    expect(usage.calls).toBe(2);
  });

  it('fails for good with E_LLM_INVALID_REPLY when no reply validates, after maxInvalidReplies re-asks', async () => {
    const error = await rejectionOf(step.enrich('Memo LLM_NEVER_VALID', fields, live()));
    expect(hasCode(error, ErrorCode.LLM_INVALID_REPLY)).toBe(true);
    expect(error.permanent).toBe(true);
    expect(error.message).toBe('the LLM (stand-in) gave no valid reply in 3 tries; last: the reply is not valid JSON');
    // What the document spent before failing travels with the error, for accounting.
    expect(error.usage).toEqual({ calls: 3, tokensIn: 300, tokensOut: 60 });
    expect(standIn.stats().requests).toBe(3);
  });

  it('takes a reply without usage as zero tokens', async () => {
    const { usage } = await step.enrich('Plain LLM_NO_USAGE note', fields, live());
    expect(usage).toEqual({ calls: 1, tokensIn: 0, tokensOut: 0 });
  });

  it('puts the document and the fields into the prompt, placeholders in the document left alone', async () => {
    const standInPrompt = await startStandIn();
    try {
      const echo = createLlmStep(llmConfig(standInPrompt.url));
      const { llm } = await echo.enrich('Text mentioning {{fields}} literally', fields, live());
      const rendered = echo.template.text
        .replace('{{fields}}', JSON.stringify(fields, null, 2))
        .replace('{{document}}', 'Text mentioning {{fields}} literally');
      // The stand-in reports the prompt's length: the one-pass rendering above, exactly.
      expect(llm.fields.prompt_chars).toBe(String(rendered.length));
    } finally {
      await standInPrompt.close();
    }
  });
});
