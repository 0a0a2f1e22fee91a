/** At most `calls` calls within any `perMs` milliseconds. */
export interface RateWindow {
  calls: number;
  perMs: number;
}

/**
 * Real time. Pacing spaces real HTTP calls, so it cannot run on the core's clock (which tests hold
 * still); the pacer's own tests pass a timer they move by hand.
 */
export interface Timer {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Spaces the calls of one lane so that no window ever holds more than its share of calls. Calls are
 * counted from when they *finished*: the platform received each one before that, so however the
 * network delayed them, two calls can never arrive closer together than the windows allow.
 */
export class Pacer {
  /** When recent calls finished, oldest first; only the last `most` ones can ever matter. */
  private readonly finished: number[] = [];
  private readonly most: number;
  private readonly longest: number;

  constructor(private readonly windows: RateWindow[]) {
    this.most = Math.max(0, ...windows.map((w) => w.calls));
    this.longest = Math.max(0, ...windows.map((w) => w.perMs));
  }

  /** How long to wait before the next call may start (0: now). */
  waitMs(now: number): number {
    let wait = 0;
    for (const { calls, perMs } of this.windows) {
      // The call `calls` back must have finished a whole window ago.
      const nth = this.finished[this.finished.length - calls];
      if (nth !== undefined) wait = Math.max(wait, nth + perMs - now);
    }
    return wait;
  }

  /** Records that a call (delivered or failed: the platform counted it either way) has finished. */
  finishedAt(now: number): void {
    this.finished.push(now);
    if (this.finished.length > this.most) this.finished.splice(0, this.finished.length - this.most);
  }

  /** Nothing it remembers can hold up a call any more, so the lane may be forgotten. */
  isQuiet(now: number): boolean {
    const last = this.finished.at(-1);
    return last === undefined || last + this.longest <= now;
  }
}
