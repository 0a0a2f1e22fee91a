/**
 * SLA clocks: deadlines on a `calendar` clock (plain elapsed time) or a `business` clock (working
 * time only: working days, start..end local wall-clock time in the policy time zone, minus holidays).
 *
 * Pure TypeScript on `Intl.DateTimeFormat`. Local dates are day numbers (days since 1970-01-01 on
 * the zone's calendar) and local times are "local milliseconds" (wall-clock time read as if it were
 * UTC); only the opening and closing of each working day become real instants, so a daylight-saving
 * change moves those instants but never the local hours. Long durations cost one step per calendar
 * day, not per minute.
 */
import { WEEKDAYS, type Weekday } from './policy.js';

export interface WorkCalendar {
  /** IANA, e.g. Australia/Sydney. */
  timeZone: string;
  /** Working days. */
  days: Weekday[];
  /** "HH:MM" local wall-clock time. An `end` at or before `start` ends on the next day (overnight). */
  start: string;
  end: string;
  /** Whether a local calendar date ("YYYY-MM-DD" in timeZone) is a public holiday or listed date. */
  isHoliday(localDate: string): boolean;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Days in a row without any working time before a calendar is judged to have none at all. */
const MAX_IDLE_DAYS = 3660;

/** The instant that is `ms` of working time after `from` (from inside or outside working hours). */
export function addWorkingTime(from: Date, ms: number, calendar: WorkCalendar): Date {
  const start = instantOf(from, 'from');
  checkDuration(ms);
  if (ms === 0) return new Date(start);
  const hours = compile(calendar);
  let remaining = ms;
  let idle = 0;
  for (let day = firstDay(hours, start); ; day++) {
    const window = isWorkingDay(hours, day) ? windowOf(hours, day) : undefined;
    const begin = window ? Math.max(window.open, start) : 0;
    if (window && begin < window.close) {
      const available = window.close - begin;
      if (remaining <= available) return new Date(begin + remaining);
      remaining -= available;
      idle = 0;
    } else if (++idle > MAX_IDLE_DAYS) {
      throw new RangeError(`The work calendar has no working time in ${MAX_IDLE_DAYS} days in a row`);
    }
  }
}

/** Working time (ms) between two instants (0 if to <= from). */
export function workingTimeBetween(from: Date, to: Date, calendar: WorkCalendar): number {
  const a = instantOf(from, 'from');
  const b = instantOf(to, 'to');
  if (b <= a) return 0;
  const hours = compile(calendar);
  const last = localDay(hours.zone, b);
  let total = 0;
  for (let day = firstDay(hours, a); day <= last; day++) {
    if (!isWorkingDay(hours, day)) continue;
    const { open, close } = windowOf(hours, day);
    const overlap = Math.min(close, b) - Math.max(open, a);
    if (overlap > 0) total += overlap;
  }
  return total;
}

/** A deadline on the chosen clock: calendar = plain elapsed time; business = working time. */
export function deadlineAfter(
  from: Date,
  ms: number,
  clock: 'business' | 'calendar',
  calendar: WorkCalendar,
): Date {
  if (clock === 'business') return addWorkingTime(from, ms, calendar);
  checkDuration(ms);
  return new Date(instantOf(from, 'from') + ms);
}

/**
 * The instant of a local date ("YYYY-MM-DD") and wall-clock time ("HH:MM" or "HH:MM:SS") in a time
 * zone. A time skipped by a daylight-saving jump moves forward by the jump (02:30 -> 03:30); a time
 * that occurs twice resolves to its first occurrence.
 */
export function instantAtLocalTime(localDate: string, time: string, timeZone: string): Date {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  const clock = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  const [y, mo, d] = [1, 2, 3].map((i) => Number(date?.[i])) as [number, number, number];
  const [h, mi, s] = [1, 2, 3].map((i) => Number(clock?.[i] ?? 0)) as [number, number, number];
  const day = Date.UTC(y, mo - 1, d);
  if (!date || !clock || new Date(day).getUTCDate() !== d || h > 24 || mi > 59 || s > 59) {
    throw new RangeError(`Not a local date and time: ${localDate} ${time}`);
  }
  return new Date(localToInstant(zoneOf(timeZone), day + h * HOUR + mi * MINUTE + s * SECOND));
}

/** The local date ("YYYY-MM-DD") of an instant in a time zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  return new Date(localDay(zoneOf(timeZone), instantOf(instant, 'instant')) * DAY).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Working hours

interface Hours {
  zone: Zone;
  /** Indexed like WEEKDAYS (0 = Monday). */
  workdays: boolean[];
  startMinutes: number;
  endMinutes: number;
  /** The window ends on the day after it starts. */
  overnight: boolean;
  calendar: WorkCalendar;
}

function compile(calendar: WorkCalendar): Hours {
  const workdays = WEEKDAYS.map((day) => calendar.days.includes(day));
  if (!workdays.includes(true)) throw new RangeError('The work calendar has no working days');
  const startMinutes = minutesOf(calendar.start, 'start');
  const endMinutes = minutesOf(calendar.end, 'end');
  return {
    zone: zoneOf(calendar.timeZone),
    workdays,
    startMinutes,
    endMinutes,
    overnight: endMinutes <= startMinutes,
    calendar,
  };
}

function minutesOf(time: string, which: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(time);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  if (!(minutes <= 24 * 60)) throw new RangeError(`The work calendar ${which} is not HH:MM: ${time}`);
  return minutes;
}

