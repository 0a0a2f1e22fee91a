import { instantAtLocalTime } from '../../domain/sla-clock.js';

/** A half-open range of instants [start, end), as `AnalyticsRepository` reads it. */
export interface Period {
  start: Date;
  end: Date;
}

/**
 * The instants of local dates `from`..`to` (both "YYYY-MM-DD", both days included) in a time zone:
 * from local midnight starting `from` to local midnight ending `to`. People name periods by their
 * own calendar: 00:30 on 1 November in Sydney is 13:30 UTC on 31 October, and belongs to November.
 */
export function exportPeriod(from: string, to: string, timeZone: string): Period {
  return {
    start: instantAtLocalTime(from, '00:00', timeZone),
    end: instantAtLocalTime(dayAfter(to), '00:00', timeZone),
  };
}

function dayAfter(localDate: string): string {
  const [year, month, day] = localDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}
