import cron from 'node-cron';
import type { AppContext } from '../app/context.js';
import { sendDueDigest } from '../app/digest/send-digest.js';
import type { Logger } from '../ports/logger.js';
import { SingleFlight } from './single-flight.js';

/**
 * Posts the weekly digest on the policy's `digest.schedule`, in the policy timezone. Each run (and
 * the catch-up run at start) asks `sendDueDigest`, which knows from the `digests` table whether
 * the week was already sent, so restarts and missed runs send it exactly once.
 */
export class DigestJob {
  private readonly flight = new SingleFlight();
  private task: ReturnType<typeof cron.schedule> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: Logger,
  ) {}

  /** One run now (tests move the clock, then call it); waits for a run already going. */
  tick(): Promise<void> {
    return this.flight.run(() =>
      sendDueDigest(this.ctx).then(
        (outcome) => {
          if (outcome.sent)
            this.log.info({ period: outcome.period, channels: outcome.channels }, 'digest sent');
        },
        (error: Error) =>
          this.log.error({ error: error.message }, 'digest run failed; the next run tries again'),
      ),
    );
  }

  start(): void {
    const digest = this.ctx.policy.digest;
    if (!digest) return;
    this.task = cron.schedule(digest.schedule, () => this.tick(), {
      name: 'digest',
      timezone: this.ctx.policy.timezone,
      noOverlap: true,
    });
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.flight.idle();
  }
}
