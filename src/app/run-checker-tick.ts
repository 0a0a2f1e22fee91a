import { checkSla } from './checker/check-sla.js';
import { climbLadder } from './checker/climb-ladder.js';
import { processTriggerHits } from './checker/process-trigger-hits.js';
import type { AppContext } from './context.js';

/** Items per query per pass; a tick keeps going until nothing is due, so a backlog drains. */
const BATCH = 200;

export interface TickSummary {
  triggerHits: Record<string, number>;
  slaBreaches: number;
  ladderSteps: number;
}

/**
 * One checker tick: what content triggers found, SLA deadlines that passed, and the ack ladder.
 * Every query asks only for what is due (indexed deadlines), so a tick costs what is due, not what
 * is stored; every item is its own transaction, so a failure leaves nothing half-done.
 */
export async function runCheckerTick(ctx: AppContext): Promise<TickSummary> {
  const summary: TickSummary = { triggerHits: {}, slaBreaches: 0, ladderSteps: 0 };
  for (;;) {
    const hits = await ctx.store.triggers.listPendingHits(BATCH);
    for (const [outcome, n] of Object.entries(await processTriggerHits(ctx, hits))) {
      summary.triggerHits[outcome] = (summary.triggerHits[outcome] ?? 0) + n;
    }
    const breaches = await checkSla(ctx, BATCH);
    const steps = await climbLadder(ctx, BATCH);
    summary.slaBreaches += breaches;
    summary.ladderSteps += steps;
    if (hits.length < BATCH && breaches < BATCH && steps < BATCH) return summary;
  }
}
