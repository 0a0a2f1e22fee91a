import type { Clock } from '../../../src/ports/clock.js';

/** A clock that only moves when a test moves it, so nothing ever has to sleep. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-03-02T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(date: Date | string): void {
    this.current = new Date(date).getTime();
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}
