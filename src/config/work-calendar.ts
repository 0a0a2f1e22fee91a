/**
 * The policy's business hours as a `WorkCalendar` for the SLA clocks: working days and hours in the
 * policy time zone, public holidays from `date-holidays` for `businessHours.holidays.country/state`,
 * plus the explicitly listed dates.
 */
import Holidays, { type HolidaysTypes } from 'date-holidays';
import type { Policy } from '../domain/policy.js';
import { instantAtLocalTime, type WorkCalendar } from '../domain/sla-clock.js';
import { ConfigError } from './config-error.js';

const HEADING = 'Escalation policy businessHours.holidays cannot be used:';

export function buildWorkCalendar(policy: Policy): WorkCalendar {
  const { timezone, businessHours } = policy;
  const { country, state, dates } = businessHours.holidays;
  const listed = new Set(dates);
  const publicHoliday = country ? publicHolidays(country, state, timezone) : undefined;
  return {
    timeZone: timezone,
    days: [...businessHours.days],
    start: businessHours.start,
    end: businessHours.end,
    isHoliday: (localDate) => listed.has(localDate) || (publicHoliday?.(localDate) ?? false),
  };
}

/**
 * Whether a local date is a public holiday of the country (and state). Observances, optional and
 * school holidays do not stop the clock; bank holidays do only in the UK, where they are the public
 * holidays. A date counts when its
 * local noon in the policy time zone falls inside the holiday.
 */
function publicHolidays(
  countryCode: string,
  state: string | undefined,
  timeZone: string,
): (localDate: string) => boolean {
  const country = countryCode.toUpperCase() === 'UK' ? 'GB' : countryCode.toUpperCase();
  const catalogue = new Holidays();
  if (!Object.hasOwn(catalogue.getCountries(), country)) {
    throw new ConfigError(HEADING, [
      `country ${countryCode} has no public holiday data: use a two-letter ISO 3166 code such as AU, GB or US`,
    ]);
  }
  let stateCode: string | undefined;
  if (state !== undefined) {
    const states = Object.keys(catalogue.getStates(country) ?? {});
    stateCode = states.find((code) => code.toLowerCase() === state.toLowerCase());
    if (stateCode === undefined) {
      const known = states.length > 0 ? `use one of ${states.join(', ')}` : 'leave the state out';
      throw new ConfigError(HEADING, [`state ${state} is not a state of ${country}: ${known}`]);
    }
  }
  const holidays = stateCode
    ? new Holidays(country, stateCode, { timezone: timeZone })
    : new Holidays(country, { timezone: timeZone });
  const counted = new Set<HolidaysTypes.HolidayType>(country === 'GB' ? ['public', 'bank'] : ['public']);
  // date-holidays evaluates every rule of the year on each query, so each year is listed once.
  const dates = new Set<string>();
  const yearsDone = new Set<number>();
  const addYear = (year: number) => {
    yearsDone.add(year);
    for (const entry of holidays.getHolidays(year)) {
      if (!counted.has(entry.type)) continue;
      // A date is a holiday when its local noon falls inside the holiday (as `isHoliday` would say).
      for (let date = entry.date.slice(0, 10); ; date = nextDate(date)) {
        const noon = instantAtLocalTime(date, '12:00', timeZone);
        if (noon >= entry.end) break;
        if (noon >= entry.start) dates.add(date);
      }
    }
  };
  return (localDate) => {
    const year = Number(localDate.slice(0, 4));
    // A holiday may run on from the year before.
    for (const y of [year - 1, year]) if (!yearsDone.has(y)) addYear(y);
    return dates.has(localDate);
  };
}

function nextDate(localDate: string): string {
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
