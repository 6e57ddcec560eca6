import { describe, expect, it } from 'vitest';
import { assertBatchId, jobIdFor, newBatchId } from '../../../src/batches/ids.js';

describe('job and batch ids', () => {
  it('derives a deterministic BullMQ-safe job id from batch and document id', () => {
    const id = jobIdFor('nightly-1', 'folder/a:b/../c.txt');
    expect(id).toBe(jobIdFor('nightly-1', 'folder/a:b/../c.txt'));
    expect(id).not.toContain(':');
    expect(id).not.toMatch(/^\d+$/);
    expect(id).not.toBe(jobIdFor('nightly-2', 'folder/a:b/../c.txt'));
    expect(id).not.toBe(jobIdFor('nightly-1', 'folder/a:b/../d.txt'));
  });

  it('accepts generated batch ids and refuses unsafe ones', () => {
    expect(assertBatchId(newBatchId())).toMatch(/^b-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(() => assertBatchId('../etc')).toThrow(/batch id/);
    expect(() => assertBatchId('a:b')).toThrow(/batch id/);
    expect(() => assertBatchId('')).toThrow(/batch id/);
  });
});
