import { describe, expect, it } from 'vitest';
import { newWriteId } from '../../../src/batches/write-id.js';

describe('newWriteId', () => {
  it('gives 48 random bits as 8 base64url characters, never the same id twice across refills of its random pool', () => {
    const ids = Array.from({ length: 5_000 }, () => newWriteId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
