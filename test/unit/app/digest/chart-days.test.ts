import { describe, expect, it } from 'vitest';
import { localDatesOf } from '../../../../src/app/digest/chart-data.js';
import { instantAtLocalTime } from '../../../../src/domain/sla-clock.js';

const period = (from: string, to: string, timeZone: string) => ({
  label: 'p',
  from: instantAtLocalTime(from, '00:00', timeZone),
  to: instantAtLocalTime(to, '00:00', timeZone),
});

describe('the days of a digest chart', () => {
  it('a week whose clocks go forward (167 hours) still has 7 days', () => {
    // New York: Sunday 2026-03-08 02:00 EST → 03:00 EDT.
    const week = period('2026-03-02', '2026-03-09', 'America/New_York');
    expect(week.to.getTime() - week.from.getTime()).toBe(167 * 3_600_000);
    expect(localDatesOf(week, 'America/New_York')).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
    ]);
  });

  it('a week whose clocks go back (169 hours) still has 7 days', () => {
    const week = period('2026-10-26', '2026-11-02', 'America/New_York');
    expect(week.to.getTime() - week.from.getTime()).toBe(169 * 3_600_000);
    expect(localDatesOf(week, 'America/New_York')).toHaveLength(7);
  });

  it('a month has its calendar days, in a zone east of UTC too', () => {
    // Sydney: clocks go forward on Sunday 2026-10-04.
    const october = localDatesOf(period('2026-10-01', '2026-11-01', 'Australia/Sydney'), 'Australia/Sydney');
    expect(october).toHaveLength(31);
    expect([october[0], october.at(-1)]).toEqual(['2026-10-01', '2026-10-31']);
  });
});