/** The first local day whose window can contain `instant` (the day before, for overnight hours). */
function firstDay(hours: Hours, instant: number): number {
  return localDay(hours.zone, instant) - (hours.overnight ? 1 : 0);
}

function isWorkingDay(hours: Hours, day: number): boolean {
  // Day 0 (1970-01-01) was a Thursday, index 3 in WEEKDAYS.
  if (!hours.workdays[(((day + 3) % 7) + 7) % 7]) return false;
  return !hours.calendar.isHoliday(new Date(day * DAY).toISOString().slice(0, 10));
}

/** The working window of a working day, as instants: start..end local time on that day. */
function windowOf(hours: Hours, day: number): { open: number; close: number } {
  const open = day * DAY + hours.startMinutes * MINUTE;
  const close = (hours.overnight ? day + 1 : day) * DAY + hours.endMinutes * MINUTE;
  // The usual day: one offset from a day before opening to a day after closing serves both ends.
  const steady = steadyOffset(hours.zone, open - DAY, close + DAY);
  if (steady !== undefined) return { open: open - steady, close: close - steady };
  const openAt = localToInstant(hours.zone, open);
  return { open: openAt, close: Math.max(openAt, localToInstant(hours.zone, close)) };
}

// ---------------------------------------------------------------------------------------------
// Time zones
//
// Offsets come from Intl.DateTimeFormat: the zone's wall-clock reading of an instant minus the
// instant. A zone changes its offset at most once in any day and a bit (the tz database has no two
// changes closer than that), which the conversions below rely on.

interface Zone {
  formatter: Intl.DateTimeFormat;
  /** Offset at 00:00 UTC of each day number asked for so far. */
  grid: Map<number, number>;
}

const zones = new Map<string, Zone>();
/** Grid entries kept per zone before the memo starts again (about 270 years of days). */
const GRID_LIMIT = 100_000;

function zoneOf(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    // Throws RangeError for an unknown time zone.
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zone = { formatter, grid: new Map() };
    zones.set(timeZone, zone);
  }
  return zone;
}

/** The zone's offset from UTC (ms, local minus UTC) at an instant. */
function offsetAt(zone: Zone, instant: number): number {
  // `format` is several times faster than `formatToParts`; en-US numeric with h23 reads
  // "M/D/YYYY, HH:MM:SS". Anything else falls back to the parts.
  const digits = zone.formatter.format(instant).match(/\d+/g);
  let fields: number[];
  if (digits?.length === 6) {
    const [month, day, year, hour, minute, second] = digits.map(Number);
    fields = [year!, month!, day!, hour!, minute!, second!];
  } else {
    const parts = zone.formatter.formatToParts(instant);
    const part = (type: Intl.DateTimeFormatPartTypes) =>
      Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
    fields = [part('year'), part('month'), part('day'), part('hour'), part('minute'), part('second')];
  }
  const [year, month, day, hour, minute, second] = fields as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour % 24, minute, second);
  return wall - Math.floor(instant / SECOND) * SECOND;
}

/** The offset at 00:00 UTC of day number `n`, memoised. */
function gridOffset(zone: Zone, n: number): number {
  let offset = zone.grid.get(n);
  if (offset === undefined) {
    if (zone.grid.size >= GRID_LIMIT) zone.grid.clear();
    offset = offsetAt(zone, n * DAY);
    zone.grid.set(n, offset);
  }
  return offset;
}

/**
 * The offset in force throughout `from..to` when the zone shows that one offset at every 00:00 UTC
 * from the last before `from` to the first after `to` (so no change falls in between); undefined
 * otherwise.
 */
function steadyOffset(zone: Zone, from: number, to: number): number | undefined {
  const first = Math.floor(from / DAY);
  const last = Math.max(first + 1, Math.ceil(to / DAY));
  const offset = gridOffset(zone, first);
  for (let n = first + 1; n <= last; n++) if (gridOffset(zone, n) !== offset) return undefined;
  return offset;
}

/** The local day number (days since 1970-01-01 on the zone's calendar) of an instant. */
function localDay(zone: Zone, instant: number): number {
  const offset = steadyOffset(zone, instant, instant) ?? offsetAt(zone, instant);
  return Math.floor((instant + offset) / DAY);
}

/**
 * Local milliseconds (wall-clock time read as UTC) -> instant. Every reading of `local` lies within
 * 14 hours of it, so the offsets a day either side bound them: a time valid under both is ambiguous
 * (the first occurrence wins), a time valid under neither falls in a gap (read with the offset from
 * before the jump, which moves it forward by the jump).
 */
function localToInstant(zone: Zone, local: number): number {
  const steady = steadyOffset(zone, local - DAY, local + DAY);
  if (steady !== undefined) return local - steady;
  const before = offsetAt(zone, local - DAY);
  const after = offsetAt(zone, local + DAY);
  const readBefore = local - before;
  const readAfter = local - after;
  const beforeValid = offsetAt(zone, readBefore) === before;
  const afterValid = offsetAt(zone, readAfter) === after;
  if (beforeValid && afterValid) return Math.min(readBefore, readAfter);
  return afterValid ? readAfter : readBefore;
}

// ---------------------------------------------------------------------------------------------

function instantOf(date: Date, name: string): number {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new RangeError(`${name} is not a valid Date`);
  return time;
}

function checkDuration(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`A duration must be a finite ms >= 0, not ${ms}`);
}
