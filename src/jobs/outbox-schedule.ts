import cron from 'node-cron';
import type { OutboxDispatcher } from '../app/deliver-outbox.js';
import type { Logger } from '../ports/logger.js';

/**
 * Every second: deliver what is due (retries whose backoff ran out, paused channels that may go
 * again). New effects do not wait for this; they wake the dispatcher directly.
 */
export const OUTBOX_EVERY = '* * * * * *';

export function scheduleOutbox(dispatcher: OutboxDispatcher, log: Logger) {
  return cron.schedule(
    OUTBOX_EVERY,
    () =>
      dispatcher.kick().catch((error: Error) => log.error({ error: error.message }, 'outbox pass failed')),
    { name: 'outbox', noOverlap: true },
  );
}
