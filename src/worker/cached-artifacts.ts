import { artifactKey, type Cache, TTL_TIER_BY_QUEUE, ttlMs } from '../cache/index.js';
import type { Artifact, Document, Pipeline } from '../pipeline/types.js';
import type { DocumentQueueName } from '../queue/queue-names.js';
import type { PreparedText, SemanticLookup, SemanticScope } from '../semantic/index.js';
import type { DocumentCache, ServedArtifact } from './document-cache.js';

/**
 * The isolation scope of a document's cache entries: `meta.scope` (a tenant, say) and the
 * document's declared `type`, which pipelines may use to shape the artifact. Artifacts
 * never cross scopes, exact or semantic.
 */
export function scopeOf(doc: Document): string | undefined {
  const tenant = typeof doc.meta?.scope === 'string' ? doc.meta.scope : '';
  const parts = [tenant, doc.type ?? ''];
  return parts.some((part) => part !== '') ? parts.join('/') : undefined;
}

type Flight = ServedArtifact & { producedBy: string };

/**
 * The worker's view of the cache, in the order the design fixes: the exact key, then a
 * guarded near-duplicate (when a semantic lookup is given), then the pipeline. Concurrent
 * misses on one key in this process run the pipeline once; the others are served its
 * artifact as exact hits. Every cache step may fail and then simply misses.
 */
export class CachedArtifacts implements DocumentCache {
  constructor(
    private readonly cache: Cache,
    private readonly pipeline: Pipeline,
    private readonly namespace: string,
    private readonly semantic?: SemanticLookup,
  ) {}

  async resolve(doc: Document, queue: DocumentQueueName, compute: () => Promise<Artifact>): Promise<ServedArtifact> {
    const scope = scopeOf(doc);
    const key = artifactKey({ namespace: this.namespace, pipeline: this.pipeline.name, version: this.pipeline.version, scope, text: doc.text });
    let ranHere = false;
    const shared = await this.cache.singleFlight(key, async (): Promise<Flight> => {
      ranHere = true;
      const exact = await this.cache.get(key);
      if (exact) return { artifact: exact.value.artifact, kind: 'exact', sourceId: exact.value.docId, producedBy: exact.value.docId };

      const semanticScope: SemanticScope = { pipeline: this.pipeline.name, version: this.pipeline.version, scope };
      const prepared = this.semantic?.prepare(doc.text);
      const near = prepared ? await this.nearDuplicate(prepared, semanticScope) : undefined;
      if (near) return near;

      const artifact = await compute();
      const tier = TTL_TIER_BY_QUEUE[queue];
      this.cache.set(key, { artifact, docId: doc.id }, tier);
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
    const cached = await this.cache.get(hit.key);
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

  /** Index writes in the background; `close` lets them finish (boundedly) so a graceful stop keeps them. */
  private readonly pendingIndexWrites = new Set<Promise<unknown>>();

  private track(write: Promise<unknown>): void {
    const settled = write.catch(() => {}).finally(() => this.pendingIndexWrites.delete(settled));
    this.pendingIndexWrites.add(settled);
  }

  async close(timeoutMs = 1_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.pendingIndexWrites]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    await this.cache.close(timeoutMs);
  }
}
