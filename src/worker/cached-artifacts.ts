import {
  artifactKeyOf,
  type Cache,
  encodeScope,
  inputHash,
  scopeProblem,
  ttlMs,
  type ValueOrigin,
} from '../cache/index.js';
import type { DocumentQueueName } from '../config/index.js';
import { BatchlineError, ErrorCode } from '../errors.js';
import type { Artifact, Document, Pipeline } from '../pipeline/index.js';
import type { PreparedText, SemanticLookup, SemanticScope } from '../semantic/index.js';
import { settleWithin } from '../time.js';
import { artifactCodec } from './artifact-codec.js';
import type { DocumentCache, ServedArtifact } from './document-cache.js';
import type { InFlightClaims } from './inflight-claims.js';
import { MovingMean } from './moving-mean.js';
import { TTL_TIER_BY_QUEUE } from './ttl-tiers.js';

/**
 * The isolation scope of a document's cache entries: `meta.scope` (a tenant, say) and the
 * document's declared `type`, which pipelines may use to shape the artifact, encoded so
 * that different parts never give one scope (see `encodeScope`). Artifacts never cross
 * scopes, exact or semantic. A `meta.scope` that is not a non-empty string is bad input
 * (ingest rejects it; this catches documents enqueued some other way).
 */
export function scopeOf(doc: Document): string | undefined {
  const tenant = doc.meta?.scope;
  const problem = scopeProblem(tenant);
  if (problem) throw new BatchlineError(ErrorCode.BAD_INPUT, problem);
  return encodeScope({ tenant: tenant as string | undefined, type: doc.type });
}

type Flight = ServedArtifact & { producedBy: string };

/**
 * The worker's view of the cache, in the order the design fixes: the exact key, then a
 * near-duplicate (when a semantic lookup is given), then the pipeline. Concurrent misses on
 * one key in this process run the pipeline once; the others are served its artifact as
 * exact hits. Across processes, a claim in the cache Redis does the same (when given).
 * Every cache step may fail and then simply misses.
 */
export class CachedArtifacts implements DocumentCache {
  constructor(
    private readonly cache: Cache,
    private readonly pipeline: Pipeline,
    private readonly namespace: string,
    private readonly semantic?: SemanticLookup,
    private readonly claims?: InFlightClaims,
  ) {}

  async resolve(doc: Document, queue: DocumentQueueName, compute: () => Promise<Artifact>): Promise<ServedArtifact> {
    const scope = scopeOf(doc);
    const { name: pipeline, version } = this.pipeline;
    const input = inputHash(doc.text);
    const key = artifactKeyOf({ namespace: this.namespace, pipeline, version, scope }, input);
    // Stored with the artifact and checked on every read: a value under this key that was
    // made from anything else is never served.
    const made: ValueOrigin = { pipeline, version, scope: scope ?? null, input };
    let ranHere = false;
    const shared = await this.cache.singleFlight(key, async (): Promise<Flight> => {
      ranHere = true;
      const exact = await this.cache.get(key, made, artifactCodec);
      if (exact) return { artifact: exact.value.artifact, kind: 'exact', sourceId: exact.value.docId, producedBy: exact.value.docId };

      const semanticScope: SemanticScope = { pipeline, version, scope };
      // With the cache Redis down, near-duplicates could only come from this process's own
      // index: too rarely to pay for preparing every document (the largest part of the
      // cache's CPU per document), so a cache that cannot help costs next to nothing.
      const prepared = this.cache.l2Down() ? undefined : this.semantic?.prepare(doc.text);
      const near = prepared ? await this.nearDuplicate(prepared, semanticScope) : undefined;
      if (near) return near;

      // Another worker process may be computing this very input: wait for its artifact.
      const claim = this.claims?.worthIt(this.pipelineMs.mean) ? await this.claims.claim(key) : undefined;
      if (claim?.kind === 'taken') {
        const theirs = await this.claims?.waitFor(key, made);
        if (theirs) return { artifact: theirs.value.artifact, kind: 'exact', sourceId: theirs.value.docId, producedBy: theirs.value.docId };
      }
      let artifact: Artifact;
      const started = performance.now();
      try {
        artifact = await compute();
        this.pipelineMs.add(performance.now() - started);
      } catch (error) {
        if (claim?.kind === 'won') claim.release(); // waiters stop waiting and compute themselves
        throw error;
      }
      const tier = TTL_TIER_BY_QUEUE[queue];
      const stored = this.cache.set(key, { artifact, docId: doc.id, made }, tier, artifactCodec);
      if (claim?.kind === 'won') void stored.then(claim.release); // after the artifact is there to be found
      if (prepared && this.semantic) this.track(this.semantic.remember(prepared, semanticScope, { key, docId: doc.id, ttlMs: ttlMs(tier) }));
      return { artifact, kind: 'miss', producedBy: doc.id };
    });
    const { producedBy, ...served } = shared;
    // A caller that joined another's flight did not run the pipeline: for it, this is a hit.
    if (!ranHere && served.kind === 'miss') return { artifact: served.artifact, kind: 'exact', sourceId: producedBy };
    return served;
  }

  /** A near-duplicate whose artifact is still cached; an entry whose artifact is gone is dropped. */
  private async nearDuplicate(prepared: PreparedText, scope: SemanticScope): Promise<Flight | undefined> {
    const hit = await this.semantic?.find(prepared, scope);
    if (!hit) return undefined;
    // The near-duplicate's artifact was made from another text, but never for another
    // pipeline, version or scope: an index entry pointing across them is corrupt.
    const cached = await this.cache.get(hit.key, { pipeline: scope.pipeline, version: scope.version, scope: scope.scope ?? null }, artifactCodec);
    if (!cached) {
      void this.semantic?.forget(prepared, scope, hit.key);
      return undefined;
    }
    // The document that produced the artifact now under that key (a concurrent variant may have replaced the indexed one's).
    const producer = cached.value.docId;
    return {
      artifact: cached.value.artifact,
      kind: 'semantic',
      similarity: hit.score,
      difference: hit.difference,
      sourceId: producer,
      producedBy: producer,
    };
  }

  /** How long the pipeline takes here: claims pay off only for pipelines slower than a few cache round trips. */
  private readonly pipelineMs = new MovingMean();

  /** Index writes in the background; `close` lets them finish (boundedly) so a graceful stop keeps them. */
  private readonly pendingIndexWrites = new Set<Promise<unknown>>();

  private track(write: Promise<unknown>): void {
    const settled = write.catch(() => {}).finally(() => this.pendingIndexWrites.delete(settled));
    this.pendingIndexWrites.add(settled);
  }

  async close(timeoutMs = 1_000): Promise<void> {
    await settleWithin(Promise.allSettled([...this.pendingIndexWrites]), timeoutMs);
    await this.cache.close(timeoutMs);
  }
}
