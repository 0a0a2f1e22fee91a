/**
 * Checker tick: one `runCheckerTick` with a manual clock over 1k, 10k, 100k and 1M stored issues.
 * Goal: the 1M tick within 2x of the 10k tick (the queries follow what is due) and under 100 ms.
 *
 * The tick escalates everything that is due, one transaction per item, until nothing is left
 * (200 per query per pass). So what it costs is (work per due item) × (items due) plus the due
 * queries. With 1% due, the 1M tick has 100 times the items of the 10k tick, and no index can make
 * 10,000 escalations as cheap as 100. Two series keep the two apart:
 *   - the same 100 items due at every size (1% of 10k): what stored size alone costs;
 *   - 1% due at 100k and 1M: the whole tick, as time per due item against the 10k tick's.
 * See bench/seed/checker-history.ts for what is stored and what is due.
 */
import { runCheckerTick, type TickSummary } from '../src/app/run-checker-tick.js';
import { type BenchFigure, type BenchOptions, median } from './bench-result.js';
import { benchContext, examplePolicy } from './seed/app-context.js';
import { type CheckerHistory, dueAt, seedCheckerHistory } from './seed/checker-history.js';
import { type SeededDatabases, seededDatabases } from './seed/seeded-database.js';

/** 1% of the 10k database: the due work of the goal's baseline, kept at every size. */
const FIXED_DUE = 100;
/** Trigger hits waiting (what messages produced since the last tick); the rest of the due are deadlines. */
const PENDING_HITS = 10;
/** Wednesday 12:00 in the example policy's Sydney: business hours. */
const END = new Date('2026-03-04T01:00:00.000Z');

interface Tick {
  ms: number;
  /** A second tick straight after, with nothing due any more. */
  idleMs: number;
}

export async function run(options: BenchOptions): Promise<BenchFigure[]> {
  const sizes = options.quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000];
  const onePercentAt = options.quick ? [100_000] : [100_000, 1_000_000];
  const dbs = seededDatabases(options);
  try {
    const histories = new Map<number, { history: CheckerHistory; url: string }>();
    for (const stored of sizes) {
      const history: CheckerHistory = {
        stored,
        // Enough deadlines for the fixed series and for 1% due.
        deadlineDue: Math.max(FIXED_DUE, stored / 100) - PENDING_HITS,
        pendingHits: PENDING_HITS,
        end: END,
        tech: examplePolicy().paths['tech']!,
      };
      histories.set(stored, { history, url: await dbs.get(`checker-${stored}`, seed(history)) });
    }
    const smallest = histories.get(sizes[0]!)!;
    await tick(dbs, smallest.url, smallest.history, FIXED_DUE - PENDING_HITS); // warm-up, not counted

    const fixed = new Map<number, Tick[]>();
    for (const stored of sizes) {
      const { history, url } = histories.get(stored)!;
      const ticks: Tick[] = [];
      for (let r = 0; r < options.runs; r++) {
        ticks.push(await tick(dbs, url, history, FIXED_DUE - PENDING_HITS));
      }
      fixed.set(stored, ticks);
    }
    const tenK = median(fixed.get(10_000)!.map((t) => t.ms));
    const figures: BenchFigure[] = sizes.map((stored) => {
      const ticks = fixed.get(stored)!;
      const value = median(ticks.map((t) => t.ms));
      const largest = stored === sizes.at(-1);
      const ratio = value / tenK;
      return {
        name: `checker tick, ${label(stored)} issues, ${FIXED_DUE} due`,
        value: round(value),
        unit: 'ms',
        runs: ticks.map((t) => round(t.ms)),
        baseline: { name: `10k issues, ${FIXED_DUE} due`, value: round(tenK) },
        ratio: round(ratio),
        goal: largest ? '≤ 2x the 10k tick and < 100 ms' : '≤ 2x the 10k tick',
        met: ratio <= 2 && (!largest || value < 100),
        note:
          `${FIXED_DUE} due (${percent(FIXED_DUE / stored)} of stored): ${dueMix(FIXED_DUE)}; ` +
          `${round(value / FIXED_DUE)} ms per due item; a tick with nothing due: ${round(median(ticks.map((t) => t.idleMs)))} ms`,
      };
    });

    const perItemAt10k = tenK / FIXED_DUE;
    for (const stored of onePercentAt) {
      const { history, url } = histories.get(stored)!;
      const due = stored / 100;
      // The 1M drain is 10,000 escalations (about 20 s here): one run keeps the module in budget.
      const runs = stored >= 1_000_000 ? 1 : options.runs;
      const ticks: Tick[] = [];
      for (let r = 0; r < runs; r++) ticks.push(await tick(dbs, url, history, due - PENDING_HITS));
      const perItem = ticks.map((t) => t.ms / due);
      const value = median(perItem);
      const ratio = value / perItemAt10k;
      figures.push({
        name: `checker tick, ${label(stored)} issues, 1% due (${due.toLocaleString('en')}), per due item`,
        value: round(value),
        unit: 'ms',
        runs: perItem.map(round),
        baseline: { name: `10k issues, 1% due (${FIXED_DUE}), per due item`, value: round(perItemAt10k) },
        ratio: round(ratio),
        goal: '≤ 2x the 10k tick per due item (cost follows what is due)',
        met: ratio <= 2,
        note:
          `whole tick ${round(median(ticks.map((t) => t.ms)) / 1000)} s for ${due.toLocaleString('en')} due ` +
          `(${Math.ceil(due / 200)}+ passes of 200)${runs === 1 ? ', one run' : ''}`,
      });
    }
    return figures;
  } finally {
    await dbs.cleanup();
  }
}

function seed(history: CheckerHistory) {
  return (db: Parameters<typeof seedCheckerHistory>[0]) => seedCheckerHistory(db, history);
}

/** One tick on a fresh copy with `deadlines` deadline items due (plus the pending hits), timed. */
async function tick(
  dbs: SeededDatabases,
  base: string,
  history: CheckerHistory,
  deadlines: number,
): Promise<Tick> {
  const url = await dbs.copy(base);
  const { ctx } = await benchContext(url, dueAt(history, deadlines));
  try {
    let started = performance.now();
    const summary = await runCheckerTick(ctx);
    const ms = performance.now() - started;
    started = performance.now();
    const idle = await runCheckerTick(ctx);
    const idleMs = performance.now() - started;
    const handled = handledBy(summary);
    // A tick that did less (or more) than what was seeded as due would measure something else.
    if (handled !== deadlines + history.pendingHits || handledBy(idle) !== 0) {
      throw new Error(`expected ${deadlines + history.pendingHits} due, the tick handled ${handled}`);
    }
    return { ms, idleMs };
  } finally {
    await ctx.store.close();
    await dbs.discard(url);
  }
}

function handledBy(summary: TickSummary): number {
  return (
    summary.slaBreaches +
    summary.ladderSteps +
    Object.values(summary.triggerHits).reduce((sum, n) => sum + n, 0)
  );
}

/** What the due items are, for the note: the seed rotates deadlines over four kinds. */
function dueMix(due: number): string {
  const deadlines = due - PENDING_HITS;
  const share = (n: number) => Math.round((deadlines * n) / 10);
  return (
    `${share(4)} past first response, ${share(2)} past resolution, ${share(2)} cards unclaimed past ackWithin, ` +
    `${share(2)} claimed cards past resolveWithin, ${PENDING_HITS} trigger hits`
  );
}

function label(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1_000}k`;
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(2))}%`;
}

function round(x: number): number {
  return x >= 100 ? Math.round(x) : Math.round(x * 100) / 100;
}
