import { describe, expect, it } from 'vitest';
import { countdownText, runningCountdown } from '../../../src/app/dashboard/sla-countdown.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('countdownText', () => {
  it.each([
    [29 * M + 59 * S, '29m 59s left'],
    [5 * S, '5s left'],
    [0, '0s left'],
    [H + 5 * M, '1h 05m left'],
    [47 * H + 59 * M, '47h 59m left'],
    [2 * D + 4 * H + 30 * M, '2d 4h left'],
    [-12 * M - 30 * S, 'overdue by 12m'],
    [-40 * S, 'overdue by 40s'],
    [-(3 * H + 7 * M), 'overdue by 3h 07m'],
    [-(3 * D + H), 'overdue by 3d 1h'],
  ])('%i ms → %s', (ms, text) => {
    expect(countdownText(ms)).toBe(text);
  });
});

describe('runningCountdown', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  const ack = new Date('2026-03-02T10:30:00Z');
  const resolve = new Date('2026-03-02T14:00:00Z');

  it('runs the claim deadline while open, the resolve deadline once claimed', () => {
    expect(runningCountdown({ status: 'open', ackDueAt: ack, resolveDueAt: resolve }, now)).toEqual({
      kind: 'claim',
      dueAt: ack.toISOString(),
      remainingMs: 30 * M,
      overdue: false,
      text: '30m 00s left',
    });
    expect(runningCountdown({ status: 'claimed', ackDueAt: ack, resolveDueAt: resolve }, now)).toMatchObject({
      kind: 'resolve',
      remainingMs: 4 * H,
    });
  });

  it('falls back to the resolve deadline when the level sets no claim deadline, and is late once past', () => {
    expect(
      runningCountdown(
        { status: 'open', ackDueAt: null, resolveDueAt: resolve },
        new Date('2026-03-02T14:12:00Z'),
      ),
    ).toMatchObject({ kind: 'resolve', overdue: true, text: 'overdue by 12m' });
  });

  it('runs nothing when no deadline is set or nobody has to act any more', () => {
    expect(runningCountdown({ status: 'claimed', ackDueAt: ack, resolveDueAt: null }, now)).toBeNull();
    expect(runningCountdown({ status: 'resolved', ackDueAt: ack, resolveDueAt: resolve }, now)).toBeNull();
    expect(runningCountdown({ status: 'superseded', ackDueAt: ack, resolveDueAt: resolve }, now)).toBeNull();
  });
});
