import type { Server } from 'node:http';
import type { Logger } from '../ports/logger.js';
import { type Drain, within } from './drain.js';

/**
 * How long a graceful stop waits for work in progress. Longer than one Slack call may take (10 s),
 * shorter than the usual 30 s a process manager grants after SIGTERM before it kills.
 */
export const DRAIN_TIMEOUT_MS = 15_000;

export interface ShutDownPlan {
  drain: Drain;
  server: Server;
  log: Logger;
  /** Epoch ms after which no step is waited for any more. */
  deadline: number;
  /** Named steps, run in order, each waited for until the deadline. */
  steps: Array<[name: string, step: () => Promise<unknown>]>;
  /** Last: closes the database. */
  close: () => Promise<void>;
}

/**
 * The graceful stop: platform routes answer 503 from now on, then each step runs and is waited
 * for. A step still busy at the deadline is given up on, but every later step is still started
 * (schedules must stop whatever happened before). What is given up on is safe: an outbox entry
 * not marked delivered stays pending and goes out at the next start (cards are looked up first).
 * Then the server and the database close.
 */
export async function shutDown(plan: ShutDownPlan): Promise<void> {
  plan.drain.start();
  for (const [name, step] of plan.steps) {
    if (!(await within(step(), plan.deadline))) {
      plan.log.warn({ step: name }, 'shutdown: stopped waiting; what is left is picked up at the next start');
    }
  }
  await new Promise<void>((resolve) => {
    plan.server.close(() => resolve());
    plan.server.closeAllConnections();
  });
  await plan.close();
}
