/**
 * Delivery under rate limits: cards queued at once for several Slack channels, posted by the real
 * outbox dispatcher (production's pace, `PLATFORM_PACING`, and its real timers) through the real
 * Slack adapter to a fake Slack that takes one `chat.postMessage` per channel a second and answers
 * 429 with `Retry-After` to a post that comes sooner. The figure is the time from the enqueue to
 * the last card delivered (its outbox entry marked delivered), against the theoretical minimum:
 * each channel's first post at once, then one a second, so (cards per channel - 1) seconds.
 *
 * One full run takes about 100 s (1,000 cards to 10 channels: 99 s at best), so full mode makes a
 * single run whatever `--runs` says. `--quick` posts 40 cards (3 s at best) at the same pace and
 * takes the median of the runs. It keeps the real pace rather than a faster one with the pacer set
 * to match: a call's own few milliseconds are 0.5% of a 1 s interval but 5-10% of a 100 ms one,
 * which would make the quick figure miss a goal the full one meets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Policy } from '../src/domain/policy.js';
import { startEscalator } from '../src/escalator.js';
import { silentLogger } from '../src/ports/logger.js';
import { examplePolicy } from '../test/support/core/test-context.js';
import { type BenchFigure, type BenchOptions, median } from './bench-result.js';
import { auditCards } from './delivery/audit-cards.js';
import { startRateLimitedSlack } from './delivery/rate-limited-slack.js';
import { enqueueCards, seedEscalations } from './delivery/seed-cards.js';
import { runDatabase } from './seed/run-database.js';

interface Size {
  cards: number;
  channels: number;
}

const FULL: Size = { cards: 1000, channels: 10 };
const QUICK: Size = { cards: 40, channels: 10 };
/** Slack's limit per channel, which the fake enforces and production's pacing keeps to. */
const INTERVAL_MS = 1000;

const GOAL_RATIO = 1.1;
/** How often the benchmark looks whether every entry is delivered; small against an interval. */
const POLL_MS = 10;

interface DeliveryRun {
  seconds: number;
  rateLimited: number;
  lost: number;
  duplicates: number;
  /** Mean time between two posts Slack took in one channel, beyond the interval. */
  meanGapOverMs: number;
  /** From the enqueue to the first post Slack took. */
  firstPostMs: number;
}

export async function run(options: BenchOptions): Promise<BenchFigure[]> {
  const size = options.quick ? QUICK : FULL;
  const runs: DeliveryRun[] = [];
  for (let i = 0; i < (options.quick ? options.runs : 1); i += 1) {
    runs.push(await deliverOnce(size, options.database));
  }

  const perChannel = size.cards / size.channels;
  const minimum = ((perChannel - 1) * INTERVAL_MS) / 1000;
  const seconds = median(runs.map((r) => r.seconds));
  const ratio = seconds / minimum;
  const rateLimited = runs.reduce((sum, r) => sum + r.rateLimited, 0);
  const lost = runs.reduce((sum, r) => sum + r.lost, 0);
  const duplicates = runs.reduce((sum, r) => sum + r.duplicates, 0);
  return [
    {
      name: `delivery, ${size.cards.toLocaleString('en')} cards to ${size.channels} channels at 1 post/s each`,
      value: seconds,
      unit: 's',
      runs: runs.map((r) => r.seconds),
      baseline: {
        name: `theoretical minimum: ${perChannel} posts per channel, the first at t=0`,
        value: minimum,
      },
      ratio,
      goal: `within ${GOAL_RATIO}x of the minimum; no 429, none lost or posted twice`,
      met: ratio <= GOAL_RATIO && rateLimited === 0 && lost === 0 && duplicates === 0,
      note: [
        options.quick ? `${runs.length} run(s), scaled down` : '1 run (one takes ~100 s)',
        `${rateLimited} × 429, ${lost} lost, ${duplicates} posted twice`,
        `a channel's posts ${(INTERVAL_MS + median(runs.map((r) => r.meanGapOverMs))).toFixed(1)} ms apart (mean)`,
        `first post ${median(runs.map((r) => r.firstPostMs)).toFixed(0)} ms after the enqueue`,
      ].join('; '),
    },
  ];
}

async function deliverOnce(size: Size, databaseServer?: string): Promise<DeliveryRun> {
  const slack = await startRateLimitedSlack(INTERVAL_MS);
  const dir = mkdtempSync(join(tmpdir(), 'escalator-bench-delivery-'));
  const database = await runDatabase(dir, databaseServer, 'delivery');
  const policy = withoutDigest(examplePolicy());
  // Production wiring: its pacing, its timers, and the schedules (the outbox's one-second kick).
  const app = await startEscalator({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    policy,
    slack: { botToken: 'xoxb-bench', signingSecret: 'bench-signing-secret', apiUrl: slack.api.url },
    log: silentLogger,
  });
  try {
    const store = app.ctx.store;
    const channels = Array.from({ length: size.channels }, (_, i) => `slack:C0BENCH${i + 1}`);
    const cards = await seedEscalations(store, policy, size.cards, channels);

    const startedAt = Date.now();
    await enqueueCards(store, cards);
    app.ctx.outboxChanged(); // as every use case does after writing effects
    const deadline = startedAt + 3 * (size.cards / size.channels) * INTERVAL_MS + 30_000;
    while ((await store.outbox.countPending()) > 0) {
      if (Date.now() > deadline)
        throw new Error('delivery benchmark: cards still pending long past the goal');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const seconds = (Date.now() - startedAt) / 1000;

    const accepted = [...slack.accepted().values()];
    const gaps = accepted.flatMap((times) => times.slice(1).map((t, i) => t - times[i]! - INTERVAL_MS));
    return {
      seconds,
      rateLimited: slack.rateLimited(),
      ...(await auditCards(store, slack.api, cards)),
      meanGapOverMs: gaps.reduce((sum, g) => sum + g, 0) / Math.max(1, gaps.length),
      firstPostMs: Math.min(...accepted.map((times) => times[0] ?? Number.POSITIVE_INFINITY)) - startedAt,
    };
  } finally {
    await app.stop();
    await slack.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The weekly digest would post (and draw a chart) at start-up: not what is measured here. */
function withoutDigest(policy: Policy): Policy {
  const { digest: _digest, ...rest } = policy;
  return rest;
}
