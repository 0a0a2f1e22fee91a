/**
 * Runs async work one at a time. A single SQLite connection has one transaction at a time, so
 * every unit of work (and every write outside one) takes its turn here.
 */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
