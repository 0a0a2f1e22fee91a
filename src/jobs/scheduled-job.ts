import cron, { type RunCoordinator } from 'node-cron';
import type { Logger } from '../ports/logger.js';

export interface ScheduleOptions {
  timeZone?: string;
  /** Decides which replica runs a slot; without it every process runs every slot. */
  coordinator?: RunCoordinator;
}

/**
 * What every scheduled job (checker, digest, retention) shares: one run at a time (a call while a
 * run is going waits for that run instead of starting a second, so a cron firing during the
 * catch-up run at start does nothing twice), a failed run logged and left to the next one, and a
 * node-cron schedule that stop() ends after the run in progress.
 */
export class ScheduledJob {
  private running: Promise<void> | null = null;
  private task: ReturnType<typeof cron.schedule> | null = null;

  constructor(
    private readonly log: Logger,
    /** Logged when a run fails, e.g. "checker tick failed; it will run again". */
    private readonly failure: string,
  ) {}

  run(work: () => Promise<void>): Promise<void> {
    if (!this.running) {
      this.running = work()
        .catch((error: Error) => this.log.error({ error: error.message }, this.failure))
        .finally(() => {
          this.running = null;
        });
    }
    return this.running;
  }

  schedule(expression: string, name: string, run: () => Promise<void>, options: ScheduleOptions = {}): void {
    const { timeZone, coordinator } = options;
    this.task = cron.schedule(expression, run, {
      name,
      noOverlap: true,
      ...(timeZone ? { timezone: timeZone } : {}),
      // With several replicas, each run (job and slot) goes to the replica that claims it first.
      ...(coordinator ? { distributed: true, runCoordinator: coordinator } : {}),
    });
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.running;
  }
}
