import { describe, expect, it } from 'vitest';
import { SerialLock } from '../../../src/db/serial-lock.js';

describe('the store lock: one unit of work at a time, in order, without holding the event loop', () => {
  it('runs queued work one at a time, first in first out, a failure not stopping the rest', async () => {
    const lock = new SerialLock();
    const log: string[] = [];
    const unit = (name: string, fail = false) =>
      lock.run(async () => {
        log.push(`${name} start`);
        await Promise.resolve();
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([unit('a'), unit('b', true), unit('c')]);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('a backlog of work lets other callbacks (a request to answer) run before it is all done', async () => {
    const lock = new SerialLock();
    let done = 0;
    const backlog = Array.from({ length: 100 }, () =>
      lock.run(async () => {
        done += 1;
      }),
    );
    // What an HTTP request waiting to be answered looks like to the event loop.
    const doneWhenAnswered = new Promise<number>((resolve) => setImmediate(() => resolve(done)));
    expect(await doneWhenAnswered).toBeLessThan(100);
    await Promise.all(backlog);
    expect(done).toBe(100);
  });
});
