import { keyPrefix } from '../cache/index.js';

/**
 * Where patterns live in the cache Redis. A pattern belongs to one pipeline name and
 * version, like an artifact: a new version may extract labels, ids or types differently and
 * even fingerprint differently, so it starts from no patterns and learns its own.
 *
 *   <namespace>:<pipeline>:<version>:-:pat:<fingerprint>    the pattern (cache envelope, PATTERN tier)
 *   <namespace>:<pipeline>:<version>:-:pat-index            SET of fingerprints with a pattern (`patterns list`)
 *   <namespace>:<pipeline>:<version>:-:pat-lock:<fingerprint>  short lock while one learner merges
 *   <namespace>:pat-scopes                                  SET of `<pipeline>@<version>` with patterns
 *
 * The scope slot is always `-`: patterns are shared by every scope of a pipeline version.
 * They hold structure only (label names, field presence, a built-in type, counts), and any
 * document with that fingerprint already carries the same label names in its own text.
 */
export interface PatternScope {
  /** `cache.namespace`. */
  readonly namespace: string;
  readonly pipeline: string;
  readonly version: string;
}

/** Fingerprints as keys may hold them: `extract` writes 16 hex characters. */
export const FINGERPRINT_RE = /^[A-Za-z0-9_-]{1,128}$/;

export function patternKey(scope: PatternScope, fingerprint: string): string {
  return `${keyPrefix(scope)}:pat:${fingerprint}`;
}

export function patternIndexKey(scope: PatternScope): string {
  return `${keyPrefix(scope)}:pat-index`;
}

/** The set of pipeline versions that have patterns, so `patterns list` needs no pipeline loaded. */
export function patternScopesKey(namespace: string): string {
  return `${namespace}:pat-scopes`;
}

export function patternLockKey(scope: PatternScope, fingerprint: string): string {
  return `${keyPrefix(scope)}:pat-lock:${fingerprint}`;
}

/** `name@version`, as result lines and batches record a pipeline; undefined for anything else. */
export function parsePipelineId(id: string): { pipeline: string; version: string } | undefined {
  const at = id.indexOf('@');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { pipeline: id.slice(0, at), version: id.slice(at + 1) };
}
