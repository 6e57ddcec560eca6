import { scopeProblem } from '../cache/index.js';
import type { Document } from '../pipeline/index.js';
import type { InputLimits } from './input-record.js';

/*
 * Characters an id may not hold: every control character (C0 including tab, line feed and
 * carriage return, DEL, C1), the Unicode line and paragraph separators, and the bidi
 * controls. Ids end up in file names, terminals, log lines, CSV-ish exports and the
 * dashboard; there a line break splits a record and a bidi override (U+202E) makes
 * `invoice-txt.exe` display as something else. None belongs in a sensible document id.
 */
const forbiddenIdCharacter =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** What kind of forbidden character `char` is, for the rejection reason. */
function forbiddenKind(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code <= 0x9f) return 'a control character';
  if (code === 0x2028 || code === 0x2029) return 'a line or paragraph separator';
  return 'a bidirectional text control';
}

/** `U+202E`: how a reason names a character that cannot be shown as itself. */
function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/*
 * JSON may spell half of a surrogate pair on its own (`"\ud800"`); such a string is not
 * Unicode and becomes U+FFFD on its way to the broker, so two different ids would turn
 * into one and a document would be lost without a trace. Raw bytes like that are already
 * rejected as invalid UTF-8; this rejects the escaped spelling too.
 */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Deepest `meta` accepted. JSON.parse reads any depth, but JSON.stringify (which BullMQ
 * runs on every job) overflows the stack at a few thousand levels, and that would fail
 * the whole chunk; no real metadata comes near this.
 */
export const MAX_META_DEPTH = 64;

/** Checks a parsed input object; returns the document, or the reason it is rejected. */
export function validateRecord(value: unknown, limits: InputLimits): Document | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `expected a JSON object, got ${describe(value)}`;
  }
  const record = value as Record<string, unknown>;
  const idProblem = checkId(record.id, limits);
  if (idProblem) return idProblem;
  const textProblem = checkText(record.text, limits);
  if (textProblem) return textProblem;
  if (record.type !== undefined && (typeof record.type !== 'string' || record.type.length > 100)) {
    return `"type" must be a string of at most 100 characters, got ${describe(record.type)}`;
  }
  // The type is part of the cache scope: two types that turn into one on the way to the broker would share artifacts.
  if (typeof record.type === 'string' && loneSurrogate.test(record.type)) return '"type" is not valid Unicode (an unpaired surrogate escape)';
  if (record.meta !== undefined && (typeof record.meta !== 'object' || record.meta === null || Array.isArray(record.meta))) {
    return `"meta" must be an object, got ${describe(record.meta)}`;
  }
  if (record.meta !== undefined && deeperThan(record.meta, MAX_META_DEPTH)) {
    return `"meta" is nested more than ${MAX_META_DEPTH} levels deep`;
  }
  const scopeIssue = record.meta !== undefined ? scopeProblem((record.meta as Record<string, unknown>).scope) : undefined;
  if (scopeIssue) return scopeIssue;
  return {
    id: record.id as string,
    text: record.text as string,
    ...(record.type !== undefined ? { type: record.type as string } : {}),
    ...(record.meta !== undefined ? { meta: record.meta as Record<string, unknown> } : {}),
  };
}

/**
 * Ids are opaque strings: `/`, `\` and `..` are allowed because no part of batchline
 * uses a document id as a path (job ids hash it, results carry it as a JSON value).
 */
export function checkId(id: unknown, limits: InputLimits): string | undefined {
  if (typeof id !== 'string') return `"id" must be a string, got ${describe(id)}`;
  if (id.trim() === '') return '"id" is empty';
  if (id.length > limits.maxIdLength) {
    return `"id" is ${id.length} characters long, more than the limit of ${limits.maxIdLength} (ingest.maxIdLength)`;
  }
  const forbidden = forbiddenIdCharacter.exec(id);
  if (forbidden) {
    const [char] = forbidden;
    const at = [...id.slice(0, forbidden.index)].length + 1;
    return `"id" contains ${forbiddenKind(char)} (${codePointName(char)} at character ${at})`;
  }
  if (loneSurrogate.test(id)) return '"id" is not valid Unicode (an unpaired surrogate escape)';
  return undefined;
}

/** Texts are data: any Unicode is accepted, NUL (`\u0000`) included; the pipeline decides. */
export function checkText(text: unknown, limits: InputLimits): string | undefined {
  if (typeof text !== 'string') return `"text" must be a string, got ${describe(text)}`;
  if (text.trim() === '') return '"text" is missing or empty';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxDocBytes) {
    return `"text" is ${bytes} bytes, more than the limit of ${limits.maxDocBytes} (ingest.maxDocBytes)`;
  }
  if (loneSurrogate.test(text)) return '"text" is not valid Unicode (an unpaired surrogate escape)';
  return undefined;
}

/** Whether a parsed JSON value nests deeper than `limit`, without recursion (the input may be hostile). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > limit) return true;
    for (const child of Object.values(node as object)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
