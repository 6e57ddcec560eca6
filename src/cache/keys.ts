import { createHash } from 'node:crypto';

/**
 * Cache keys. A key names everything that decides an artifact: the pipeline and its
 * version (bump the version and old artifacts are never served), an optional scope (so
 * one tenant never sees another's artifacts) and a hash of the canonical input.
 */

/** What identifies one cached artifact. */
export interface ArtifactKeyParts {
  /** Key namespace in the cache Redis (`cache.namespace`). */
  readonly namespace: string;
  /** Pipeline name. */
  readonly pipeline: string;
  /** Pipeline version; part of the key so a new version never reads old artifacts. */
  readonly version: string;
  /** Optional isolation scope (`doc.meta.scope`); absent and empty are the same. */
  readonly scope?: string | undefined;
  /** The document text; canonicalised before hashing. */
  readonly text: string;
}

/**
 * The canonical form of an input: Unicode NFC, every whitespace run collapsed to one space,
 * trimmed. Inputs that differ only in these respects are the same input.
 */
export function canonicalText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Hex sha256 of the canonical form of `text`. */
export function inputHash(text: string): string {
  return createHash('sha256').update(canonicalText(text), 'utf8').digest('hex');
}

/**
 * The scope's slot in a key: `-` for none, else the URI-encoded scope (see `encodeScope`
 * for how a document's scope is built). A scope that is literally `-` gets `%2D`, so no
 * scope shares the unscoped slot.
 */
export function scopeSlot(scope: string | undefined): string {
  if (!scope) return '-';
  const slot = encodeURIComponent(scope);
  return slot === '-' ? '%2D' : slot;
}

/**
 * Prefix shared by all keys of one pipeline version and scope, e.g. for the semantic
 * index's own keys. Parts are URI-encoded so a `:` inside a name cannot make two different
 * part lists produce one key.
 */
export function keyPrefix(parts: Omit<ArtifactKeyParts, 'text'>): string {
  return [parts.namespace, encodeURIComponent(parts.pipeline), encodeURIComponent(parts.version), scopeSlot(parts.scope)].join(':');
}

/** The key of an artifact: `<namespace>:<pipeline>:<version>:<scope|->:a:<sha256>`. */
export function artifactKey(parts: ArtifactKeyParts): string {
  return artifactKeyOf(parts, inputHash(parts.text));
}

/** {@link artifactKey} for an input hash already computed (the worker stores it in the value too). */
export function artifactKeyOf(parts: Omit<ArtifactKeyParts, 'text'>, hash: string): string {
  return `${keyPrefix(parts)}:a:${hash}`;
}
