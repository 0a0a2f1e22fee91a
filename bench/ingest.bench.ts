/**
 * Ingest: messages persisted per second through the use case (`trackMessage`: duplicate checks,
 * issue lookup or creation, the message, content triggers and the systemic check) on a real SQLite
 * file, against plain better-sqlite3 inserts of the same rows. Goal: at least 25% of the raw rate.
 * With `--database`, the store is on PostgreSQL and the baseline is plain `pg` inserts.
 */
import { type IncomingMessage, trackMessage } from '../src/app/track-message.js';
import { type BenchFigure, type BenchOptions, median } from './bench-result.js';
import { benchContext } from './seed/app-context.js';
import { insertRaw, type PersistedRows, persistedRowsByMessage, rawInsertsName } from './seed/raw-ingest.js';
import { seedRecentThreads } from './seed/recent-threads.js';
import { type SeededDatabases, seededDatabases } from './seed/seeded-database.js';
import { supportMessages } from './seed/support-messages.js';

/** Threads already open in the last hour: a busy channel, so the systemic check reads its full 500. */
const RECENT_THREADS = 600;
/** Tuesday 10:00 in the example policy's Sydney: business hours. */
const START = new Date('2026-03-02T23:00:00.000Z');

export async function run(options: BenchOptions): Promise<BenchFigure[]> {
  const count = options.quick ? 1_000 : 5_000;
  const messages = supportMessages({
    count,
    start: START,
    // Arriving as fast as they are stored: every message is in the systemic window of the others.
    spacingMs: 100,
    newThreadShare: 0.2,
    triggeringShare: 0.05,
  });
  const dbs = seededDatabases(options);
  try {
    const base = await dbs.get('ingest', (db) => seedRecentThreads(db, RECENT_THREADS, START));
    const seeded = { issues: RECENT_THREADS, messages: RECENT_THREADS };
    // A warm-up pass of each (JIT, file cache), not counted.
    await ingestThroughUseCase(dbs, base, messages.slice(0, 300));
    let rows: PersistedRows[] = [];
    const useCase: number[] = [];
    const raw: number[] = [];
    const kinds: Record<Kind, number[]> = { opening: [], 'customer reply': [], 'staff reply': [] };
    for (let r = 0; r < options.runs; r++) {
      const result = await ingestThroughUseCase(dbs, base, messages, async (url) => {
        if (rows.length === 0) rows = await persistedRowsByMessage(url, messages, seeded);
      });
      useCase.push(result.perSecond);
      for (const kind of KINDS) kinds[kind].push(result.meanMs[kind]);
      const copy = await dbs.copy(base);
      raw.push(await insertRaw(copy, rows));
      await dbs.discard(copy);
    }
    const value = median(useCase);
    const baseline = median(raw);
    const ratio = value / baseline;
    const rowsWritten = rows.reduce((n, r) => n + r.length, 0);
    const perKind = KINDS.map((kind) => `${kind} ${Math.round(median(kinds[kind]) * 1000)} µs`).join(', ');
    return [
      {
        name: `ingest, ${count.toLocaleString('en')} messages`,
        value: Math.round(value),
        unit: 'per s',
        runs: useCase.map(Math.round),
        baseline: { name: rawInsertsName(base), value: Math.round(baseline) },
        ratio: round(ratio),
        goal: '≥ 25% of the raw insert rate',
        met: ratio >= 0.25,
        note:
          `${rowsWritten.toLocaleString('en')} rows (event, issue on a thread's first message, message, trigger hits); ` +
          `one transaction per message on both sides; 20% open a thread, ${RECENT_THREADS} threads already open ` +
          `in the last hour (the systemic check compares each new thread with 500); mean per message: ${perKind}, ` +
          `raw ${Math.round(1_000_000 / baseline)} µs; raw runs: ${raw.map(Math.round).join(', ')}`,
      },
    ];
  } finally {
    await dbs.cleanup();
  }
}

const KINDS = ['opening', 'customer reply', 'staff reply'] as const;
type Kind = (typeof KINDS)[number];

function kindOf(message: IncomingMessage): Kind {
  if (message.threadId === message.messageId) return 'opening';
  return message.author.teamId === 'T0HOME' ? 'staff reply' : 'customer reply';
}

/** Messages per second through `trackMessage` on a fresh copy of the seeded database, and the mean time per kind. */
async function ingestThroughUseCase(
  dbs: SeededDatabases,
  base: string,
  messages: readonly IncomingMessage[],
  inspect?: (url: string) => Promise<void>,
): Promise<{ perSecond: number; meanMs: Record<Kind, number> }> {
  const url = await dbs.copy(base);
  const { ctx, clock } = await benchContext(url, messages[0]!.at);
  const spent: Record<Kind, { ms: number; n: number }> = {
    opening: { ms: 0, n: 0 },
    'customer reply': { ms: 0, n: 0 },
    'staff reply': { ms: 0, n: 0 },
  };
  let elapsed: number;
  try {
    const started = performance.now();
    for (const message of messages) {
      clock.set(message.at);
      const at = performance.now();
      const result = await trackMessage(ctx, message);
      const kind = spent[kindOf(message)];
      kind.ms += performance.now() - at;
      kind.n += 1;
      if (result.outcome !== 'tracked') throw new Error(`message ${message.messageId}: ${result.reason}`);
    }
    elapsed = performance.now() - started;
  } finally {
    await ctx.store.close();
  }
  await inspect?.(url);
  await dbs.discard(url);
  const mean = (kind: Kind) => spent[kind].ms / Math.max(1, spent[kind].n);
  return {
    perSecond: messages.length / (elapsed / 1000),
    meanMs: {
      opening: mean('opening'),
      'customer reply': mean('customer reply'),
      'staff reply': mean('staff reply'),
    },
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
