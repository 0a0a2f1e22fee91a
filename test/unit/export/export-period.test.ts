import { describe, expect, it } from 'vitest';
import { exportPeriod } from '../../../src/app/export/export-period.js';

const iso = ({ start, end }: { start: Date; end: Date }) => ({
  start: start.toISOString(),
  end: end.toISOString(),
});

describe('exportPeriod', () => {
  it('runs from local midnight of --from to local midnight after --to', () => {
    expect(iso(exportPeriod('2026-11-01', '2026-11-30', 'Australia/Sydney'))).toEqual({
      start: '2026-10-31T13:00:00.000Z',
      end: '2026-11-30T13:00:00.000Z',
    });
    expect(iso(exportPeriod('2026-11-01', '2026-11-30', 'UTC'))).toEqual({
      start: '2026-11-01T00:00:00.000Z',
      end: '2026-12-01T00:00:00.000Z',
    });
  });

  it('covers one whole day when --from and --to are the same', () => {
    expect(iso(exportPeriod('2026-11-05', '2026-11-05', 'America/New_York'))).toEqual({
      start: '2026-11-05T05:00:00.000Z',
      end: '2026-11-06T05:00:00.000Z',
    });
  });

  it('follows a daylight-saving change inside the period', () => {
    // Sydney moves from +10 to +11 on Sunday 4 October 2026.
    expect(iso(exportPeriod('2026-10-01', '2026-10-31', 'Australia/Sydney'))).toEqual({
      start: '2026-09-30T14:00:00.000Z',
      end: '2026-10-31T13:00:00.000Z',
    });
  });

  it('ends at the turn of a month, a year or a leap day', () => {
    expect(exportPeriod('2028-02-01', '2028-02-28', 'UTC').end.toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
    expect(exportPeriod('2026-12-01', '2026-12-31', 'UTC').end.toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });
});
