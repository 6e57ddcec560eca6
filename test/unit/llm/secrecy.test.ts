import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandIn, startStandIn } from '../../../scripts/llm-stand-in.js';
import { ErrorCode, hasCode } from '../../../src/errors.js';
import { ChatClient } from '../../../src/llm/index.js';
import { createExtractPipeline } from '../../../src/pipeline/extract/index.js';
import { API_KEY, live, llmConfig, rawLogger, rejectionOf } from './helpers.js';

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn({ apiKey: API_KEY, retryAfter: '0' });
});
afterAll(() => standIn.close());

/** Everything an error could show: message, stack, own properties, cause chain. */
const everything = (error: unknown) => `${inspect(error, { depth: 10, showHidden: true })} ${JSON.stringify(error)}`;

describe('the API key', () => {
  it('is sent (the stand-in demands it) but appears in no artifact, error or log line, at trace level', async () => {
    const { logger, text } = rawLogger();
    const pipeline = createExtractPipeline({ llm: llmConfig(standIn.url, { maxRetries: 1, maxInvalidReplies: 1 }), logger });
    const seen: string[] = [];
    const artifact = await pipeline.run({ id: 'ok', text: 'Invoice INV-1 LLM_500 LLM_BAD_JSON_ONCE' }, { signal: live() });
    seen.push(JSON.stringify(artifact));
    for (const text of ['Memo LLM_NEVER_VALID', 'Memo LLM_500x5', 'Memo LLM_HANG']) {
      const error = await rejectionOf(
        createExtractPipeline({ llm: llmConfig(standIn.url, { timeoutMs: 100, maxRetries: 1, maxInvalidReplies: 1 }), logger }).run(
          { id: 'bad', text },
          { signal: live() },
        ),
      );
      seen.push(everything(error));
    }
    const wrongKey = await rejectionOf(
      new ChatClient({ baseUrl: standIn.url, model: 'm', apiKey: `${API_KEY}-wrong`, timeoutMs: 500, maxRetries: 0, retryBaseMs: 1, retryMaxMs: 1, logger }).complete(
        [{ role: 'user', content: 'JSON please' }],
        live(),
      ),
    );
    expect(hasCode(wrongKey, ErrorCode.LLM_REJECTED)).toBe(true);
    seen.push(everything(wrongKey));
    seen.push(text());

    expect(standIn.stats().unauthorized).toBe(1); // only the deliberately wrong key
    expect(text()).toContain('LLM request failed; retrying'); // the logger did see the failures
    for (const output of seen) expect(output).not.toContain(API_KEY);
  });

  it('is scrubbed from an error body that quotes it', async () => {
    const echoing: typeof fetch = async () =>
      new Response(JSON.stringify({ error: { message: `Invalid key ${API_KEY} for this project` } }), { status: 403 });
    const error = await rejectionOf(
      new ChatClient({ baseUrl: 'https://llm.example/v1', model: 'm', apiKey: API_KEY, timeoutMs: 500, maxRetries: 0, retryBaseMs: 1, retryMaxMs: 1, fetch: echoing }).complete(
        [{ role: 'user', content: 'JSON' }],
        live(),
      ),
    );
    expect(error.message).toBe('LLM endpoint https://llm.example/v1/chat/completions refused the request: HTTP 403: Invalid key *** for this project');
    expect(everything(error)).not.toContain(API_KEY);
  });

  it('is never echoed by a config error', async () => {
    const { loadConfig } = await import('../../../src/config/index.js');
    let message = '';
    try {
      loadConfig({ env: { BATCHLINE_LLM_API_KEY: '12345678901234567890' }, cwd: '/' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^invalid config: llm\.apiKey \(from BATCHLINE_LLM_API_KEY\)/);
    expect(message).not.toContain('12345678901234567890');
  });
});
