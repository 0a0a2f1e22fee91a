import { type CronSchedule, cronMatches, type LocalMinute } from '../../domain/digest/cron-schedule.js';

const MINUTE = 60_000;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Far enough for any schedule that fires at all (a 29 February one fires within 8 years). */
const HORIZON_MINUTES = 9 * 366 * 24 * 60;

/**
 * The first minute after `after` at which a cron schedule fires in `timeZone`, or undefined when it
 * never does (such as "0 9 31 feb *"). `lastRunBetween` in cron-schedule.ts answers the backward
 * question; this one skips whole days and hours that cannot match, so even a yearly schedule costs
 * a few thousand clock readings rather than half a million.
 */
export function nextCronRun(schedule: CronSchedule, after: Date, timeZone: string): Date | undefined {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const start = Math.floor(after.getTime() / MINUTE) + 1;
  for (let m = start; m < start + HORIZON_MINUTES; ) {
    const local = localMinute(format, m * MINUTE);
    if (!dayMatches(schedule, local)) {
      // To an hour before local midnight: a daylight-saving change may shift midnight by that much.
      const toMidnight = (24 - local.hour) * 60 - local.minute;
      m += toMidnight > 60 ? toMidnight - 60 : 60 - local.minute;
    } else if (!schedule.hours.has(local.hour)) {
      m += 60 - local.minute;
    } else if (cronMatches(schedule, local)) {
      return new Date(m * MINUTE);
    } else {
      m += 1;
    }
  }
  return undefined;
}

function dayMatches(schedule: CronSchedule, at: LocalMinute): boolean {
  return cronMatches({ ...schedule, minutes: new Set([at.minute]), hours: new Set([at.hour]) }, at);
}

function localMinute(format: Intl.DateTimeFormat, instant: number): LocalMinute {
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    minute: Number(part('minute')),
    hour: Number(part('hour')) % 24,
    day: Number(part('day')),
    month: Number(part('month')),
    weekday: DAY_NAMES.indexOf(part('weekday').toLowerCase().slice(0, 3)),
  };
}
