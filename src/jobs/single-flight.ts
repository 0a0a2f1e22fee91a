/**
 * One run of a job at a time: a call while a run is going waits for that run instead of starting a
 * second one (a cron firing during the catch-up run at start, a test's tick during the schedule's).
 */
export class SingleFlight {
  private running: Promise<void> | null = null;

  run(work: () => Promise<void>): Promise<void> {
    if (!this.running) {
      this.running = work().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  /** Resolves when the run in progress (if any) has finished. */
  async idle(): Promise<void> {
    await this.running;
  }
}
