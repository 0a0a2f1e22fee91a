import { resolve } from 'node:path';
import type { AppContext } from '../../../src/app/context.js';
import { loadPolicyFile } from '../../../src/config/load-policy.js';
import { buildWorkCalendar } from '../../../src/config/work-calendar.js';
import type { Policy } from '../../../src/domain/policy.js';
import { ManualClock } from './manual-clock.js';
import { createTempStore, type TempStore } from './temp-store.js';

export const EXAMPLE_POLICY_FILE = resolve(import.meta.dirname, '../../../escalation-policy.example.yaml');

/** The committed example policy, parsed the way the service parses it. */
export function examplePolicy(): Policy {
  return loadPolicyFile(EXAMPLE_POLICY_FILE);
}

export interface TestContext {
  ctx: AppContext;
  clock: ManualClock;
  store: TempStore['store'];
  /** The database behind the store (for `readOutbox` and the other raw readers). */
  dbUrl: string;
  policy: Policy;
  /** How many times the core asked the outbox to wake up. */
  outboxChanges(): number;
  cleanup(): Promise<void>;
}

/** An `AppContext` over the example policy, a database of its own (`createTempStore`) and a manual clock. */
export async function createTestContext(
  options: { start?: Date | string; policy?: Policy } = {},
): Promise<TestContext> {
  const temp = await createTempStore();
  const clock = new ManualClock(options.start);
  const policy = options.policy ?? examplePolicy();
  let changes = 0;
  const ctx: AppContext = {
    store: temp.store,
    policy,
    clock,
    calendar: buildWorkCalendar(policy),
    outboxChanged: () => {
      changes += 1;
    },
  };
  return {
    ctx,
    clock,
    store: temp.store,
    dbUrl: temp.url,
    policy,
    outboxChanges: () => changes,
    cleanup: temp.cleanup,
  };
}
