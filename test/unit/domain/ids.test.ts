import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';

describe('newId', () => {
  it('gives a prefixed id whose time part sorts ids made later after earlier ones', () => {
    const earlier = newId('iss', new Date('2026-03-03T01:00:00Z'));
    const later = newId('iss', new Date('2026-03-03T01:00:00.001Z'));
    expect(earlier).toMatch(/^iss_[0-9a-z]{9}[0-9a-f]{12}$/);
    expect(earlier < later).toBe(true);
  });

  it('never repeats within one millisecond, across many refills of its random pool', () => {
    const at = new Date('2026-03-03T01:00:00Z');
    const ids = Array.from({ length: 20_000 }, () => newId('msg', at));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
