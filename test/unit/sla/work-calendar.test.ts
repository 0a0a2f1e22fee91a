import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { loadPolicyFile } from '../../../src/config/load-policy.js';
import { buildWorkCalendar } from '../../../src/config/work-calendar.js';
import type { BusinessHours, Policy } from '../../../src/domain/policy.js';
import { addWorkingTime, deadlineAfter, workingTimeBetween } from '../../../src/domain/sla-clock.js';
import { HOUR, WEEK } from './calendars.js';

const example = loadPolicyFile(resolve(import.meta.dirname, '../../../escalation-policy.example.yaml'));

function policy(timezone: string, holidays: BusinessHours['holidays']): Policy {
  return { ...example, timezone, businessHours: { ...example.businessHours, holidays } };
}

const at = (iso: string) => new Date(iso);

describe('buildWorkCalendar from the example policy (Sydney, Mon-Fri 09:00-17:00, AU NSW + 2026-12-24)', () => {
  const calendar = buildWorkCalendar(example);

  it('carries the time zone, days and hours', () => {
    expect(calendar).toMatchObject({
      timeZone: 'Australia/Sydney',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '09:00',
      end: '17:00',
    });
  });

  it.each([
    ['2026-01-01', true, "New Year's Day"],
    ['2026-01-26', true, 'Australia Day'],
    ['2026-04-03', true, 'Good Friday'],
    ['2026-04-06', true, 'Easter Monday'],
    ['2026-04-27', true, 'Anzac Day substitute (25th is a Saturday)'],
    ['2026-06-08', true, "King's Birthday"],
    ['2026-10-05', true, 'Labour Day'],
    ['2026-12-24', true, 'listed in the policy'],
    ['2026-12-25', true, 'Christmas Day'],
    ['2026-12-26', true, 'Boxing Day (a Saturday)'],
    ['2026-12-28', true, 'Boxing Day substitute'],
    ['2027-01-26', true, 'Australia Day next year'],
    ['2026-08-03', false, 'NSW Bank Holiday: banks only, not public'],
    ['2026-05-10', false, "Mother's Day: an observance"],
    ['2026-01-27', false, 'an ordinary Tuesday'],
    ['2026-12-23', false, 'the day before the listed date'],
    ['2026-12-29', false, 'back to work'],
  ])('%s is a holiday: %s (%s)', (date, expected) => {
    expect(calendar.isHoliday(date)).toBe(expected);
  });

  it.each([
    [
      '4h from Friday 16:00 lands Monday 12:00',
      '2026-06-12T16:00:00+10:00',
      4 * HOUR,
      '2026-06-15T12:00:00+10:00',
    ],
    [
      '... Tuesday when Monday is Australia Day',
      '2026-01-23T16:00:00+11:00',
      4 * HOUR,
      '2026-01-27T12:00:00+11:00',
    ],
    [
      "... Tuesday when Monday is the King's Birthday",
      '2026-06-05T16:00:00+10:00',
      4 * HOUR,
      '2026-06-09T12:00:00+10:00',
    ],
    [
      'over Christmas: 24th listed, 25th, weekend, 28th substitute',
      '2026-12-23T16:00:00+11:00',
      4 * HOUR,
      '2026-12-29T12:00:00+11:00',
    ],
    ['over Easter and the April change', '2026-04-02T16:00:00+11:00', 2 * HOUR, '2026-04-07T10:00:00+10:00'],
    [
      'over Labour Day and the October change',
      '2026-10-02T16:00:00+10:00',
      2 * HOUR,
      '2026-10-06T10:00:00+11:00',
    ],
    ['opened on Australia Day', '2026-01-26T10:00:00+11:00', 30 * 1000, '2026-01-27T09:00:30+11:00'],
    [
      "1w from the first Monday of June (King's Birthday on the 8th)",
      '2026-06-01T09:00:00+10:00',
      WEEK,
      '2026-06-30T17:00:00+10:00',
    ],
  ])('%s', (_name, from, ms, expected) => {
    expect(addWorkingTime(at(from), ms, calendar)).toEqual(at(expected));
    expect(deadlineAfter(at(from), ms, 'business', calendar)).toEqual(at(expected));
    expect(workingTimeBetween(at(from), at(expected), calendar)).toBe(ms);
  });

  it('the P1 calendar clock ignores holidays', () => {
    expect(deadlineAfter(at('2026-12-25T10:00:00+11:00'), 4 * HOUR, 'calendar', calendar)).toEqual(
      at('2026-12-25T14:00:00+11:00'),
    );
  });

  it('a 1w target with real public holidays stays cheap once the year is known', () => {
    const from = at('2026-11-16T10:00:00+11:00');
    addWorkingTime(from, WEEK, calendar);
    const runs = 200;
    const started = performance.now();
    for (let i = 0; i < runs; i++) addWorkingTime(new Date(from.getTime() + i * HOUR), WEEK, calendar);
    expect((performance.now() - started) / runs).toBeLessThan(1);
  });
});

