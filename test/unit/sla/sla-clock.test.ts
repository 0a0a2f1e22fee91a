import { describe, expect, it } from 'vitest';
import {
  addWorkingTime,
  deadlineAfter,
  instantAtLocalTime,
  type WorkCalendar,
  workingTimeBetween,
} from '../../../src/domain/sla-clock.js';
import { calendar, DAY, HOUR, MINUTE, readLocal, SECOND, WEEK } from './calendars.js';

const SYDNEY = 'Australia/Sydney';
const NEW_YORK = 'America/New_York';

const sydney = calendar(SYDNEY);
const newYork = calendar(NEW_YORK);

const at = (iso: string) => new Date(iso);

// Sydney: AEDT (+11) until 03:00 on Sunday 2026-04-05, back to 02:00 AEST (+10); AEST until 02:00 on
// Sunday 2026-10-04, forward to 03:00 AEDT. New York: EST (-5) until 02:00 on Sunday 2026-03-08,
// forward to 03:00 EDT (-4); EDT until 02:00 on Sunday 2026-11-01, back to 01:00 EST.

describe('addWorkingTime (business clock)', () => {
  it.each<[string, WorkCalendar, string, number, string]>([
    // Daylight saving: the working day is 09:00-17:00 local on either side of the change.
    [
      'Sydney, April change: 2h from Friday 16:00',
      sydney,
      '2026-04-03T16:00:00+11:00',
      2 * HOUR,
      '2026-04-06T10:00:00+10:00',
    ],
    [
      'Sydney, October change: 2h from Friday 16:00',
      sydney,
      '2026-10-02T16:00:00+10:00',
      2 * HOUR,
      '2026-10-05T10:00:00+11:00',
    ],
    [
      'Sydney, April change: 3 days from Thursday 09:00',
      sydney,
      '2026-04-02T09:00:00+11:00',
      24 * HOUR,
      '2026-04-06T17:00:00+10:00',
    ],
    [
      'Sydney, October change: 1 day from Friday 12:00',
      sydney,
      '2026-10-02T12:00:00+10:00',
      8 * HOUR,
      '2026-10-05T12:00:00+11:00',
    ],
    [
      'New York, March change: 2h from Friday 16:00',
      newYork,
      '2026-03-06T16:00:00-05:00',
      2 * HOUR,
      '2026-03-09T10:00:00-04:00',
    ],
    [
      'New York, November change: 2h from Friday 16:00',
      newYork,
      '2026-10-30T16:00:00-04:00',
      2 * HOUR,
      '2026-11-02T10:00:00-05:00',
    ],
    [
      'New York, November change: 30m from Friday 16:45',
      newYork,
      '2026-10-30T16:45:00-04:00',
      30 * MINUTE,
      '2026-11-02T09:15:00-05:00',
    ],
    // Weekends and holidays.
    [
      '4h from Friday 16:00 lands Monday 12:00',
      sydney,
      '2026-06-12T16:00:00+10:00',
      4 * HOUR,
      '2026-06-15T12:00:00+10:00',
    ],
    [
      '... or Tuesday 12:00 when Monday is a holiday',
      calendar(SYDNEY, { holidays: ['2026-06-15'] }),
      '2026-06-12T16:00:00+10:00',
      4 * HOUR,
      '2026-06-16T12:00:00+10:00',
    ],
    [
      'a holiday week in the middle',
      calendar(SYDNEY, { holidays: ['2026-06-15', '2026-06-16', '2026-06-17', '2026-06-18', '2026-06-19'] }),
      '2026-06-12T16:00:00+10:00',
      2 * HOUR,
      '2026-06-22T10:00:00+10:00',
    ],
    [
      'weekend working days count',
      calendar(SYDNEY, { days: ['sat', 'sun'] }),
      '2026-06-12T16:00:00+10:00',
      10 * HOUR,
      '2026-06-14T11:00:00+10:00',
    ],
    // Opened outside working hours: the clock starts at the next opening.
    ['opened on Saturday', sydney, '2026-06-13T10:00:00+10:00', HOUR, '2026-06-15T10:00:00+10:00'],
    ['opened before opening', sydney, '2026-06-16T07:00:00+10:00', 30 * MINUTE, '2026-06-16T09:30:00+10:00'],
    ['opened after closing', sydney, '2026-06-16T18:00:00+10:00', 30 * MINUTE, '2026-06-17T09:30:00+10:00'],
    ['opened exactly at closing', sydney, '2026-06-16T17:00:00+10:00', SECOND, '2026-06-17T09:00:01+10:00'],
    ['opened exactly at opening', sydney, '2026-06-16T09:00:00+10:00', HOUR, '2026-06-16T10:00:00+10:00'],
    [
      'opened on a holiday',
      calendar(SYDNEY, { holidays: ['2026-06-16'] }),
      '2026-06-16T10:00:00+10:00',
      HOUR,
      '2026-06-17T10:00:00+10:00',
    ],
    // Boundaries: a target that uses up the day ends at closing, not at the next opening.
    [
      'a full day ends at closing',
      sydney,
      '2026-06-15T09:00:00+10:00',
      8 * HOUR,
      '2026-06-15T17:00:00+10:00',
    ],
    [
      'the rest of the day ends at closing',
      sydney,
      '2026-06-12T16:00:00+10:00',
      HOUR,
      '2026-06-12T17:00:00+10:00',
    ],
    ['zero is the start itself', sydney, '2026-06-13T10:00:00+10:00', 0, '2026-06-13T10:00:00+10:00'],
    // Second-level durations.
    ['5s inside hours', sydney, '2026-06-15T10:00:00+10:00', 5 * SECOND, '2026-06-15T10:00:05+10:00'],
    ['5s over the weekend', sydney, '2026-06-12T16:59:58+10:00', 5 * SECOND, '2026-06-15T09:00:03+10:00'],
    ['5s opened at night', sydney, '2026-06-15T23:59:59+10:00', 5 * SECOND, '2026-06-16T09:00:05+10:00'],
    ['milliseconds survive', sydney, '2026-06-12T16:59:59.750+10:00', 500, '2026-06-15T09:00:00.250+10:00'],
    // Long targets: 1w is 168 working hours, 21 working days of 8h.
    ['1w from Monday 09:00', sydney, '2026-06-01T09:00:00+10:00', WEEK, '2026-06-29T17:00:00+10:00'],
    ['1w across the October change', sydney, '2026-09-21T13:00:00+10:00', WEEK, '2026-10-20T13:00:00+11:00'],
    [
      '1w across the November change',
      newYork,
      '2026-10-19T09:00:00-04:00',
      WEEK,
      '2026-11-16T17:00:00-05:00',
    ],
  ])('%s', (_name, cal, from, ms, expected) => {
    expect(addWorkingTime(at(from), ms, cal).toISOString()).toBe(at(expected).toISOString());
  });

  it('counts a transition Sunday by the real time between its local opening and closing', () => {
    // 00:00-06:00 on Sundays: 5 real hours on the spring-forward day, 7 on the fall-back day.
    const sundays = calendar(SYDNEY, { days: ['sun'], start: '00:00', end: '06:00' });
    expect(addWorkingTime(at('2026-10-04T00:00:00+10:00'), 5 * HOUR, sundays)).toEqual(
      at('2026-10-04T06:00:00+11:00'),
    );
    expect(addWorkingTime(at('2026-10-04T00:00:00+10:00'), 3 * HOUR, sundays)).toEqual(
      at('2026-10-04T04:00:00+11:00'),
    );
    expect(addWorkingTime(at('2026-04-05T00:00:00+11:00'), 7 * HOUR, sundays)).toEqual(
      at('2026-04-05T06:00:00+10:00'),
    );
    expect(addWorkingTime(at('2026-04-05T00:00:00+11:00'), 7 * HOUR + SECOND, sundays)).toEqual(
      at('2026-04-12T00:00:01+10:00'),
    );
  });

  it('supports hours that run overnight (end before start)', () => {
    const nights = calendar('UTC', { start: '22:00', end: '06:00' });
    // Monday 22:00 - Tuesday 06:00 is Monday's window.
    expect(addWorkingTime(at('2026-06-01T23:00:00Z'), 8 * HOUR, nights)).toEqual(at('2026-06-02T23:00:00Z'));
    expect(addWorkingTime(at('2026-06-02T03:00:00Z'), HOUR, nights)).toEqual(at('2026-06-02T04:00:00Z'));
    // Saturday 03:00 is still inside Friday's window; Saturday night is not a window.
    expect(addWorkingTime(at('2026-06-06T03:00:00Z'), 4 * HOUR, nights)).toEqual(at('2026-06-08T23:00:00Z'));
  });

  it('does not mutate its input and returns a new Date', () => {
    const from = at('2026-06-15T10:00:00+10:00');
    const result = addWorkingTime(from, 0, sydney);
    expect(result).not.toBe(from);
    expect(from).toEqual(at('2026-06-15T10:00:00+10:00'));
  });

  it.each<[string, () => unknown]>([
    ['a negative duration', () => addWorkingTime(at('2026-06-15T10:00:00Z'), -1, sydney)],
    ['a NaN duration', () => addWorkingTime(at('2026-06-15T10:00:00Z'), Number.NaN, sydney)],
    ['an invalid date', () => addWorkingTime(new Date(Number.NaN), HOUR, sydney)],
    [
      'no working days',
      () => addWorkingTime(at('2026-06-15T10:00:00Z'), HOUR, calendar(SYDNEY, { days: [] })),
    ],
    [
      'a malformed time',
      () => addWorkingTime(at('2026-06-15T10:00:00Z'), HOUR, calendar(SYDNEY, { start: '9am' })),
    ],
    [
      'an unknown time zone',
      () => addWorkingTime(at('2026-06-15T10:00:00Z'), HOUR, calendar('Mars/Olympus')),
    ],
    [
      'a calendar that is all holidays',
      () => addWorkingTime(at('2026-06-15T10:00:00Z'), HOUR, { ...sydney, isHoliday: () => true }),
    ],
  ])('rejects %s with a RangeError', (_name, run) => {
    expect(run).toThrow(RangeError);
  });
});

