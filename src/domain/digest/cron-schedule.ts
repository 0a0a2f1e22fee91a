/**
 * Just enough of cron to answer "did the digest schedule fire between two instants?", which
 * node-cron cannot: after a restart or a missed run the digest job must know whether this week's
 * run already came and went. Same syntax as node-cron: five fields (minute hour day-of-month
 * month day-of-week) or six with seconds first; `*`, lists, ranges, steps, month and day names.
 */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday … 6 = Saturday. */
  daysOfWeek: Set<number>;
  /** Whether day-of-month / day-of-week were restricted (cron ORs the two when both are). */
  domRestricted: boolean;
  dowRestricted: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTE = 60_000;

/** Parses a cron expression; throws an Error whose message says what to fix. */
export function parseCronSchedule(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new Error(
      `"${expression}" is not a cron expression: use five fields (minute hour day month weekday), such as "0 9 * * mon"`,
    );
  }
  const [minute, hour, dom, month, dow] = fields.length === 6 ? fields.slice(1) : fields;
  const daysOfWeek = parseField(dow!, 'weekday', 0, 7, DAYS);
  // 7 is Sunday too.
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    minutes: parseField(minute!, 'minute', 0, 59),
    hours: parseField(hour!, 'hour', 0, 23),
    daysOfMonth: parseField(dom!, 'day of month', 1, 31),
    months: parseField(month!, 'month', 1, 12, MONTHS, 1),
    daysOfWeek,
    domRestricted: dom !== '*' && dom !== '?',
    dowRestricted: dow !== '*' && dow !== '?',
  };
}

/** Wall-clock fields of a minute in the schedule's time zone. */
export interface LocalMinute {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
}

export function cronMatches(schedule: CronSchedule, at: LocalMinute): boolean {
  if (!schedule.minutes.has(at.minute) || !schedule.hours.has(at.hour) || !schedule.months.has(at.month)) {
    return false;
  }
  const dom = schedule.daysOfMonth.has(at.day);
  const dow = schedule.daysOfWeek.has(at.weekday);
  if (schedule.domRestricted && schedule.dowRestricted) return dom || dow;
  return dom && dow;
}

/**
 * The latest minute in (after, upTo] at which the schedule fires in `timeZone`, or undefined. Walks
 * minute by minute (a week is ~10,000 steps, cheap next to what a digest costs).
 */
export function lastRunBetween(
  schedule: CronSchedule,
  after: Date,
  upTo: Date,
  timeZone: string,
): Date | undefined {
  const format = minuteFormat(timeZone);
  const first = Math.floor(after.getTime() / MINUTE) + 1;
  for (let m = Math.floor(upTo.getTime() / MINUTE); m >= first; m--) {
    if (cronMatches(schedule, localMinute(format, m * MINUTE))) return new Date(m * MINUTE);
  }
  return undefined;
}

/** Far enough for any schedule that fires at all (a 29 February one fires within 8 years). */
const HORIZON_MINUTES = 9 * 366 * 24 * 60;

/**
 * The first minute after `after` at which a cron schedule fires in `timeZone`, or undefined when it
 * never does (such as "0 9 31 feb *"). `lastRunBetween` answers the backward question; this one
 * skips whole days and hours that cannot match, so even a yearly schedule costs a few thousand
 * clock readings rather than half a million.
 */
export function nextCronRun(schedule: CronSchedule, after: Date, timeZone: string): Date | undefined {
  const format = minuteFormat(timeZone);
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

/** Reads instants as the wall-clock minute of `timeZone` (what a cron schedule matches). */
function minuteFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
}

function localMinute(format: Intl.DateTimeFormat, instant: number): LocalMinute {
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    minute: Number(part('minute')),
    hour: Number(part('hour')) % 24,
    day: Number(part('day')),
    month: Number(part('month')),
    weekday: DAYS.indexOf(part('weekday').toLowerCase().slice(0, 3)),
  };
}

function parseField(
  field: string,
  name: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 0,
): Set<number> {
  const values = new Set<number>();
  const value = (text: string): number => {
    const index = names.indexOf(text.toLowerCase().slice(0, 3));
    const n =
      index >= 0 && /^[a-z]{3,}$/i.test(text)
        ? index + nameBase
        : /^\d+$/.test(text)
          ? Number(text)
          : Number.NaN;
    if (!(n >= min && n <= max)) {
      const hint = names.length > 0 ? ` or a name such as ${names[1]}` : '';
      throw new Error(`cron ${name} "${text}" is not valid: use ${min}-${max}${hint}`);
    }
    return n;
  };
  for (const item of field.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new Error(`cron ${name} step "${stepText}" must be a whole number ≥ 1`);
    let [low, high] = [min, max];
    if (range !== '*' && range !== '?') {
      const [a, b] = range!.split('-');
      low = value(a!);
      high = b === undefined ? (stepText === undefined ? low : max) : value(b);
      if (high < low) throw new Error(`cron ${name} range "${range}" runs backwards`);
    }
    for (let n = low; n <= high; n += step) values.add(n);
  }
  return values;
}
