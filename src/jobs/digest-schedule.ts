import type { RunCoordinator } from 'node-cron';
import type { AppContext } from '../app/context.js';
import { sendDueDigest } from '../app/digest/send-digest.js';
import type { Logger } from '../ports/logger.js';
import { ScheduledJob } from './scheduled-job.js';

/**
 * Posts the weekly digest on the policy's `digest.schedule`, in the policy timezone. Each run (and
 * the catch-up run at start) asks `sendDueDigest`, which knows from the `digests` table whether
 * the week was already sent, so restarts and missed runs send it exactly once.
 */
export class DigestJob {
  private readonly job: ScheduledJob;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: Logger,
  ) {
    this.job = new ScheduledJob(log, 'digest run failed; the next run tries again');
  }

  /** One run now (tests move the clock, then call it); waits for a run already going. */
  tick(): Promise<void> {
    return this.job.run(async () => {
      const outcome = await sendDueDigest(this.ctx);
      if (outcome.sent) this.log.info({ period: outcome.period, channels: outcome.channels }, 'digest sent');
    });
  }

  start(coordinator?: RunCoordinator): void {
    const digest = this.ctx.policy.digest;
    if (!digest) return;
    this.job.schedule(digest.schedule, 'digest', () => this.tick(), {
      timeZone: this.ctx.policy.timezone,
      coordinator,
    });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
