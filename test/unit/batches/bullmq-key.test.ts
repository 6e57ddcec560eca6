import { QueueKeys } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { bullmqKey } from '../../../src/batches/batch-store.js';

describe('bullmqKey', () => {
  it('spells the keys BullMQ uses for a queue (the stranded-documents look reads them)', () => {
    const keys = new QueueKeys('{batchline}');
    for (const type of ['completed', 'failed', 'wait', 'b-1_doc-7']) {
      expect(bullmqKey('{batchline}', 'batch', type)).toBe(keys.toKey('batch', type));
    }
  });
});
