import type { Durations } from '../../domain/digest/report.js';

/**
 * The nearest-rank percentile: the ceil(percent/100 · n)-th smallest value, always one of the
 * values themselves (no interpolation), so a hand count over a short list gives the same answer.
 * Null when there are no values. `percent` is a whole number in (0, 100]: integer arithmetic keeps
 * 90 % of 70 at rank 63, where 0.9 · 70 in floating point would round up to 64.
 */
export function nearestRank(values: readonly number[], percent: number): number | null {
  if (!(percent > 0 && percent <= 100)) throw new RangeError(`A percentile is in (0, 100], not ${percent}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((percent * values.length) / 100) - 1]!;
}

/** How many durations, and their median and 90th percentile (nearest rank). */
export function durationsOf(values: readonly number[]): Durations {
  return { count: values.length, p50Ms: nearestRank(values, 50), p90Ms: nearestRank(values, 90) };
}
