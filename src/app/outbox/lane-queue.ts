import type { OutboxEntry } from '../../ports/outbox.js';
import type { Lane } from './lanes.js';
import type { Pacer } from './pacer.js';

/** A lane's state in the dispatcher: what is queued to it, who works it, and what holds it back. */
export class LaneQueue {
  /** Entries taken from the outbox for this lane, in outbox order, not yet tried. */
  readonly entries: OutboxEntry[] = [];
  /** The worker delivering them one at a time, while there is one. */
  worker: Promise<void> | null = null;
  /** Core-clock time (ms) before which the platform asked not to be called (429 `Retry-After`). */
  pausedUntil = 0;

  constructor(
    readonly lane: Lane,
    /** Real-time pacing of its calls, where the platform sets a pace. */
    readonly pacer: Pacer | undefined,
  ) {}

  isPaused(clockNow: number): boolean {
    return this.pausedUntil > clockNow;
  }

  /** Nothing queued, nobody working, nothing to remember: it can be dropped and made afresh later. */
  isForgettable(clockNow: number, realNow: number): boolean {
    return (
      this.entries.length === 0 &&
      !this.worker &&
      !this.isPaused(clockNow) &&
      (this.pacer?.isQuiet(realNow) ?? true)
    );
  }
}
