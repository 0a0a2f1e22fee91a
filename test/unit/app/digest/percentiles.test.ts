import { describe, expect, it } from 'vitest';
import { durationsOf, nearestRank } from '../../../../src/app/digest/percentiles.js';

describe('nearest-rank percentiles', () => {
  it('is the ceil(p·n)-th smallest value, never an interpolation', () => {
    const values = [40, 10, 30, 20]; // sorted: 10 20 30 40
    expect(nearestRank(values, 50)).toBe(20); // ceil(2) = 2nd
    expect(nearestRank(values, 90)).toBe(40); // ceil(3.6) = 4th
    expect(nearestRank(values, 25)).toBe(10); // ceil(1) = 1st
    expect(nearestRank(values, 26)).toBe(20); // ceil(1.04) = 2nd
    expect(nearestRank(values, 100)).toBe(40);
  });

  it('an odd count has its middle value as the median', () => {
    expect(nearestRank([5, 1, 3], 50)).toBe(3); // ceil(1.5) = 2nd
  });

  it('one value is every percentile', () => {
    expect(nearestRank([7], 50)).toBe(7);
    expect(nearestRank([7], 90)).toBe(7);
  });

  it('is null without values', () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(durationsOf([])).toEqual({ count: 0, p50Ms: null, p90Ms: null });
  });

  it('lands on the exact rank where floating point would round past it (90% of 70 is the 63rd)', () => {
    const values = Array.from({ length: 70 }, (_, i) => i + 1); // the k-th smallest is k
    expect(nearestRank(values, 90)).toBe(63);
    expect(nearestRank(values, 50)).toBe(35);
  });

  it('does not reorder the caller’s values', () => {
    const values = [3, 1, 2];
    nearestRank(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('rejects a percentile outside (0, 100]', () => {
    expect(() => nearestRank([1], 0)).toThrow(RangeError);
    expect(() => nearestRank([1], 101)).toThrow(RangeError);
  });

  it('durations carry the count, the median and the 90th percentile', () => {
    expect(durationsOf([60_000, 120_000, 180_000, 600_000])).toEqual({
      count: 4,
      p50Ms: 120_000,
      p90Ms: 600_000,
    });
  });
});
