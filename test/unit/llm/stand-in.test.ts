import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { maxInWindow, parseFaults, startStandIn } from '../../../scripts/llm-stand-in.js';

describe('stand-in fault scripts', () => {
  it('reads markers in order, with repeats, each distinct marker once', () => {
    expect(parseFaults('LLM_429 then LLM_500x2 and LLM_429 again, LLM_BAD_JSON_ONCE')).toEqual({
      http: ['429', '500', '500'],
      httpForever: false,
      content: ['BAD_JSON'],
      contentForever: false,
      noUsage: false,
    });
    expect(parseFaults('LLM_HANG LLM_NEVER_VALID LLM_LATENCY_250 LLM_NO_USAGE')).toEqual({
      http: ['HANG'],
      httpForever: true,
      content: ['BAD_JSON'],
      contentForever: true,
      latencyMs: 250,
      noUsage: true,
    });
    expect(parseFaults('no markers, not even XLLM_500 or LLM_5000')).toMatchObject({ http: [], content: [] });
  });
});

describe('maxInWindow', () => {
  it('counts the busiest sliding window', () => {
    expect(maxInWindow([], 1_000)).toBe(0);
    // Windows are half-open: [t, t + windowMs).
    expect(maxInWindow([0, 999, 1_000, 1_500, 1_999, 5_000], 1_000)).toBe(3);
    expect(maxInWindow([0, 1, 2, 999, 1_000], 1_000)).toBe(4);
    expect(maxInWindow([3, 1, 2], 1)).toBe(1);
  });
});

describe('the stand-in server', () => {
  it('speaks chat completions, counts requests on GET /stats and clears them on POST /reset', async () => {
    const standIn = await startStandIn({ promptTokens: 7, completionTokens: 3 });
    try {
      const response = await fetch(`${standIn.url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' } }),
      });
      const body = (await response.json()) as { choices: { message: { content: string } }[]; usage: unknown };
      expect(JSON.parse(body.choices[0]?.message.content ?? '')).toHaveProperty('summary');
      expect(body.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
      const bad = await fetch(`${standIn.url}/chat/completions`, { method: 'POST', body: '{"model": "m"}' });
      expect(bad.status).toBe(400);
      const stats = (await (await fetch(standIn.url.replace('/v1', '/stats'))).json()) as { requests: number; byOutcome: object };
      expect(stats).toMatchObject({ requests: 2, completions: 1, byOutcome: { '200': 1, '400': 1 }, tokensIn: 7, tokensOut: 3 });
      await fetch(standIn.url.replace('/v1', '/reset'), { method: 'POST' });
      expect(standIn.stats().requests).toBe(0);
    } finally {
      await standIn.close();
    }
  });

  it('answers random 500s and 429s at the configured shares, repeatably', async () => {
    const run = async () => {
      const standIn = await startStandIn({ errorRate: 0.3, rate429: 0.2, seed: 7 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await fetch(`${standIn.url}/chat/completions`, {
          method: 'POST',
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: `doc ${i}` }] }),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      await standIn.close();
      return statuses;
    };
    const first = await run();
    expect(first.filter((s) => s === 500).length).toBeGreaterThan(4);
    expect(first.filter((s) => s === 429).length).toBeGreaterThan(2);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(10);
    expect(await run()).toEqual(first);
  });

  it('runs from the command line and prints its base URL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/llm-stand-in.ts', '--port', '0', '--latency-ms', '5'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const url = chunk.toString().trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const models = await fetch(`${url}/models`);
      expect(models.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
