import type { RunCoordinator } from 'node-cron';
import type { AppContext } from '../app/context.js';
import { purgeMessageText } from '../app/purge-message-text.js';
import type { Logger } from '../ports/logger.js';
import { ScheduledJob } from './scheduled-job.js';

/** Daily, at a quiet time in the policy time zone (off the hour, when other jobs like to run). */
export const RETENTION_CRON = '17 3 * * *';

/**
 * Purges text older than the policy's `retention.messageText` once a day, plus once at start (a
 * server that is restarted more often than daily still purges). Runs never overlap; a failed run
 * is logged and the next one picks up where it stopped (each batch commits on its own).
 */
export class RetentionJob {
  private readonly job: ScheduledJob;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: Logger,
  ) {
    this.job = new ScheduledJob(log, 'retention purge failed; the next run tries again');
  }

  /** One run now (tests move the clock, then call it); waits for a run already going. */
  tick(): Promise<void> {
    return this.job.run(async () => {
      const run = await purgeMessageText(this.ctx);
      if (!run) return;
      const removed =
        run.messages + run.escalations + run.outboxEntries + run.triggerHits + run.localMessages;
      if (removed > 0) this.log.info({ ...run, cutoff: run.cutoff.toISOString() }, 'retention purge');
    });
  }

  /** Schedules the daily run; nothing when the policy keeps message text forever. */
  start(coordinator?: RunCoordinator): void {
    if (this.ctx.policy.retention.messageTextMs === undefined) return;
    this.job.schedule(RETENTION_CRON, 'retention', () => this.tick(), {
      timeZone: this.ctx.policy.timezone,
      coordinator,
    });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
