import { describe, expect, it } from 'vitest';
import { lastRunBetween, parseCronSchedule } from '../../../../src/domain/digest/cron-schedule.js';

describe('the digest schedule (cron)', () => {
  it('finds the last run of "0 9 * * mon" in the policy timezone', () => {
    const schedule = parseCronSchedule('0 9 * * mon');
    const run = lastRunBetween(
      schedule,
      new Date('2026-11-22T13:00:00Z'), // Monday 00:00 Sydney (UTC+11)
      new Date('2026-11-26T00:00:00Z'),
      'Australia/Sydney',
    );
    expect(run?.toISOString()).toBe('2026-11-22T22:00:00.000Z'); // Monday 09:00 Sydney
    expect(
      lastRunBetween(
        schedule,
        new Date('2026-11-22T13:00:00Z'),
        new Date('2026-11-22T21:59:00Z'),
        'Australia/Sydney',
      ),
    ).toBeUndefined();
  });

  it('keeps local wall time across a DST change', () => {
    const schedule = parseCronSchedule('30 8 * * 1');
    // The Monday after New York left DST: 08:30 EST is 13:30 UTC (it was 12:30 the week before).
    const run = lastRunBetween(
      schedule,
      new Date('2026-11-02T05:00:00Z'),
      new Date('2026-11-03T00:00:00Z'),
      'America/New_York',
    );
    expect(run?.toISOString()).toBe('2026-11-02T13:30:00.000Z');
  });

  it('reads lists, ranges, steps, names, Sunday as 7 and an optional seconds field', () => {
    const s = parseCronSchedule('0 0 9-17/4 * jan,JUL mon-fri');
    expect([...s.hours]).toEqual([9, 13, 17]);
    expect([...s.months]).toEqual([1, 7]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCronSchedule('0 9 * * 7').daysOfWeek]).toEqual([0]);
    expect([...parseCronSchedule('*/15 * * * *').minutes]).toEqual([0, 15, 30, 45]);
  });

  it('fires on either day field when both are restricted, as cron does', () => {
    const schedule = parseCronSchedule('0 9 1 * mon');
    // Tuesday 1 December 2026 (day of month) and Monday 7 December (weekday) both fire.
    const tz = 'UTC';
    expect(
      lastRunBetween(
        schedule,
        new Date('2026-11-30T10:00:00Z'),
        new Date('2026-12-01T12:00:00Z'),
        tz,
      )?.toISOString(),
    ).toBe('2026-12-01T09:00:00.000Z');
    expect(
      lastRunBetween(
        schedule,
        new Date('2026-12-02T00:00:00Z'),
        new Date('2026-12-07T12:00:00Z'),
        tz,
      )?.toISOString(),
    ).toBe('2026-12-07T09:00:00.000Z');
  });

  it.each([
    ['0 9 * *', 'use five fields'],
    ['0 25 * * mon', 'cron hour "25" is not valid: use 0-23'],
    ['0 9 * * funday', 'cron weekday "funday" is not valid'],
    ['0 9 * 13 *', 'cron month "13" is not valid'],
    ['*/0 9 * * *', 'step "0" must be a whole number'],
    ['0 17-9 * * *', 'runs backwards'],
  ])('refuses %j and says what to fix', (expression, message) => {
    expect(() => parseCronSchedule(expression)).toThrow(message);
  });
});
