import { instantAtLocalTime } from '../../../src/domain/sla-clock.js';

/** `sydney('2026-03-06 16:00')`: that wall-clock time in Sydney (the example policy's time zone). */
export function sydney(local: string): Date {
  return localTime(local, 'Australia/Sydney');
}

/** A wall-clock time ("YYYY-MM-DD HH:MM") in a time zone, as an instant. */
export function localTime(local: string, timeZone: string): Date {
  const [date, time] = local.split(' ') as [string, string];
  return instantAtLocalTime(date, time, timeZone);
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