describe('workingTimeBetween', () => {
  it.each<[string, WorkCalendar, string, string, number]>([
    [
      'Friday 16:00 to Monday 12:00',
      sydney,
      '2026-06-12T16:00:00+10:00',
      '2026-06-15T12:00:00+10:00',
      4 * HOUR,
    ],
    ['to before from', sydney, '2026-06-15T12:00:00+10:00', '2026-06-12T16:00:00+10:00', 0],
    ['to equal to from', sydney, '2026-06-15T12:00:00+10:00', '2026-06-15T12:00:00+10:00', 0],
    ['a weekend', sydney, '2026-06-13T00:00:00+10:00', '2026-06-15T00:00:00+10:00', 0],
    ['one night', sydney, '2026-06-15T17:00:00+10:00', '2026-06-16T09:00:00+10:00', 0],
    [
      'a week with a holiday',
      calendar(SYDNEY, { holidays: ['2026-06-17'] }),
      '2026-06-15T00:00:00+10:00',
      '2026-06-22T00:00:00+10:00',
      32 * HOUR,
    ],
    [
      'Sydney, over the April change',
      sydney,
      '2026-04-03T09:00:00+11:00',
      '2026-04-06T17:00:00+10:00',
      16 * HOUR,
    ],
    [
      'Sydney, over the October change',
      sydney,
      '2026-10-02T09:00:00+10:00',
      '2026-10-05T17:00:00+11:00',
      16 * HOUR,
    ],
    [
      'New York, over the March change',
      newYork,
      '2026-03-06T12:00:00-05:00',
      '2026-03-09T12:00:00-04:00',
      8 * HOUR,
    ],
    [
      'New York, over the November change',
      newYork,
      '2026-10-30T12:00:00-04:00',
      '2026-11-02T12:00:00-05:00',
      8 * HOUR,
    ],
    ['5 seconds', sydney, '2026-06-12T16:59:58+10:00', '2026-06-15T09:00:03+10:00', 5 * SECOND],
    [
      'Sydney spring-forward Sunday, 00:00-06:00',
      calendar(SYDNEY, { days: ['sun'], start: '00:00', end: '06:00' }),
      '2026-10-03T00:00:00+10:00',
      '2026-10-05T00:00:00+11:00',
      5 * HOUR,
    ],
    [
      'Sydney fall-back Sunday, 00:00-06:00',
      calendar(SYDNEY, { days: ['sun'], start: '00:00', end: '06:00' }),
      '2026-04-04T00:00:00+11:00',
      '2026-04-06T00:00:00+10:00',
      7 * HOUR,
    ],
    [
      'an ordinary Sunday, 00:00-06:00',
      calendar(SYDNEY, { days: ['sun'], start: '00:00', end: '06:00' }),
      '2026-06-13T00:00:00+10:00',
      '2026-06-15T00:00:00+10:00',
      6 * HOUR,
    ],
    // Opening at 02:30: skipped on the spring-forward day (opens 03:30), first 02:30 on fall-back day.
    [
      'opening in the gap',
      calendar(SYDNEY, { days: ['sun'], start: '02:30', end: '04:00' }),
      '2026-10-04T00:00:00+10:00',
      '2026-10-05T00:00:00+11:00',
      30 * MINUTE,
    ],
    [
      'opening in the repeated hour',
      calendar(SYDNEY, { days: ['sun'], start: '02:30', end: '04:00' }),
      '2026-04-05T00:00:00+11:00',
      '2026-04-06T00:00:00+10:00',
      150 * MINUTE,
    ],
  ])('%s', (_name, cal, from, to, expected) => {
    expect(workingTimeBetween(at(from), at(to), cal)).toBe(expected);
  });

  it.each<[string, WorkCalendar, string, number]>([
    ['Sydney before the April change', sydney, '2026-04-02T15:30:00+11:00', 10 * HOUR],
    ['Sydney before the October change', sydney, '2026-10-01T11:11:11+10:00', 3 * DAY],
    ['New York before the March change', newYork, '2026-03-05T16:59:59-05:00', 5 * SECOND],
    ['New York before the November change', newYork, '2026-10-29T08:00:00-04:00', WEEK],
    [
      'a holiday Monday',
      calendar(SYDNEY, { holidays: ['2026-06-15'] }),
      '2026-06-12T16:00:00+10:00',
      4 * HOUR,
    ],
    ['opened on a Sunday', sydney, '2026-06-14T13:00:00+10:00', 17 * HOUR + 17 * MINUTE],
  ])('is the inverse of addWorkingTime: %s', (_name, cal, from, ms) => {
    const start = at(from);
    expect(workingTimeBetween(start, addWorkingTime(start, ms, cal), cal)).toBe(ms);
  });
});

