import { hostname } from 'node:os';
import type { RunCoordinator } from 'node-cron';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';

/**
 * This process's name among the replicas: its host and port. A replica restarted in its place
 * (same host, same port) has the same name, so it takes back at once the outbox entries it was
 * delivering when it died instead of waiting for their claims to expire. Two live processes cannot
 * share a host and port; with port 0 (any free port) the process id stands in.
 */
export function replicaName(port: number): string {
  return `${hostname()}:${port === 0 ? `pid${process.pid}` : port}`;
}

/**
 * node-cron's run coordinator over the database: a scheduled run's key (job and slot time) is
 * claimed in `run_leases`, so with several replicas each run happens on exactly one of them. A
 * replica that dies mid-run simply misses that slot; the next slot's key is new, and whichever
 * replica claims it runs it, so the work is picked up within one interval.
 */
export function databaseRunCoordinator(store: Store, clock: Clock, replica: string): RunCoordinator {
  return {
    shouldRun(key, ttlMs) {
      const now = clock.now();
      return store.runLeases.claim(key, replica, new Date(now.getTime() + ttlMs), now);
    },
  };
}
