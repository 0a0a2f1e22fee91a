import { describe, expect, it } from 'vitest';
import { PLATFORM_PACING } from '../../../../src/app/outbox/delivery-settings.js';
import { Pacer } from '../../../../src/app/outbox/pacer.js';

/** Calls as fast as the pacer lets them, each taking `takesMs`; returns when each one started. */
function run(pacer: Pacer, calls: number, takesMs = 0, from = 0): number[] {
  const starts: number[] = [];
  let now = from;
  for (let i = 0; i < calls; i += 1) {
    now += pacer.waitMs(now);
    starts.push(now);
    now += takesMs;
    pacer.finishedAt(now);
  }
  return starts;
}

describe('Pacer', () => {
  it('Slack: one call a second, counted from when the previous call finished', () => {
    const pacer = new Pacer(PLATFORM_PACING.slack);
    expect(pacer.waitMs(0)).toBe(0);
    expect(run(pacer, 4, 200)).toEqual([0, 1200, 2400, 3600]);
  });

  it('Teams: 7 in a second, then the 30-second window holds the 61st call back', () => {
    const pacer = new Pacer(PLATFORM_PACING.teams);
    const starts = run(pacer, 61, 10);
    // The first seven go at once, the eighth waits a second after the first finished.
    expect(starts.slice(0, 8)).toEqual([0, 10, 20, 30, 40, 50, 60, 1010]);
    // In any second at most 7 calls start; in any 30 seconds at most 60.
    for (const [i, start] of starts.entries()) {
      expect(
        starts.filter((s) => s >= start && s < start + 1000).length,
        `from call ${i}`,
      ).toBeLessThanOrEqual(7);
    }
    expect(starts[60]! - starts[0]!).toBeGreaterThanOrEqual(30_000);
  });

  it('is quiet once its longest window has passed since the last call', () => {
    const pacer = new Pacer(PLATFORM_PACING.slack);
    expect(pacer.isQuiet(0)).toBe(true);
    pacer.finishedAt(100);
    expect(pacer.isQuiet(1099)).toBe(false);
    expect(pacer.isQuiet(1100)).toBe(true);
  });
});
