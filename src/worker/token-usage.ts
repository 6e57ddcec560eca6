import { NO_USAGE, type TokenUsage } from '../batches/index.js';
import type { Artifact } from '../pipeline/index.js';
import type { ServedArtifact } from './document-cache.js';

const count = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0);

/** The `usage` a pipeline reported in its artifact (`{ calls, tokensIn, tokensOut }`), or zeros. */
export function reportedUsage(artifact: Artifact): { calls: number; tokensIn: number; tokensOut: number } {
  const usage = artifact.usage;
  if (typeof usage !== 'object' || usage === null) return { calls: 0, tokensIn: 0, tokensOut: 0 };
  const fields = usage as Record<string, unknown>;
  return { calls: count(fields.calls), tokensIn: count(fields.tokensIn), tokensOut: count(fields.tokensOut) };
}

/**
 * What a result adds to its batch's accounting: a miss spent the tokens its pipeline run
 * reported; a cache hit spent nothing and saved what the served artifact originally cost.
 */
export function usageOf(served: ServedArtifact): TokenUsage {
  const reported = reportedUsage(served.artifact);
  if (reported.calls === 0 && reported.tokensIn === 0 && reported.tokensOut === 0) return NO_USAGE;
  if (served.kind === 'miss') return { ...reported, tokensSaved: 0 };
  return { calls: 0, tokensIn: 0, tokensOut: 0, tokensSaved: reported.tokensIn + reported.tokensOut };
}
