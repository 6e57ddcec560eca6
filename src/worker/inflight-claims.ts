import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cache, CacheHit, ValueOrigin } from '../cache/index.js';
import type { Artifact } from '../pipeline/index.js';
import { artifactCodec } from './artifact-codec.js';

/**
 * Claims on artifacts being computed, shared by every worker process through the cache
 * Redis. Single-flight within a process already runs the pipeline once per key; a claim
 * does the same across processes: the first miss claims the key (SET NX with a lifetime),
 * a repeat that finds the claim taken waits, boundedly, for the artifact the other worker
 * is producing instead of paying for the pipeline again.
 *
 * Every command goes through the cache's choke point. With the cache down, hung or its
 * breaker open, a claim is "unavailable" at once and the caller simply runs the pipeline:
 * the claim saves money, never correctness.
 */

/** Outcome of {@link InFlightClaims.claim}. */
export type Claim =
  /** This process computes; call `release` once its artifact is written (or it failed). */
  | { readonly kind: 'won'; release(): void }
  /** Another process holds the claim: wait for its artifact. */
  | { readonly kind: 'taken' }
  /** The cache could not be asked: compute. */
  | { readonly kind: 'unavailable' };

export interface InFlightClaimsOptions {
  /** How long a claim lives if its holder never releases it (a killed worker): the job timeout. */
  readonly ttlMs: number;
  /** Longest a repeat waits for another process's artifact before computing it itself. */
  readonly waitMs: number;
  /** Claims are made only while the pipeline's mean duration here is at least this (ms). */
  readonly minPipelineMs: number;
}

const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 500;


export class InFlightClaims {
  /** Identifies this process's claims. */
  private readonly token = randomUUID();

  constructor(
    private readonly cache: Cache,
    private readonly options: InFlightClaimsOptions,
  ) {}

  /**
   * Whether claiming pays: a claim costs two round trips to the cache Redis, so for a
   * pipeline of a millisecond it would cost more than a repeat computed twice. Unknown
   * (no pipeline run yet): yes.
   */
  worthIt(meanPipelineMs: number | undefined): boolean {
    return meanPipelineMs === undefined || meanPipelineMs >= this.options.minPipelineMs;
  }

  async claim(key: string): Promise<Claim> {
    const claimKey = claimKeyOf(key);
    const taken = await this.cache.l2.acquireLock(claimKey, this.token, this.options.ttlMs);
    if (taken === undefined) return { kind: 'unavailable' };
    if (!taken) return { kind: 'taken' };
    return {
      kind: 'won',
      release: () => {
        void this.cache.l2.releaseLock(claimKey, this.token, { background: true });
      },
    };
  }

  /**
   * Waits for the artifact under `key` while another process holds its claim. Undefined when
   * the wait is over, the claim is gone without an artifact (its holder failed) or the cache
   * cannot be asked: then the caller computes.
   */
  async waitFor(key: string, expected: Partial<ValueOrigin>): Promise<CacheHit<Artifact> | undefined> {
    const claimKey = claimKeyOf(key);
    const deadline = performance.now() + this.options.waitMs;
    let pause = FIRST_POLL_MS;
    while (performance.now() < deadline) {
      await sleep(Math.min(pause, Math.max(0, deadline - performance.now())));
      pause = Math.min(pause * 2, MAX_POLL_MS);
      const hit = await this.cache.get(key, expected, artifactCodec);
      if (hit) return hit;
      const held = await this.cache.l2.exists(claimKey);
      if (held !== true) return this.cache.get(key, expected, artifactCodec);
    }
    return undefined;
  }
}

/** The claim on `key`: the same key plus a suffix, so it shares its hash tag and scope. */
function claimKeyOf(key: string): string {
  return `${key}:claim`;
}
