import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildWorkCalendar } from '../../../src/config/work-calendar.js';
import { WEEKDAYS, type Weekday } from '../../../src/domain/policy.js';
import { addWorkingTime, type WorkCalendar, workingTimeBetween } from '../../../src/domain/sla-clock.js';
import { DAY, HOUR, MINUTE, readLocal, WEEK } from './calendars.js';

/** Zones with daylight saving both ways, a 30-minute change (Lord Howe), and none at all. */
const TIME_ZONES = ['Australia/Sydney', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'UTC'];
/** Working hours clear of the 01:00-03:00 changes, so the wall clock reads them unambiguously. */
const TIMES = ['00:00', '04:00', '07:30', '09:00', '12:15', '17:00', '18:45', '23:59'];
/** The 2026 changes of the zones above, to start near them often. */
const TRANSITIONS = [
  '2026-03-08T07:00:00Z',
  '2026-03-29T01:00:00Z',
  '2026-04-04T15:00:00Z',
  '2026-04-04T16:00:00Z',
  '2026-10-03T15:30:00Z',
  '2026-10-03T16:00:00Z',
  '2026-10-25T01:00:00Z',
  '2026-11-01T06:00:00Z',
].map((iso) => new Date(iso).getTime());

/** Holidays on roughly one date in nine, chosen by a hash of the date and a seed. */
function pseudoHolidays(seed: number): (localDate: string) => boolean {
  return (localDate) => {
    let hash = seed;
    for (const char of localDate) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
    return (hash >>> 0) % 9 === 0;
  };
}

const arbCalendar: fc.Arbitrary<WorkCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...TIME_ZONES),
    days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
    hours: fc.uniqueArray(fc.constantFrom(...TIMES), { minLength: 2, maxLength: 2 }),
    seed: fc.integer(),
  })
  .map(({ timeZone, days, hours, seed }) => {
    const [start, end] = [...hours].sort() as [string, string];
    return { timeZone, days: days as Weekday[], start, end, isHoliday: pseudoHolidays(seed) };
  });

const arbInstant = fc.oneof(
  fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) }),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * DAY, max: 3 * DAY }))
    .map(([t, d]) => t + d),
);

const arbDuration = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }),
  fc.integer({ min: 0, max: 8 * HOUR }),
  fc.integer({ min: 0, max: 6 * WEEK }),
);

/** Whether an instant is inside a working window (after its opening, up to and including its close). */
function insideWorkingHours(instant: number, calendar: WorkCalendar): boolean {
  const local = readLocal(instant, calendar.timeZone);
  return (
    calendar.days.includes(local.weekday) &&
    !calendar.isHoliday(local.date) &&
    local.time > `${calendar.start}:00.000` &&
    local.time <= `${calendar.end}:00.000`
  );
}

describe('addWorkingTime and workingTimeBetween, for any calendar, start and duration', () => {
  it('addWorkingTime is monotonic in ms', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, arbDuration, arbDuration, (calendar, from, a, b) => {
        const start = new Date(from);
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(addWorkingTime(start, low, calendar).getTime()).toBeLessThanOrEqual(
          addWorkingTime(start, high, calendar).getTime(),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('lands inside working hours on a working, non-holiday day (or exactly at a close)', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, arbDuration, (calendar, from, ms) => {
        fc.pre(ms > 0);
        const deadline = addWorkingTime(new Date(from), ms, calendar).getTime();
        expect(deadline).toBeGreaterThan(from);
        expect(insideWorkingHours(deadline, calendar)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('workingTimeBetween(from, addWorkingTime(from, ms)) === ms', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, arbDuration, (calendar, from, ms) => {
        const start = new Date(from);
        expect(workingTimeBetween(start, addWorkingTime(start, ms, calendar), calendar)).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });

  it('... including from inside working hours', () => {
    fc.assert(
      fc.property(
        arbCalendar,
        arbInstant,
        fc.integer({ min: 1, max: HOUR }),
        arbDuration,
        (calendar, t, offset, ms) => {
          // A start inside working hours: some working time after an arbitrary instant.
          const start = addWorkingTime(new Date(t), offset, calendar);
          expect(insideWorkingHours(start.getTime(), calendar)).toBe(true);
          expect(workingTimeBetween(start, addWorkingTime(start, ms, calendar), calendar)).toBe(ms);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('workingTimeBetween adds up over consecutive spans', () => {
    fc.assert(
      fc.property(arbCalendar, fc.array(arbInstant, { minLength: 3, maxLength: 3 }), (calendar, instants) => {
        const [a, b, c] = instants.sort((x, y) => x - y).map((t) => new Date(t)) as [Date, Date, Date];
        expect(workingTimeBetween(a, b, calendar) + workingTimeBetween(b, c, calendar)).toBe(
          workingTimeBetween(a, c, calendar),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('workingTimeBetween agrees with counting working minutes one by one on the wall clock', () => {
    fc.assert(
      fc.property(
        arbCalendar,
        arbInstant,
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        (calendar, t, minutes) => {
          const from = Math.floor(t / MINUTE) * MINUTE;
          const to = from + minutes * MINUTE;
          let counted = 0;
          for (let m = from; m < to; m += MINUTE) {
            const local = readLocal(m, calendar.timeZone);
            const working =
              calendar.days.includes(local.weekday) &&
              !calendar.isHoliday(local.date) &&
              local.time >= `${calendar.start}:00.000` &&
              local.time < `${calendar.end}:00.000`;
            if (working) counted += MINUTE;
          }
          expect(workingTimeBetween(new Date(from), new Date(to), calendar)).toBe(counted);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the same properties on the example policy calendar (AU NSW public holidays)', () => {
  const nsw = buildWorkCalendar({
    timezone: 'Australia/Sydney',
    businessHours: {
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '09:00',
      end: '17:00',
      holidays: { country: 'AU', state: 'NSW', dates: ['2026-12-24'] },
    },
  } as Parameters<typeof buildWorkCalendar>[0]);

  it('lands inside working hours and inverts', () => {
    fc.assert(
      fc.property(arbInstant, arbDuration, (from, ms) => {
        const start = new Date(from);
        const deadline = addWorkingTime(start, ms, nsw);
        if (ms > 0) expect(insideWorkingHours(deadline.getTime(), nsw)).toBe(true);
        expect(workingTimeBetween(start, deadline, nsw)).toBe(ms);
      }),
      { numRuns: 200 },
    );
  });
});
