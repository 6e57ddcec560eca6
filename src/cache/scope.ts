/**
 * The isolation scope of cache entries: what, besides the pipeline and the text, decides
 * whose artifacts a document may be served. Two parts: the tenant (`meta.scope`) and the
 * document's declared `type`, which pipelines may use to shape the artifact.
 *
 * The parts are encoded as a JSON array, never joined with a separator: joining with `/`
 * made `{"scope":"acme/eu","type":"invoice"}` and `{"scope":"acme","type":"eu/invoice"}`
 * one scope, and a tenant was served another tenant's artifact. JSON of an array of
 * strings and nulls is injective: different part lists always give different strings.
 * Every key family (exact artifacts, the semantic index, patterns) takes the scope in this
 * one form and URI-encodes it whole into its key.
 */

/** Longest `meta.scope` accepted (characters): it is part of every cache key of the document. */
export const MAX_SCOPE_LENGTH = 256;

/** The parts of a scope as a document declares them; absent parts are `undefined`. */
export interface ScopeParts {
  /** `meta.scope`, e.g. a tenant id: a non-empty string when present. */
  readonly tenant?: string | undefined;
  /** The document's `type`. */
  readonly type?: string | undefined;
}

/** Matches half of a surrogate pair on its own: such a string becomes U+FFFD in transit, and two scopes would turn into one. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a `meta.scope` value cannot scope a document, or `undefined` when it can (or is
 * absent). Present means it must be a non-empty string: a number, `null` or `""` would
 * otherwise be dropped silently and the document would share the unscoped entries, so
 * tenant `42` would be served what tenant `43` cached.
 */
export function scopeProblem(scope: unknown): string | undefined {
  if (scope === undefined) return undefined;
  if (typeof scope !== 'string') return `"meta.scope" must be a non-empty string (it isolates cached artifacts), got ${describe(scope)}`;
  if (scope.trim() === '') return '"meta.scope" is empty; leave it out for no scope';
  if (scope.length > MAX_SCOPE_LENGTH) return `"meta.scope" is ${scope.length} characters long, more than the limit of ${MAX_SCOPE_LENGTH}`;
  if (loneSurrogate.test(scope)) return '"meta.scope" is not valid Unicode (an unpaired surrogate escape)';
  return undefined;
}

/**
 * The scope string of `parts`, or `undefined` when neither part is present (unscoped
 * entries). `{tenant:"acme/eu", type:"invoice"}` → `["acme/eu","invoice"]`;
 * `{tenant:"acme"}` → `["acme",null]`. An empty type is kept apart from an absent one,
 * since a pipeline may tell them apart.
 */
export function encodeScope(parts: ScopeParts): string | undefined {
  if (parts.tenant === undefined && parts.type === undefined) return undefined;
  return JSON.stringify([parts.tenant ?? null, parts.type ?? null]);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
