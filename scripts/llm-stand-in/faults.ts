/**
 * Fault markers a test writes into a document's text to script what the stand-in does
 * with the requests for that document (one "conversation": same first user message).
 *
 * HTTP faults, applied to the conversation's requests in the order they appear in the text:
 * - `LLM_429`          429 with `Retry-After` (the server's `retryAfter`, default 1 s)
 * - `LLM_429_DATE`     429 with `Retry-After` as an HTTP date 2 s ahead
 * - `LLM_500`, `LLM_503` that status, with an OpenAI-style error body
 * - `LLM_DROP`         the connection is destroyed without an answer (a network error)
 * - `LLM_HANG`         no answer at all, until the client gives up
 * Content faults, applied to the conversation's 200 answers in order:
 * - `LLM_BAD_JSON_ONCE` (= `LLM_BAD_JSON`)  content that is not JSON
 * - `LLM_BAD_SCHEMA`   JSON that fails batchline's reply schema
 * - `LLM_NEVER_VALID`  every answer is not JSON
 * Other:
 * - `LLM_LATENCY_<ms>` this conversation's latency instead of the server's
 * - `LLM_NO_USAGE`     answers carry no `usage`
 *
 * `x<N>` repeats a fault N times (`LLM_500x2`); without it a fault happens once, except
 * `LLM_HANG` and `LLM_NEVER_VALID`, which last forever. A marker counts once however often
 * it appears (the prompt may quote the document twice).
 */

export type HttpFault = '429' | '429_DATE' | '500' | '503' | 'DROP' | 'HANG';
export type ContentFault = 'BAD_JSON' | 'BAD_SCHEMA';

export interface FaultScript {
  /** HTTP faults for requests 0, 1, 2, ...; `forever` repeats the last one. */
  readonly http: readonly HttpFault[];
  readonly httpForever: boolean;
  /** Content faults for answers 0, 1, 2, ...; `forever` repeats the last one. */
  readonly content: readonly ContentFault[];
  readonly contentForever: boolean;
  readonly latencyMs?: number;
  readonly noUsage: boolean;
}

const MARKER = /\bLLM_(429_DATE|429|500|503|DROP|HANG|BAD_JSON_ONCE|BAD_JSON|BAD_SCHEMA|NEVER_VALID|NO_USAGE|LATENCY_\d+)(?:x(\d+))?\b/g;

export function parseFaults(text: string): FaultScript {
  const http: HttpFault[] = [];
  const content: ContentFault[] = [];
  let httpForever = false;
  let contentForever = false;
  let latencyMs: number | undefined;
  let noUsage = false;
  const seen = new Set<string>();
  for (const match of text.matchAll(MARKER)) {
    if (seen.has(match[0])) continue;
    seen.add(match[0]);
    const name = match[1] ?? '';
    const times = match[2] === undefined ? undefined : Number(match[2]);
    if (name.startsWith('LATENCY_')) latencyMs = Number(name.slice('LATENCY_'.length));
    else if (name === 'NO_USAGE') noUsage = true;
    else if (name === 'NEVER_VALID') {
      content.push('BAD_JSON');
      contentForever = true;
    } else if (name === 'BAD_JSON_ONCE' || name === 'BAD_JSON' || name === 'BAD_SCHEMA') {
      const fault: ContentFault = name === 'BAD_SCHEMA' ? 'BAD_SCHEMA' : 'BAD_JSON';
      for (let i = 0; i < (times ?? 1); i++) content.push(fault);
    } else {
      const fault = name as HttpFault;
      if (fault === 'HANG' && times === undefined) {
        http.push('HANG');
        httpForever = true;
      } else {
        for (let i = 0; i < (times ?? 1); i++) http.push(fault);
      }
    }
  }
  return { http, httpForever, content, contentForever, ...(latencyMs !== undefined ? { latencyMs } : {}), noUsage };
}

/** The fault for the `index`-th item (0-based) of a list, or undefined when the script is done. */
export function faultAt<T>(list: readonly T[], forever: boolean, index: number): T | undefined {
  if (index < list.length) return list[index];
  return forever ? list[list.length - 1] : undefined;
}
