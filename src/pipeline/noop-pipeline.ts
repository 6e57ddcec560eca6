import type { Pipeline } from './types.js';

/** A pipeline that does nothing, for measuring batchline's own overhead (`--pipeline noop`). */
export const noopPipeline: Pipeline = {
  name: 'noop',
  version: '1',
  run: (doc) => ({ chars: doc.text.length }),
};
