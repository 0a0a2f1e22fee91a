import type { RunCoordinator } from 'node-cron';
import type { AppContext } from '../app/context.js';
import { runCheckerTick } from '../app/run-checker-tick.js';
import type { Logger } from '../ports/logger.js';
import { ScheduledJob } from './scheduled-job.js';

/**
 * The policy's `checker.every` as a cron expression (six fields, seconds allowed). Intervals must
 * divide a minute, an hour or a day evenly, as cron steps do (5s, 30s, 1m, 15m, 1h, …).
 */
export function checkerCron(everyMs: number): string {
  const seconds = everyMs / 1000;
  if (Number.isInteger(seconds) && seconds < 60 && 60 % seconds === 0) return `*/${seconds} * * * * *`;
  const minutes = everyMs / 60_000;
  if (Number.isInteger(minutes) && minutes < 60 && 60 % minutes === 0) return `0 */${minutes} * * * *`;
  const hours = everyMs / 3_600_000;
  if (Number.isInteger(hours) && hours <= 24 && 24 % hours === 0) return `0 0 */${hours} * * *`;
  throw new Error(
    `checker.every must divide a minute, an hour or a day evenly (such as 5s, 30s, 1m, 5m, 15m, 1h); got ${everyMs / 1000}s`,
  );
}

/**
 * Runs checker ticks on the policy's schedule. Ticks never overlap: node-cron skips a run while the
 * last is still going, and so does the guard here (the first tick at start runs outside cron).
 */
export class CheckerJob {
  private readonly job: ScheduledJob;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: Logger,
  ) {
    this.job = new ScheduledJob(log, 'checker tick failed; it will run again');
  }

  /** One tick now (tests call this after moving the clock); waits for a tick already running. */
  tick(): Promise<void> {
    return this.job.run(async () => {
      const summary = await runCheckerTick(this.ctx);
      const busy =
        summary.slaBreaches +
        summary.ladderSteps +
        Object.values(summary.triggerHits).reduce((a, b) => a + b, 0);
      if (busy > 0) this.log.info({ ...summary }, 'checker tick');
    });
  }

  start(everyMs: number, coordinator?: RunCoordinator): void {
    this.job.schedule(checkerCron(everyMs), 'checker', () => this.tick(), { coordinator });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
