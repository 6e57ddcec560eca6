import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StandIn, startStandIn } from '../../../scripts/llm-stand-in.js';
import { ErrorCode, hasCode } from '../../../src/errors.js';
import { ChatClient, type ChatClientOptions } from '../../../src/llm/index.js';
import { API_KEY, live, rejectionOf } from './helpers.js';

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn({ apiKey: API_KEY, retryAfter: '1' });
});
afterAll(() => standIn.close());
beforeEach(() => standIn.reset());

function client(overrides: Partial<ChatClientOptions> = {}): ChatClient {
  // Backoff alone would wait ~10–20 ms: any longer wait before a retry came from Retry-After.
  return new ChatClient({ baseUrl: standIn.url, model: 'stand-in', apiKey: API_KEY, timeoutMs: 2_000, maxRetries: 3, retryBaseMs: 20, retryMaxMs: 5_000, ...overrides });
}

const ask = (text: string) => [{ role: 'user' as const, content: `Say JSON about: ${text}` }];

describe('ChatClient', () => {
  it('sends the key as a bearer token and returns the content and token counts', async () => {
    const completion = await client().complete(ask('hello'), live());
    expect(JSON.parse(completion.content ?? '')).toMatchObject({ document_type: 'stand_in' });
    expect(completion.tokensIn).toBeGreaterThan(0);
    expect(completion.tokensOut).toBeGreaterThan(0);
    expect(standIn.stats()).toMatchObject({ requests: 1, unauthorized: 0 });
  });

  it('waits as long as Retry-After (seconds) says after a 429, then succeeds', async () => {
    const started = performance.now();
    await client().complete(ask('LLM_429'), live());
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(standIn.stats()).toMatchObject({ requests: 2, byOutcome: { '429': 1, '200': 1 } });
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const started = performance.now();
    await client().complete(ask('LLM_429_DATE'), live());
    // The date is 2 s ahead, rounded down to the second: a wait of more than 1 s.
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(standIn.stats().requests).toBe(2);
  });

  it('caps a Retry-After beyond retryMaxMs', async () => {
    const started = performance.now();
    await client({ retryMaxMs: 100 }).complete(ask('LLM_429'), live());
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('retries 500s with backoff and succeeds', async () => {
    await client().complete(ask('LLM_500x2'), live());
    expect(standIn.stats()).toMatchObject({ requests: 3, byOutcome: { '500': 2, '200': 1 } });
  });

  it('gives up with E_LLM (not permanent) after maxRetries, naming the last failure', async () => {
    const error = await rejectionOf(client({ maxRetries: 2 }).complete(ask('LLM_503x9'), live()));
    expect(hasCode(error, ErrorCode.LLM)).toBe(true);
    expect(error.permanent).toBe(false);
    expect(error.message).toBe(
      `LLM endpoint ${standIn.url}/chat/completions failed 3 times; last: HTTP 503: The server had an error while processing your request.`,
    );
    expect(standIn.stats().requests).toBe(3);
  });

  it('abandons a request that does not answer within timeoutMs and retries it', async () => {
    const completion = await client({ timeoutMs: 200 }).complete(ask('LLM_HANGx1'), live());
    expect(completion.content).not.toBeNull();
    expect(standIn.stats()).toMatchObject({ requests: 2, byOutcome: { hang: 1, '200': 1 } });
  });

  it('fails with E_LLM when every attempt times out', async () => {
    const error = await rejectionOf(client({ timeoutMs: 150, maxRetries: 1 }).complete(ask('LLM_HANG'), live()));
    expect(hasCode(error, ErrorCode.LLM)).toBe(true);
    expect(error.message).toMatch(/failed 2 times; last: no complete answer within 150 ms$/);
    expect(standIn.stats().requests).toBe(2);
  });

  it('retries a dropped connection (network error)', async () => {
    await client().complete(ask('LLM_DROP'), live());
    expect(standIn.stats()).toMatchObject({ requests: 2, byOutcome: { drop: 1, '200': 1 } });
  });

  it('stops at once when the job signal aborts, with the signal’s reason', async () => {
    const controller = new AbortController();
    const reason = new Error('job timed out');
    setTimeout(() => controller.abort(reason), 100);
    const started = performance.now();
    const error = await rejectionOf(client({ timeoutMs: 10_000 }).complete(ask('LLM_HANG'), controller.signal));
    expect(error).toBe(reason);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(standIn.stats().requests).toBe(1);
  });

  it('stops waiting for a retry when the job signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('job timed out')), 100);
    const error = await rejectionOf(client({ retryMaxMs: 60_000 }).complete(ask('LLM_429'), controller.signal));
    expect(error.message).toBe('job timed out');
    expect(standIn.stats().requests).toBe(1);
  });

  it('fails for good with E_LLM_REJECTED on a 401, without retrying', async () => {
    const error = await rejectionOf(client({ apiKey: 'sk-wrong-key-123456' }).complete(ask('x'), live()));
    expect(hasCode(error, ErrorCode.LLM_REJECTED)).toBe(true);
    expect(error.permanent).toBe(true);
    expect(error.message).toBe(`LLM endpoint ${standIn.url}/chat/completions refused the request: HTTP 401: Incorrect API key provided.`);
    expect(standIn.stats()).toMatchObject({ requests: 1, unauthorized: 1 });
  });

  it('retries network errors against a closed port, then says what happened', async () => {
    const closed = await startStandIn();
    const url = closed.url;
    await closed.close();
    const error = await rejectionOf(new ChatClient({ baseUrl: url, model: 'm', timeoutMs: 500, maxRetries: 1, retryBaseMs: 10, retryMaxMs: 20 }).complete(ask('x'), live()));
    expect(hasCode(error, ErrorCode.LLM)).toBe(true);
    expect(error.message).toMatch(/failed 2 times; last: network error: ECONNREFUSED/);
  });

  it('keeps the base URL’s path and query, and shows neither query nor key', () => {
    const c = new ChatClient({ baseUrl: 'https://llm.example/openai/v1?api-version=2024', model: 'm', apiKey: API_KEY, timeoutMs: 1, maxRetries: 0, retryBaseMs: 1, retryMaxMs: 1 });
    expect(c.endpoint).toBe('https://llm.example/openai/v1/chat/completions');
  });
});
