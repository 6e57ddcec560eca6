import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { ErrorCode, hasCode } from '../../../src/errors.js';
import { isLlmEnabled, queueLimiter, withLimiter } from '../../../src/llm/index.js';

const configError = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig({ env, cwd: '/' });
  } catch (error) {
    expect(hasCode(error, ErrorCode.CONFIG)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a config error');
};

describe('the llm config section', () => {
  it('is off by default, with defaults that fit inside the job time limit', () => {
    const config = loadConfig({ env: {}, cwd: '/' });
    expect(isLlmEnabled(config.llm)).toBe(false);
    expect(config.llm).toEqual({
      timeoutMs: 25_000,
      maxRetries: 3,
      retryBaseMs: 500,
      retryMaxMs: 10_000,
      maxInvalidReplies: 2,
      rateLimitWindowMs: 60_000,
    });
    const { timeoutMs, maxRetries, retryMaxMs } = config.llm;
    expect((maxRetries + 1) * timeoutMs + maxRetries * retryMaxMs).toBeLessThanOrEqual(config.workers.jobTimeoutMs + 10_000);
  });

  it('is read from BATCHLINE_LLM_* variables', () => {
    const config = loadConfig({
      env: {
        BATCHLINE_LLM_BASE_URL: 'http://127.0.0.1:8080/v1',
        BATCHLINE_LLM_MODEL: 'llama3.1:8b',
        BATCHLINE_LLM_API_KEY: 'sk-abc',
        BATCHLINE_LLM_PROMPT_FILE: 'prompts/mine.txt',
        BATCHLINE_LLM_TIMEOUT_MS: '5000',
        BATCHLINE_LLM_MAX_RETRIES: '0',
        BATCHLINE_LLM_MAX_INVALID_REPLIES: '1',
        BATCHLINE_LLM_RPM: '120',
        BATCHLINE_LLM_RATE_WINDOW_MS: '1000',
      },
      cwd: '/',
    });
    expect(config.llm).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080/v1',
      model: 'llama3.1:8b',
      apiKey: 'sk-abc',
      promptFile: 'prompts/mine.txt',
      timeoutMs: 5_000,
      maxRetries: 0,
      maxInvalidReplies: 1,
      requestsPerMinute: 120,
      rateLimitWindowMs: 1_000,
    });
    expect(isLlmEnabled(config.llm)).toBe(true);
  });

  it('needs endpoint and model together', () => {
    expect(configError({ BATCHLINE_LLM_BASE_URL: 'https://api.example/v1' })).toBe(
      'invalid config: llm.model: llm.baseUrl and llm.model must be set together (both turn the LLM step on)',
    );
    expect(configError({ BATCHLINE_LLM_MODEL: 'gpt-4o-mini' })).toMatch(/^invalid config: llm\.baseUrl: /);
  });

  it('refuses an endpoint that is not http(s) or carries credentials, without echoing them', () => {
    expect(configError({ BATCHLINE_LLM_BASE_URL: 'ftp://x', BATCHLINE_LLM_MODEL: 'm' })).toMatch(/llm\.baseUrl \(from BATCHLINE_LLM_BASE_URL\): must be an http/);
    const message = configError({ BATCHLINE_LLM_BASE_URL: 'https://me:hunter2@api.example/v1', BATCHLINE_LLM_MODEL: 'm' });
    expect(message).toMatch(/no credentials/);
    expect(message).not.toContain('hunter2');
  });
});

describe('queueLimiter', () => {
  const llm = (requestsPerMinute?: number) =>
    loadConfig({
      env: { BATCHLINE_LLM_BASE_URL: 'http://x/v1', BATCHLINE_LLM_MODEL: 'm', ...(requestsPerMinute ? { BATCHLINE_LLM_RPM: String(requestsPerMinute) } : {}) },
      cwd: '/',
    }).llm;

  it('limits by requestsPerMinute per rateLimitWindowMs, only with the LLM on', () => {
    expect(queueLimiter(llm(120))).toEqual({ max: 120, duration: 60_000 });
    expect(queueLimiter(llm())).toBeUndefined();
    const off = loadConfig({ env: { BATCHLINE_LLM_RPM: '5' }, cwd: '/' }).llm;
    expect(queueLimiter(off)).toBeUndefined();
  });

  it('keeps the batch queue’s own limit, and the stricter of the two when both apply', () => {
    expect(queueLimiter(llm(), { max: 10, duration: 1_000 })).toEqual({ max: 10, duration: 1_000 });
    expect(queueLimiter(llm(120), { max: 10, duration: 1_000 })).toEqual({ max: 120, duration: 60_000 });
    expect(queueLimiter(llm(6_000), { max: 10, duration: 1_000 })).toEqual({ max: 10, duration: 1_000 });
    expect(withLimiter(undefined)).toEqual({});
  });
});
