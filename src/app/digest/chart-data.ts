import { TRIGGER_LABELS } from '../../domain/build-escalation-card.js';
import type { DigestChart } from '../../domain/digest/chart.js';
import type { Period } from '../../domain/digest/report.js';
import { TRIGGER_KINDS } from '../../domain/escalation.js';
import { instantAtLocalTime, localDateOf } from '../../domain/sla-clock.js';
import type { EscalationFact } from '../../ports/analytics.js';
import { nearestRank } from './percentiles.js';

const HOUR_MS = 3_600_000;

/**
 * The digest's picture as data: escalations started per local day, one series per trigger that
 * started any (in the order triggers are declared, so colours stay put week to week), and the
 * median time to resolve (nearest rank) of every step opened that day and resolved since.
 */
export function digestChartOf(
  facts: readonly EscalationFact[],
  period: Period,
  timeZone: string,
): DigestChart {
  const days = localDatesOf(period, timeZone);
  const dayIndex = new Map(days.map((day, i) => [day, i]));
  // Each step's day, once: the zone conversion is the costly part.
  const placed = facts.flatMap((fact) => {
    const day = dayIndex.get(localDateOf(fact.createdAt, timeZone));
    return day === undefined ? [] : [{ fact, day }];
  });

  const firstSteps = placed.filter(({ fact }) => fact.parentId === null);
  const series = TRIGGER_KINDS.filter((kind) => firstSteps.some(({ fact }) => fact.trigger === kind)).map(
    (trigger) => {
      const counts = days.map(() => 0);
      for (const { fact, day } of firstSteps) {
        if (fact.trigger === trigger) counts[day]! += 1;
      }
      return { trigger, label: TRIGGER_LABELS[trigger] ?? trigger, counts };
    },
  );

  const resolveHours = days.map((): number[] => []);
  for (const { fact, day } of placed) {
    if (fact.resolvedAt)
      resolveHours[day]!.push((fact.resolvedAt.getTime() - fact.createdAt.getTime()) / HOUR_MS);
  }

  return {
    title: `Escalations per day, ${period.label}`,
    days,
    series,
    medianResolveHours: resolveHours.map((hours) => nearestRank(hours, 50)),
  };
}

/**
 * Every local date whose midnight falls in [from, to): a week over a daylight-saving change has
 * 7 days though it lasts 167 or 169 hours, and a month has its calendar days.
 */
export function localDatesOf(period: Period, timeZone: string): string[] {
  const days: string[] = [];
  for (
    let day = localDateOf(period.from, timeZone);
    instantAtLocalTime(day, '00:00', timeZone) < period.to;
    day = nextDate(day)
  ) {
    days.push(day);
  }
  return days;
}

function nextDate(localDate: string): string {
  const [year, month, day] = localDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}
