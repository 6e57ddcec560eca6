import type { Document } from '../pipeline/types.js';
import type { InputLimits } from './input-record.js';

/*
 * Control characters other than tab, line feed and carriage return make ids unusable
 * in file names and terminals and are never part of a sensible document id.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

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
  if (record.meta !== undefined && (typeof record.meta !== 'object' || record.meta === null || Array.isArray(record.meta))) {
    return `"meta" must be an object, got ${describe(record.meta)}`;
  }
  return {
    id: record.id as string,
    text: record.text as string,
    ...(record.type !== undefined ? { type: record.type as string } : {}),
    ...(record.meta !== undefined ? { meta: record.meta as Record<string, unknown> } : {}),
  };
}

export function checkId(id: unknown, limits: InputLimits): string | undefined {
  if (typeof id !== 'string') return `"id" must be a string, got ${describe(id)}`;
  if (id.trim() === '') return '"id" is empty';
  if (id.length > limits.maxIdLength) return `"id" is ${id.length} characters long, more than the limit of ${limits.maxIdLength}`;
  if (controlCharacters.test(id)) return '"id" contains control characters';
  return undefined;
}

export function checkText(text: unknown, limits: InputLimits): string | undefined {
  if (typeof text !== 'string') return `"text" must be a string, got ${describe(text)}`;
  if (text.trim() === '') return '"text" is missing or empty';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxDocBytes) return `"text" is ${bytes} bytes, more than the limit of ${limits.maxDocBytes}`;
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
