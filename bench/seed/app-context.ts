import { resolve } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { loadPolicyFile } from '../../src/config/load-policy.js';
import { buildWorkCalendar } from '../../src/config/work-calendar.js';
import { openStore } from '../../src/db/open-store.js';
import type { Policy } from '../../src/domain/policy.js';
import { ManualClock } from '../../test/support/core/manual-clock.js';

const EXAMPLE_POLICY_FILE = resolve(import.meta.dirname, '../../escalation-policy.example.yaml');

let policy: Policy | undefined;

/** The committed example policy, parsed once per process the way the service parses it. */
export function examplePolicy(): Policy {
  policy ??= loadPolicyFile(EXAMPLE_POLICY_FILE);
  return policy;
}

/**
 * The use cases' context over a database (a DATABASE_URL: SQLite file or PostgreSQL) opened the
 * way the service opens it, the example policy and a clock the benchmark sets. Nothing is
 * delivered: outbox entries stay pending.
 */
export async function benchContext(
  databaseUrl: string,
  now: Date,
): Promise<{ ctx: AppContext; clock: ManualClock }> {
  const clock = new ManualClock(now);
  const policy = examplePolicy();
  const ctx: AppContext = {
    store: await openStore(databaseUrl),
    policy,
    clock,
    calendar: buildWorkCalendar(policy),
    outboxChanged: () => {},
  };
  return { ctx, clock };
}
