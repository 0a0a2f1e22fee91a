/**
 * Runs async work one at a time. A single SQLite connection has one transaction at a time, so
 * every unit of work (and every write outside one) takes its turn here.
 *
 * SQLite calls are synchronous, so units that follow each other without waiting for I/O would hold
 * the event loop for as long as all of them take, and no request would be answered meanwhile. That
 * is what a burst of Slack events does: Bolt answers each one, then stores it, and with 1,000 a
 * second the storing alone filled the loop, so later events waited seconds for their HTTP 200
 * (bench/ack-latency.bench.ts). So a unit starts at once only when the lock is free and the units
 * before it in this turn of the event loop have taken less than `SLICE_MS`; otherwise it starts on
 * a later turn, after the loop has taken in I/O (new requests, answers). The order stays first in,
 * first out.
 */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private sliceStart = 0;
  private sliceOpen = false;

  run<T>(work: () => Promise<T>): Promise<T> {
    const start = this.waiting === 0 && this.withinSlice() ? this.tail : this.tail.then(nextTurn);
    this.waiting += 1;
    const result = start.then(work, work);
    this.tail = result.then(
      () => this.done(),
      () => this.done(),
    );
    return result;
  }

  /** True while the units run in this turn of the event loop have taken less than the slice. */
  private withinSlice(): boolean {
    const now = performance.now();
    if (!this.sliceOpen) {
      // The first unit of a turn opens a slice; the check phase of this turn closes it.
      this.sliceOpen = true;
      this.sliceStart = now;
      setImmediate(() => {
        this.sliceOpen = false;
      });
    }
    return now - this.sliceStart < SLICE_MS;
  }

  private done(): void {
    this.waiting -= 1;
  }
}

/** How long units may run back to back before the loop gets a turn (a unit is usually well under 1 ms). */
const SLICE_MS = 5;

/** Lets the event loop take in I/O (new requests) before the next unit of work. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