describe('deadlineAfter', () => {
  it.each<[string, string, string, number, string]>([
    // Calendar clock: plain elapsed time, whatever the wall clock does.
    [
      'Sydney, 4h across the 02:00 -> 03:00 jump',
      SYDNEY,
      '2026-10-03T23:00:00+10:00',
      4 * HOUR,
      '2026-10-04T04:00:00+11:00',
    ],
    [
      'Sydney, 4h across the 03:00 -> 02:00 fall-back',
      SYDNEY,
      '2026-04-05T00:00:00+11:00',
      4 * HOUR,
      '2026-04-05T03:00:00+10:00',
    ],
    [
      'New York, 4h across the March jump',
      NEW_YORK,
      '2026-03-08T00:00:00-05:00',
      4 * HOUR,
      '2026-03-08T05:00:00-04:00',
    ],
    [
      'New York, 4h across the November fall-back',
      NEW_YORK,
      '2026-11-01T00:00:00-04:00',
      4 * HOUR,
      '2026-11-01T03:00:00-05:00',
    ],
    ['5s on a Saturday night', SYDNEY, '2026-06-13T23:59:58+10:00', 5 * SECOND, '2026-06-14T00:00:03+10:00'],
  ])('calendar clock: %s', (_name, timeZone, from, ms, expected) => {
    const deadline = deadlineAfter(at(from), ms, 'calendar', calendar(timeZone));
    expect(deadline).toEqual(at(expected));
    expect(deadline.getTime() - at(from).getTime()).toBe(ms);
  });

  it('calendar clock: the Sydney jump shows 5 wall-clock hours for 4 real ones', () => {
    const deadline = deadlineAfter(at('2026-10-03T23:00:00+10:00'), 4 * HOUR, 'calendar', sydney);
    expect(readLocal(deadline, SYDNEY)).toEqual({ date: '2026-10-04', weekday: 'sun', time: '04:00:00.000' });
  });

  it('business clock: the same as addWorkingTime', () => {
    const from = at('2026-04-03T16:00:00+11:00');
    expect(deadlineAfter(from, 2 * HOUR, 'business', sydney)).toEqual(addWorkingTime(from, 2 * HOUR, sydney));
    expect(deadlineAfter(from, 2 * HOUR, 'business', sydney)).toEqual(at('2026-04-06T10:00:00+10:00'));
  });

  it('rejects a negative duration on either clock', () => {
    expect(() => deadlineAfter(at('2026-06-15T10:00:00Z'), -5, 'calendar', sydney)).toThrow(RangeError);
    expect(() => deadlineAfter(at('2026-06-15T10:00:00Z'), -5, 'business', sydney)).toThrow(RangeError);
  });
});

