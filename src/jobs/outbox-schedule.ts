import cron from 'node-cron';
import type { OutboxDispatcher } from '../app/deliver-outbox.js';
import type { Logger } from '../ports/logger.js';

/**
 * Every second: deliver what is due (retries whose backoff ran out, paused channels that may go
 * again). New effects do not wait for this; they wake the dispatcher directly.
 */
export const OUTBOX_EVERY = '* * * * * *';

export function scheduleOutbox(dispatcher: OutboxDispatcher, log: Logger) {
  // Fire and forget: a pass waits until every lane is quiet, which under a paced backlog takes many
  // seconds; the dispatcher merges overlapping kicks, so the schedule must not wait for the pass
  // (node-cron would report every skipped second as an overlap).
  return cron.schedule(
    OUTBOX_EVERY,
    () => {
      void dispatcher
        .kick()
        .catch((error: Error) => log.error({ error: error.message }, 'outbox pass failed'));
    },
    { name: 'outbox' },
  );
}
