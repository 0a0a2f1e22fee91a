/**
 * What the digest's picture shows: escalations per day, stacked by trigger, and the median time to
 * resolve of the escalations opened that day. Data only; an adapter renders it to PNG.
 */
export interface DigestChart {
  title: string;
  /** Local dates in the policy timezone, `YYYY-MM-DD`, one per day of the period, in order. */
  days: string[];
  /** One series per trigger that fired in the period; `counts[i]` belongs to `days[i]`. */
  series: Array<{ trigger: string; label: string; counts: number[] }>;
  /** Median time to resolve in hours of the escalations opened that day; null when none resolved. */
  medianResolveHours: Array<number | null>;
}
