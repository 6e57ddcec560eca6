import { artifactKey, type Cache, TTL_TIER_BY_QUEUE } from '../cache/index.js';
import type { Artifact, Document, Pipeline } from '../pipeline/types.js';
import type { DocumentQueueName } from '../queue/queue-names.js';
import type { DocumentCache, ServedArtifact } from './document-cache.js';

/**
 * The isolation scope of a document's cache entries: `meta.scope` (a tenant, say) and the
 * document's declared `type`, which pipelines may use to shape the artifact. Artifacts
 * never cross scopes.
 */
export function scopeOf(doc: Document): string | undefined {
  const tenant = typeof doc.meta?.scope === 'string' ? doc.meta.scope : '';
  const parts = [tenant, doc.type ?? ''];
  return parts.some((part) => part !== '') ? parts.join('/') : undefined;
}

/**
 * The worker's view of the cache: the exact key first, then the pipeline. Concurrent
 * misses on one key in this process run the pipeline once; the others are served its
 * artifact as exact hits.
 */
export class CachedArtifacts implements DocumentCache {
  constructor(
    private readonly cache: Cache,
    private readonly pipeline: Pipeline,
    private readonly namespace: string,
  ) {}

  async resolve(doc: Document, queue: DocumentQueueName, compute: () => Promise<Artifact>): Promise<ServedArtifact> {
    const key = artifactKey({
      namespace: this.namespace,
      pipeline: this.pipeline.name,
      version: this.pipeline.version,
      scope: scopeOf(doc),
      text: doc.text,
    });
    let ranHere = false;
    const shared = await this.cache.singleFlight(key, async (): Promise<ServedArtifact & { producedBy: string }> => {
      ranHere = true;
      const hit = await this.cache.get(key);
      if (hit) return { artifact: hit.value.artifact, kind: 'exact', sourceId: hit.value.docId, producedBy: hit.value.docId };
      const artifact = await compute();
      this.cache.set(key, { artifact, docId: doc.id }, TTL_TIER_BY_QUEUE[queue]);
      return { artifact, kind: 'miss', producedBy: doc.id };
    });
    const { producedBy, ...served } = shared;
    // A caller that joined another's flight did not run the pipeline: for it, this is a hit.
    if (!ranHere && served.kind === 'miss') return { artifact: served.artifact, kind: 'exact', sourceId: producedBy };
    return served;
  }

  close(): Promise<void> {
    return this.cache.close();
  }
}
