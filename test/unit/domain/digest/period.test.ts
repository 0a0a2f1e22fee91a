import { describe, expect, it } from 'vitest';
import {
  isoWeekByLabel,
  isoWeekContaining,
  weekBefore,
  weekDates,
} from '../../../../src/domain/digest/period.js';

const iso = (d: Date) => d.toISOString();

describe('ISO weeks in the policy timezone', () => {
  it('cuts weeks on local Monday midnights, so a week spanning a DST change is 169 hours long', () => {
    // New York leaves daylight saving on Sunday 2026-11-01 at 02:00.
    const week = isoWeekContaining(new Date('2026-10-30T15:00:00Z'), 'America/New_York');
    expect(week.label).toBe('2026-W44');
    expect(iso(week.from)).toBe('2026-10-26T04:00:00.000Z'); // Monday 00:00 EDT
    expect(iso(week.to)).toBe('2026-11-02T05:00:00.000Z'); // Monday 00:00 EST
    expect((week.to.getTime() - week.from.getTime()) / 3_600_000).toBe(169);
  });

  it('reads the week from the local date, not the UTC one', () => {
    // Monday 2026-11-23 08:00 in Sydney is still Sunday in UTC.
    const sydney = isoWeekContaining(new Date('2026-11-22T21:00:00Z'), 'Australia/Sydney');
    expect(sydney.label).toBe('2026-W48');
    expect(isoWeekContaining(new Date('2026-11-22T21:00:00Z'), 'UTC').label).toBe('2026-W47');
    expect(weekDates(sydney, 'Australia/Sydney')).toEqual({ first: '2026-11-23', last: '2026-11-29' });
  });

  it('numbers weeks by ISO rules at year ends (2026 has a week 53; 1 January 2027 belongs to it)', () => {
    expect(isoWeekContaining(new Date('2027-01-01T12:00:00Z'), 'UTC').label).toBe('2026-W53');
    expect(isoWeekContaining(new Date('2027-01-04T12:00:00Z'), 'UTC').label).toBe('2027-W01');
    expect(isoWeekContaining(new Date('2025-12-29T12:00:00Z'), 'UTC').label).toBe('2026-W01');
  });

  it('finds a week by its label and refuses weeks a year does not have', () => {
    const week = isoWeekByLabel('2026-W53', 'UTC');
    expect(week && [iso(week.from), iso(week.to)]).toEqual([
      '2026-12-28T00:00:00.000Z',
      '2027-01-04T00:00:00.000Z',
    ]);
    expect(isoWeekByLabel('2026-w01', 'UTC')?.label).toBe('2026-W01');
    expect(isoWeekByLabel('2027-W53', 'UTC')).toBeUndefined();
    expect(isoWeekByLabel('2026-W00', 'UTC')).toBeUndefined();
    expect(isoWeekByLabel('2026-48', 'UTC')).toBeUndefined();
  });

  it('steps back one week across a DST change and a year end', () => {
    const tz = 'America/New_York';
    expect(weekBefore(isoWeekByLabel('2026-W45', tz)!, tz)).toEqual(isoWeekByLabel('2026-W44', tz));
    expect(weekBefore(isoWeekByLabel('2027-W01', tz)!, tz).label).toBe('2026-W53');
  });
});