describe('buildWorkCalendar for other places', () => {
  it.each([
    // New York: public holidays only; Christmas Eve is optional and the day after Thanksgiving an observance.
    ['US', 'NY', 'America/New_York', '2026-07-03', true],
    ['US', 'NY', 'America/New_York', '2026-11-26', true],
    ['US', 'NY', 'America/New_York', '2026-11-27', false],
    ['US', 'NY', 'America/New_York', '2026-12-24', false],
    ['US', 'NY', 'America/New_York', '2026-12-25', true],
    ['US', 'NY', 'America/New_York', '2026-10-31', false],
    // UK: the bank holidays are the public holidays.
    ['GB', undefined, 'Europe/London', '2026-05-04', true],
    ['GB', undefined, 'Europe/London', '2026-05-25', true],
    ['GB', undefined, 'Europe/London', '2026-12-28', true],
    ['GB', undefined, 'Europe/London', '2026-03-15', false],
    ['UK', undefined, 'Europe/London', '2026-05-04', true],
    // A state of another country: Victoria has Melbourne Cup day, NSW does not.
    ['AU', 'VIC', 'Australia/Melbourne', '2026-11-03', true],
    ['AU', 'NSW', 'Australia/Sydney', '2026-11-03', false],
    ['AU', 'nsw', 'Australia/Sydney', '2026-01-26', true],
  ])('%s %s: %s is a holiday: %s', (country, state, timezone, date, expected) => {
    const calendar = buildWorkCalendar(policy(timezone, { country, state, dates: [] }));
    expect(calendar.isHoliday(date)).toBe(expected);
  });

  it('uses the policy time zone for the holiday date, whatever the country', () => {
    // Australia Day in NSW, read on a calendar kept in UTC: still the local date 2026-01-26.
    const calendar = buildWorkCalendar(policy('UTC', { country: 'AU', state: 'NSW', dates: [] }));
    expect(calendar.isHoliday('2026-01-25')).toBe(false);
    expect(calendar.isHoliday('2026-01-26')).toBe(true);
    expect(calendar.isHoliday('2026-01-27')).toBe(false);
  });

  it('with no country, only the listed dates are holidays', () => {
    const calendar = buildWorkCalendar(policy('Australia/Sydney', { dates: ['2026-12-24'] }));
    expect(calendar.isHoliday('2026-12-24')).toBe(true);
    expect(calendar.isHoliday('2026-12-25')).toBe(false);
  });

  it.each([
    ['an unknown country', { country: 'XX', dates: [] }, /country XX/],
    [
      'an unknown state',
      { country: 'AU', state: 'XYZ', dates: [] },
      /state XYZ is not a state of AU: use one of .*NSW/,
    ],
  ])('rejects %s with a ConfigError', (_name, holidays, message) => {
    const run = () => buildWorkCalendar(policy('Australia/Sydney', holidays));
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });
});
