import { anyPayload, type ValueCodec } from '../cache/index.js';
import type { Artifact } from '../pipeline/index.js';

/**
 * Pipeline artifacts as the cache reads them back: any JSON object, as stored (the
 * envelope has checked that much). Their shape is each pipeline's own business.
 */
export const artifactCodec: ValueCodec<Artifact> = anyPayload;
