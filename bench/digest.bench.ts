/**
 * Digest: `buildDigestReport` for one ISO week (against the week before, as the digest shows it)
 * over a database holding 1M escalation steps spread over two years. Goal: under 1 s.
 * A second figure reads an outage week that holds a tenth of all escalations: the report's cost
 * follows what the weeks hold, not the history.
 */
import { buildDigestReport } from '../src/app/digest/build-report.js';
import { openStore } from '../src/db/open-store.js';
import { isoWeekContaining, weekBefore } from '../src/domain/digest/period.js';
import type { Period } from '../src/domain/digest/report.js';
import type { Store } from '../src/ports/store.js';
import { type BenchFigure, type BenchOptions, median } from './bench-result.js';
import { examplePolicy } from './seed/app-context.js';
import { type EscalationHistory, seedEscalationHistory } from './seed/escalation-history.js';
import { seededDatabases } from './seed/seeded-database.js';

const DAY = 86_400_000;
/** Wednesday 12:00 in Sydney: the digest of the week before is the one a team lead reads. */
const NOW = new Date('2026-03-04T01:00:00.000Z');
const INCIDENT_SHARE = 0.1;

export async function run(options: BenchOptions): Promise<BenchFigure[]> {
  const steps = options.quick ? 100_000 : 1_000_000;
  const policy = examplePolicy();
  const timeZone = policy.timezone;
  const incidentWeek = isoWeekContaining(new Date(NOW.getTime() - 365 * DAY), timeZone);
  const history: EscalationHistory = {
    steps,
    from: new Date(NOW.getTime() - 728 * DAY),
    to: NOW,
    incident: { from: incidentWeek.from, to: incidentWeek.to, share: INCIDENT_SHARE },
    paths: { tech: policy.paths['tech']!, management: policy.paths['management']! },
  };
  const dbs = seededDatabases(options);
  try {
    const url = await dbs.get(`digest-${steps}`, (db) => seedEscalationHistory(db, history));
    const store = await openStore(url);
    try {
      const lastWeek = weekBefore(isoWeekContaining(NOW, timeZone), timeZone);
      await report(store, lastWeek, timeZone); // warm-up, not counted
      const size = steps >= 1_000_000 ? `${steps / 1_000_000}M` : `${steps / 1_000}k`;
      const normal = await measure(store, options, lastWeek, timeZone);
      const outage = await measure(store, options, incidentWeek, timeZone);
      const perThousand = (m: Measured) => m.runs.map((ms) => (ms / m.stepsRead) * 1000);
      const normalPerThousand = median(perThousand(normal));
      const outagePerThousand = median(perThousand(outage));
      return [
        {
          name: `digest, one week of ${size} escalations`,
          value: round(median(normal.runs)),
          unit: 'ms',
          runs: normal.runs.map(round),
          goal: '< 1 s',
          met: median(normal.runs) < 1_000,
          note:
            `${lastWeek.label} against the week before: ${describe(normal)}; ${size} steps over two years ` +
            `(~${Math.round((steps * (1 - INCIDENT_SHARE)) / 104).toLocaleString('en')} a week), ` +
            `${INCIDENT_SHARE * 100}% of them in one outage week`,
        },
        {
          name: `digest, the outage week of ${size} escalations, per 1,000 steps`,
          value: round(outagePerThousand),
          unit: 'ms',
          runs: perThousand(outage).map(round),
          baseline: { name: 'a normal week, per 1,000 steps', value: round(normalPerThousand) },
          ratio: round(outagePerThousand / normalPerThousand),
          goal: '≤ 2x the normal week per step (cost follows the week, not the history)',
          met: outagePerThousand / normalPerThousand <= 2,
          note: `${incidentWeek.label}: ${describe(outage)}; whole report ${round(median(outage.runs))} ms`,
        },
      ];
    } finally {
      await store.close();
    }
  } finally {
    await dbs.cleanup();
  }
}

interface Measured {
  runs: number[];
  /** Steps of the week and of the week before: both are read. */
  stepsRead: number;
  steps: { current: number; previous: number };
}

async function measure(
  store: Store,
  options: BenchOptions,
  week: Period,
  timeZone: string,
): Promise<Measured> {
  const runs: number[] = [];
  let steps = { current: 0, previous: 0 };
  for (let r = 0; r < options.runs; r++) {
    const started = performance.now();
    const built = await report(store, week, timeZone);
    runs.push(performance.now() - started);
    steps = { current: built.current.steps, previous: built.previous.steps };
  }
  return { runs, stepsRead: steps.current + steps.previous, steps };
}

function describe(m: Measured): string {
  return `${m.steps.current.toLocaleString('en')} steps in the week, ${m.steps.previous.toLocaleString('en')} in the week before`;
}

function report(store: Store, week: Period, timeZone: string) {
  return buildDigestReport(store, {
    period: week,
    previousPeriod: weekBefore(week, timeZone),
    path: null,
    timeZone,
    now: NOW,
  });
}

function round(x: number): number {
  return x >= 100 ? Math.round(x) : Math.round(x * 100) / 100;
}
