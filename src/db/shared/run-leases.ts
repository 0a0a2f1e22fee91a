/** Leases of past runs are kept a week (to see which replica ran what), then pruned. */
export const LEASES_KEPT_MS = 7 * 24 * 60 * 60_000;
