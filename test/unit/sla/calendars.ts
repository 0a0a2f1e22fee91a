/** Work calendars and an independent local-time reading (Intl parts) for the SLA clock tests. */
import { WEEKDAYS, type Weekday } from '../../../src/domain/policy.js';
import type { WorkCalendar } from '../../../src/domain/sla-clock.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

export const WEEKDAYS_MON_FRI: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** A calendar with listed holidays only (no date-holidays), Mon-Fri 09:00-17:00 unless told. */
export function calendar(
  timeZone: string,
  options: { days?: Weekday[]; start?: string; end?: string; holidays?: string[] } = {},
): WorkCalendar {
  const holidays = new Set(options.holidays ?? []);
  return {
    timeZone,
    days: options.days ?? WEEKDAYS_MON_FRI,
    start: options.start ?? '09:00',
    end: options.end ?? '17:00',
    isHoliday: (localDate) => holidays.has(localDate),
  };
}

export interface LocalReading {
  /** YYYY-MM-DD */
  date: string;
  weekday: Weekday;
  /** HH:MM:SS.mmm */
  time: string;
}

const readers = new Map<string, Intl.DateTimeFormat>();

/** How a wall clock in `timeZone` reads at `instant`, from `formatToParts` (not the code under test). */
export function readLocal(instant: Date | number, timeZone: string): LocalReading {
  let reader = readers.get(timeZone);
  if (!reader) {
    reader = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    readers.set(timeZone, reader);
  }
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const parts = Object.fromEntries(reader.formatToParts(ms).map((p) => [p.type, p.value]));
  const weekday = WEEKDAYS.find((d) => d === parts['weekday']?.toLowerCase());
  if (!weekday) throw new Error(`no weekday in ${JSON.stringify(parts)}`);
  const millis = String(((ms % SECOND) + SECOND) % SECOND).padStart(3, '0');
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    weekday,
    time: `${parts['hour']}:${parts['minute']}:${parts['second']}.${millis}`,
  };
}