describe('instantAtLocalTime', () => {
  it.each([
    ['an ordinary time', '2026-06-15', '09:00', SYDNEY, '2026-06-15T09:00:00+10:00'],
    ['seconds', '2026-06-15', '09:00:05', SYDNEY, '2026-06-15T09:00:05+10:00'],
    [
      'Sydney, skipped 02:30 moves forward to 03:30',
      '2026-10-04',
      '02:30',
      SYDNEY,
      '2026-10-04T03:30:00+11:00',
    ],
    ['Sydney, repeated 02:30 is the first one', '2026-04-05', '02:30', SYDNEY, '2026-04-05T02:30:00+11:00'],
    ['Sydney, 03:00 after the fall-back', '2026-04-05', '03:00', SYDNEY, '2026-04-05T03:00:00+10:00'],
    [
      'New York, skipped 02:30 moves forward to 03:30',
      '2026-03-08',
      '02:30',
      NEW_YORK,
      '2026-03-08T03:30:00-04:00',
    ],
    [
      'New York, repeated 01:30 is the first one',
      '2026-11-01',
      '01:30',
      NEW_YORK,
      '2026-11-01T01:30:00-04:00',
    ],
    [
      'Lord Howe, skipped 02:15 (a 30-minute jump)',
      '2026-10-04',
      '02:15',
      'Australia/Lord_Howe',
      '2026-10-04T02:45:00+11:00',
    ],
    ['24:00 is the next midnight', '2026-06-15', '24:00', SYDNEY, '2026-06-16T00:00:00+10:00'],
  ])('%s', (_name, date, time, timeZone, expected) => {
    expect(instantAtLocalTime(date, time, timeZone)).toEqual(at(expected));
  });

  it.each([
    ['2026-02-30', '09:00'],
    ['2026-6-15', '09:00'],
    ['2026-06-15', '9:00'],
    ['2026-06-15', '09:60'],
  ])('rejects %s %s', (date, time) => {
    expect(() => instantAtLocalTime(date, time, SYDNEY)).toThrow(RangeError);
  });
});

describe('cost', () => {
  it('a 1w business target takes well under a millisecond or two', () => {
    const holidays = calendar(SYDNEY, { holidays: ['2026-06-08', '2026-12-24', '2026-12-25', '2026-12-28'] });
    const base = at('2026-03-02T10:00:00+11:00').getTime();
    const run = (i: number) => addWorkingTime(new Date(base + i * 7 * HOUR + i), WEEK, holidays);
    for (let i = 0; i < 100; i++) run(i);
    const runs = 500;
    const started = performance.now();
    for (let i = 0; i < runs; i++) run(i);
    const perRun = (performance.now() - started) / runs;
    expect(perRun).toBeLessThan(1);
  });

  it('a year of working time is still quick (one step per day)', () => {
    const started = performance.now();
    const deadline = addWorkingTime(at('2026-01-05T09:00:00+11:00'), 52 * 5 * 8 * HOUR, sydney);
    expect(performance.now() - started).toBeLessThan(250);
    expect(deadline).toEqual(at('2027-01-01T17:00:00+11:00'));
  });
});
