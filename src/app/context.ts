import type { Policy } from '../domain/policy.js';
import type { WorkCalendar } from '../domain/sla-clock.js';
import type { Clock } from '../ports/clock.js';
import type { Directory } from '../ports/directory-port.js';
import type { Store } from '../ports/store.js';

/** What every use case needs: the database, the policy, the time, and a way to wake the outbox. */
export interface AppContext {
  store: Store;
  policy: Policy;
  clock: Clock;
  /** Working days, hours and holidays of the policy, for business-hours SLA clocks. */
  calendar: WorkCalendar;
  /** Tells the dispatcher that new outbox entries are waiting, so cards go out at once. */
  outboxChanged(): void;
  /**
   * Channel and group members, to decide who may act at a level. `startEscalator` always sets it;
   * core tests that wire no platform leave it out, and then channel membership is not checked.
   */
  directory?: Directory;
}
