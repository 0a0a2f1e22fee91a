import { instantAtLocalTime, localDateOf } from '../sla-clock.js';
import type { Period } from './report.js';

const DAY_MS = 86_400_000;
const LABEL = /^(\d{4})-W(\d{2})$/i;

/** The ISO week (Monday 00:00 to the next Monday 00:00 in `timeZone`) that contains `instant`. */
export function isoWeekContaining(instant: Date, timeZone: string): Period {
  const local = dayNumber(localDateOf(instant, timeZone));
  // Day 0 (1970-01-01) was a Thursday: Monday-based weekday = (day + 3) mod 7.
  const monday = local - ((((local + 3) % 7) + 7) % 7);
  return weekFromMonday(monday, timeZone);
}

/** The week before `period` (an ISO week). */
export function weekBefore(period: Period, timeZone: string): Period {
  return isoWeekContaining(new Date(period.from.getTime() - 1), timeZone);
}

/** `2026-W48` → that ISO week in `timeZone`; undefined when the year has no such week. */
export function isoWeekByLabel(label: string, timeZone: string): Period | undefined {
  const match = LABEL.exec(label.trim());
  if (!match) return undefined;
  const [year, week] = [Number(match[1]), Number(match[2])];
  // Week 1 is the week with the year's first Thursday, so it always holds 4 January.
  const jan4 = Math.floor(Date.UTC(year, 0, 4) / DAY_MS);
  const monday = jan4 - ((((jan4 + 3) % 7) + 7) % 7) + (week - 1) * 7;
  const period = weekFromMonday(monday, timeZone);
  return week >= 1 && period.label === `${year}-W${String(week).padStart(2, '0')}` ? period : undefined;
}

/** The local dates (`YYYY-MM-DD`) of the Monday and the Sunday of an ISO week, for people to read. */
export function weekDates(period: Period, timeZone: string): { first: string; last: string } {
  return {
    first: localDateOf(period.from, timeZone),
    last: localDateOf(new Date(period.to.getTime() - 1), timeZone),
  };
}

function weekFromMonday(monday: number, timeZone: string): Period {
  const thursday = new Date((monday + 3) * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const jan1 = Math.floor(Date.UTC(isoYear, 0, 1) / DAY_MS);
  const week = Math.floor((monday + 3 - jan1) / 7) + 1;
  return {
    label: `${isoYear}-W${String(week).padStart(2, '0')}`,
    from: instantAtLocalTime(dateOf(monday), '00:00', timeZone),
    to: instantAtLocalTime(dateOf(monday + 7), '00:00', timeZone),
  };
}

function dayNumber(localDate: string): number {
  return Math.floor(Date.parse(`${localDate}T00:00:00Z`) / DAY_MS);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
