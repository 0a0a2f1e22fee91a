/**
 * What every benchmark reports: a figure (the median of several runs), the baseline measured in
 * the same run on the same machine, and the goal it is held to. `bench/run.ts` prints them as one
 * table.
 */
export interface BenchFigure {
  /** Which benchmark and size, e.g. "checker tick, 1M issues". */
  name: string;
  /** The median of the runs. */
  value: number;
  unit: 'ms' | 'per s' | 'MB' | 's' | 'x';
  /** Every run's value, so the spread is visible. */
  runs: number[];
  /** What the figure is compared with (bare Bolt, raw inserts, the 10k tick, the theoretical minimum). */
  baseline?: { name: string; value: number };
  /** value / baseline.value (or its inverse where higher is better: `higherIsBetter`). */
  ratio?: number;
  /** The goal in words and whether it was met. */
  goal: string;
  met: boolean;
  /** Anything a reader needs to read the figure (sizes, rates, dropped requests). */
  note?: string;
}

export interface BenchOptions {
  /** How many runs to take the median of. */
  runs: number;
  /** Smaller sizes for a quick check (`--quick`): the largest sizes are skipped or scaled down. */
  quick: boolean;
  /**
   * A PostgreSQL server (`--database postgres://…`) to run every benchmark on instead of SQLite
   * files: each run gets a database of its own there, dropped afterwards.
   */
  database?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The nearest-rank percentile (p in 0..100) of a list of samples. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
