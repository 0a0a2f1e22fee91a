import type { Durations } from '../../domain/digest/report.js';

/**
 * The nearest-rank percentile: the ceil(percent/100 · n)-th smallest value, always one of the
 * values themselves (no interpolation), so a hand count over a short list gives the same answer.
 * Null when there are no values. `percent` is a whole number in (0, 100]: integer arithmetic keeps
 * 90 % of 70 at rank 63, where 0.9 · 70 in floating point would round up to 64.
 */
export function nearestRank(values: readonly number[], percent: number): number | null {
  return rankIn(ascending(values), percent);
}

/** How many durations, and their median and 90th percentile (nearest rank). */
export function durationsOf(values: readonly number[]): Durations {
  const sorted = ascending(values);
  return { count: values.length, p50Ms: rankIn(sorted, 50), p90Ms: rankIn(sorted, 90) };
}

/**
 * A sorted copy. A typed array sorts numbers natively, without calling a comparison function for
 * every pair: a report sorts tens of thousands of durations in every slice of both weeks.
 */
function ascending(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function rankIn(sorted: Float64Array, percent: number): number | null {
  if (!(percent > 0 && percent <= 100)) throw new RangeError(`A percentile is in (0, 100], not ${percent}`);
  if (sorted.length === 0) return null;
  return sorted[Math.ceil((percent * sorted.length) / 100) - 1]!;
}
