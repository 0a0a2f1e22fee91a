import type { Repositories, Store } from '../../src/ports/store.js';
import type { EscalatorMetrics } from './escalator-metrics.js';

type Counted = Pick<Repositories, 'processedEvents' | 'escalations' | 'outbox'>;

/**
 * Counts what only the store sees: inbound events recognised as duplicates (an event key remembered
 * before: a platform retry, a double-submitted form), escalations created and outbox entries parked
 * as dead. Inside a transaction they are counted when it commits, so work that rolls back counts
 * nothing.
 */
export function countStoreWrites<S extends Store>(store: S, metrics: EscalatorMetrics): S {
  const counted = (repos: Repositories, count: (increment: () => void) => void): Counted => ({
    processedEvents: {
      ...repos.processedEvents,
      async remember(key, at) {
        const fresh = await repos.processedEvents.remember(key, at);
        const labels = fresh ? undefined : duplicateLabels(key);
        if (labels) count(() => metrics.inboundDuplicates.inc(labels));
        return fresh;
      },
    },
    escalations: {
      ...repos.escalations,
      async create(escalation) {
        await repos.escalations.create(escalation);
        count(() => metrics.escalationsCreated.inc({ path: escalation.path, trigger: escalation.trigger }));
      },
    },
    outbox: {
      ...repos.outbox,
      async markDead(id, error) {
        await repos.outbox.markDead(id, error);
        count(() => metrics.outboxDead.inc());
      },
    },
  });

  return {
    ...store,
    ...counted(store, (increment) => increment()),
    async transaction(work) {
      const onCommit: (() => void)[] = [];
      const result = await store.transaction((tx) => {
        // PostgreSQL may run the work again after a serialization failure: count the last attempt only.
        onCommit.length = 0;
        return work({ ...tx, ...counted(tx, (increment) => onCommit.push(increment)) });
      });
      for (const increment of onCommit) increment();
      return result;
    },
  };
}

/**
 * Event keys are `<platform>:<kind>:<id>` (`slack:event:Ev1`, `teams:activity:…`, `slack:view:V1`).
 * Backfilled history (`slack:backfill:…`) is Escalator reading a thread, not a platform sending
 * something twice, so it is not a duplicate.
 */
function duplicateLabels(key: string): { platform: string; kind: string } | undefined {
  const [platform, kind] = key.split(':');
  if (!platform || !kind || kind === 'backfill') return undefined;
  return { platform, kind };
}
