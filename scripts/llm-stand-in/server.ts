import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom as mulberry32 } from '../lib/seeded-random.js';
import { faultAt, parseFaults } from './faults.js';
import { BAD_JSON_REPLY, BAD_SCHEMA_REPLY, validReply } from './replies.js';

/** Options of {@link startStandIn}; every one has a flag and an environment variable in the CLI. */
export interface StandInOptions {
  /** TCP port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** Delay before every answer (ms). @defaultValue 0 */
  latencyMs?: number;
  /** Random extra delay, up to this (ms). @defaultValue 0 */
  jitterMs?: number;
  /** Fixed `usage.prompt_tokens`; default: message characters / 4. */
  promptTokens?: number;
  /** Fixed `usage.completion_tokens`; default: reply characters / 4. */
  completionTokens?: number;
  /** Share of requests answered 500, at random (0–1). @defaultValue 0 */
  errorRate?: number;
  /** Share of requests answered 429, at random (0–1). @defaultValue 0 */
  rate429?: number;
  /** `Retry-After` of 429 answers: seconds or an HTTP date. @defaultValue '1' */
  retryAfter?: string;
  /** Share of answers whose content is not JSON, at random (0–1). @defaultValue 0 */
  invalidRate?: number;
  /** When set, requests without `Authorization: Bearer <apiKey>` are answered 401. */
  apiKey?: string;
  /** Seed of the random shares, so a run can be repeated. @defaultValue 1 */
  seed?: number;
}

/** What the stand-in has seen since it started (or since `reset`). */
export interface StandInStats {
  /** Chat completion requests received (any outcome). */
  requests: number;
  /** Of those, answered 200 with a completion. */
  completions: number;
  /** Answers by HTTP status; `hang` and `drop` for requests never answered. */
  byOutcome: Record<string, number>;
  /** Requests rejected for a missing or wrong key. */
  unauthorized: number;
  /** Arrival time of every completion request (epoch ms), in order. */
  arrivals: number[];
  inFlight: number;
  maxInFlight: number;
  tokensIn: number;
  tokensOut: number;
}

export interface StandIn {
  /** Base URL to configure (`llm.baseUrl`): `http://host:port/v1`. */
  readonly url: string;
  readonly port: number;
  stats(): StandInStats;
  /** Forgets stats and every conversation's progress through its fault script. */
  reset(): void;
  /** Stops listening and drops every open (hung) connection. */
  close(): Promise<void>;
}

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}

/** Greatest number of arrivals within any window of `windowMs` (a sliding window). */
export function maxInWindow(arrivals: readonly number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/**
 * A local OpenAI-compatible `POST /v1/chat/completions` (also `/chat/completions`) for
 * development and tests only: configurable latency, token counts, random 500s, 429s and
 * invalid replies, and per-document fault scripts (see `faults.ts`). `GET /stats` returns
 * {@link StandInStats}; `POST /reset` clears them. Never use it for anything real.
 */
export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const random = mulberry32(options.seed ?? 1);
  const conversations = new Map<string, { requests: number; answers: number }>();
  let stats = emptyStats();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(`stand-in failure: ${String(error)}`, 'server_error'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/stats') return sendJson(res, 200, stats);
    if (req.method === 'POST' && path === '/reset') {
      reset();
      return sendJson(res, 200, { ok: true });
    }
    if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'stand-in', object: 'model', owned_by: 'batchline' }] });
    }
    if (req.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/chat/completions')) {
      return sendJson(res, 404, errorBody(`no route ${req.method} ${path}`, 'invalid_request_error'));
    }
    stats.requests++;
    stats.arrivals.push(Date.now());
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.once('close', () => stats.inFlight--);
    const body = await readBody(req);

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      stats.unauthorized++;
      return answer(res, 401, errorBody('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
    }
    const request = parseRequest(body);
    if (typeof request === 'string') return answer(res, 400, errorBody(request, 'invalid_request_error'));

    const first = request.messages.find((m) => m.role === 'user')?.content ?? '';
    const key = createHash('sha256').update(first).digest('hex');
    const script = parseFaults(first);
    const conversation = conversations.get(key) ?? { requests: 0, answers: 0 };
    conversations.set(key, conversation);
    const httpFault = faultAt(script.http, script.httpForever, conversation.requests++);

    if (httpFault === 'HANG') {
      count('hang');
      return; // never answered; `close()` drops the connection
    }
    await delay(script.latencyMs ?? (options.latencyMs ?? 0) + random() * (options.jitterMs ?? 0));
    if (httpFault === 'DROP') {
      count('drop');
      req.socket.destroy();
      return;
    }
    if (httpFault === '429' || httpFault === '429_DATE' || (httpFault === undefined && random() < (options.rate429 ?? 0))) {
      const retryAfter = httpFault === '429_DATE' ? new Date(Date.now() + 2_000).toUTCString() : (options.retryAfter ?? '1');
      res.setHeader('retry-after', retryAfter);
      return answer(res, 429, errorBody('Rate limit reached for requests.', 'requests', 'rate_limit_exceeded'));
    }
    if (httpFault === '500' || httpFault === '503' || (httpFault === undefined && random() < (options.errorRate ?? 0))) {
      const status = httpFault === '503' ? 503 : 500;
      return answer(res, status, errorBody('The server had an error while processing your request.', 'server_error'));
    }

    const contentFault = faultAt(script.content, script.contentForever, conversation.answers++);
    const content =
      contentFault === 'BAD_SCHEMA'
        ? BAD_SCHEMA_REPLY
        : contentFault === 'BAD_JSON' || random() < (options.invalidRate ?? 0)
          ? BAD_JSON_REPLY
          : validReply(first, key);
    const promptChars = request.messages.reduce((n, m) => n + String(m.content).length, 0);
    const promptTokens = options.promptTokens ?? Math.ceil(promptChars / 4);
    const completionTokens = options.completionTokens ?? Math.ceil(content.length / 4);
    stats.completions++;
    stats.tokensIn += promptTokens;
    stats.tokensOut += completionTokens;
    return answer(res, 200, {
      id: `chatcmpl-standin-${stats.completions}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      ...(script.noUsage
        ? {}
        : { usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } }),
    });
  }

  function count(outcome: string): void {
    stats.byOutcome[outcome] = (stats.byOutcome[outcome] ?? 0) + 1;
  }

  function answer(res: ServerResponse, status: number, body: unknown): void {
    count(String(status));
    sendJson(res, status, body);
  }

  function reset(): void {
    const inFlight = stats.inFlight;
    stats = emptyStats();
    stats.inFlight = inFlight;
    conversations.clear();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/v1`,
    port: address.port,
    stats: () => structuredClone(stats),
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function emptyStats(): StandInStats {
  return { requests: 0, completions: 0, byOutcome: {}, unauthorized: 0, arrivals: [], inFlight: 0, maxInFlight: 0, tokensIn: 0, tokensOut: 0 };
}

function parseRequest(body: string): ChatRequest | string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'We could not parse the JSON body of your request.';
  }
  const request = json as Partial<ChatRequest> | null;
  if (typeof request?.model !== 'string' || request.model === '') return 'you must provide a model parameter';
  if (!Array.isArray(request.messages) || request.messages.length === 0) return "'messages' must be a non-empty array";
  if (!request.messages.every((m) => typeof m?.role === 'string' && typeof m.content === 'string')) {
    return "every message needs a string 'role' and 'content'";
  }
  return request as ChatRequest;
}

function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
