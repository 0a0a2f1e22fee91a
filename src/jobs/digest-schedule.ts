import cron from 'node-cron';
import type { AppContext } from '../app/context.js';
import { sendDueDigest } from '../app/digest/send-digest.js';
import type { Logger } from '../ports/logger.js';

/**
 * Posts the weekly digest on the policy's `digest.schedule`, in the policy timezone. Each run (and
 * the catch-up run at start) asks `sendDueDigest`, which knows from the `digests` table whether
 * the week was already sent, so restarts and missed runs send it exactly once.
 */
export class DigestJob {
  private running: Promise<unknown> | null = null;
  private task: ReturnType<typeof cron.schedule> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: Logger,
  ) {}

  /** One run now (tests move the clock, then call it); waits for a run already going. */
  async tick(): Promise<void> {
    if (this.running) {
      await this.running;
      return;
    }
    this.running = sendDueDigest(this.ctx)
      .then((outcome) => {
        if (outcome.sent)
          this.log.info({ period: outcome.period, channels: outcome.channels }, 'digest sent');
      })
      .catch((error: Error) =>
        this.log.error({ error: error.message }, 'digest run failed; the next run tries again'),
      )
      .finally(() => {
        this.running = null;
      });
    await this.running;
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
    await this.running;
  }
}
